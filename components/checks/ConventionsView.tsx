"use client";

import type { ConventionComparison } from "@/lib/audit/checks/conventions";
import { VerdictBadge } from "./VerdictBadge";

const fmt = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : Number(x.toPrecision(3)).toString();

const TOOL: Record<string, string> = {
  assay: "Assay (default)",
  evidently: "Evidently",
  nannyml: "NannyML",
  alibi: "Alibi Detect",
  fairlearn: "Fairlearn",
  aequitas: "Aequitas",
};

/** The same check under every named convention, with the disagreements marked. */
export function ConventionsView({ comparison }: { comparison: ConventionComparison }) {
  if (comparison.family === "drift") {
    const names = comparison.conventions.map((c) => c.convention);
    return (
      <div className="conventions" data-testid="conventions">
        <div className="result-scroll">
          <table className="result">
            <thead>
              <tr>
                <th>column</th>
                {names.map((n) => (
                  <th key={n}>{TOOL[n] ?? n}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <strong>share drifted → verdict</strong>
                </td>
                {comparison.conventions.map((c) => (
                  <td key={c.convention}>
                    {fmt(c.shareDrifted)} <VerdictBadge verdict={c.verdict} />
                  </td>
                ))}
              </tr>
              {comparison.columns.map((col) => (
                <tr key={col.column} className={col.disagree ? "disagree" : undefined} data-disagree={col.disagree}>
                  <td>
                    {col.column}
                    {col.disagree ? " ⚠" : ""}
                  </td>
                  {names.map((n) => {
                    const v = col.byConvention[n];
                    return (
                      <td key={n} title={v?.trace.join("\n")}>
                        {v
                          ? `${v.drifted ? "drift" : "—"} · ${v.method} ${fmt(v.pValue ?? v.statistic)}${v.pValue !== null ? " (p)" : ""}`
                          : "n/a"}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="check-note">
          ⚠ marks columns where the tools would disagree. Hover a cell for how its number was computed (the trace).
        </p>
      </div>
    );
  }
  return (
    <div className="conventions" data-testid="conventions">
      {comparison.attributes.map((a) => (
        <div key={a.attribute} className="result-scroll">
          <table className="result">
            <thead>
              <tr>
                <th>
                  {a.attribute}
                  {a.disagree ? " ⚠" : ""}
                </th>
                <th>parity ratio</th>
                <th>equalized odds ratio</th>
                <th>undefined rates</th>
                <th>verdict</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(a.byConvention).map(([name, v]) => (
                <tr key={name} title={v.steps.join("\n")}>
                  <td>{TOOL[name] ?? name}</td>
                  <td>{fmt(v.demographicParityRatio)}</td>
                  <td>{fmt(v.equalizedOddsRatio)}</td>
                  <td>{v.undefinedRates}</td>
                  <td>
                    <VerdictBadge verdict={v.verdict} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <p className="check-note">
        Fairlearn counts a 0/0 rate as 0; Assay leaves it undefined; Aequitas measures disparity against a reference
        group.
      </p>
    </div>
  );
}
