"use client";

import type { CheckResult } from "@/lib/audit/checks/types";

const fmt = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : Number(x.toPrecision(digits)).toString();
const pct = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : `${(x * 100).toFixed(1)}%`;

function Table({ head, rows, testId }: { head: string[]; rows: (string | number)[][]; testId: string }) {
  return (
    <div className="result-scroll">
      <table className="result" data-testid={testId}>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r[0]) + r.slice(1, 3).join("|")}>
              {r.map((v, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells of a row are positional.
                <td key={i} className={typeof v === "number" ? "num" : undefined}>
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The numbers behind a check, as tables (the charts show the same data). */
export function CheckDetails({ result }: { result: CheckResult }) {
  switch (result.family) {
    case "drift":
      return (
        <Table
          testId="drift-table"
          head={[
            "column",
            "kind",
            "test",
            "statistic",
            "p-value",
            "threshold",
            "drifted",
            "PSI",
            "JS",
            "Wasserstein",
            "n ref",
            "n cur",
            "dropped",
          ]}
          rows={result.drift.columns.map((c) => [
            c.column,
            c.kind,
            c.method,
            c.errorBounds && c.method === "wasserstein"
              ? `${fmt(c.statistic)} ± ${fmt(c.errorBounds.wasserstein, 2)}`
              : c.errorBounds && c.method === "ks" && c.errorBounds.ks > 0
                ? `${fmt(c.statistic)} (up to +${fmt(c.errorBounds.ks, 2)})`
                : fmt(c.statistic),
            fmt(c.pValue),
            fmt(c.threshold),
            c.undetermined ? `${c.drifted ? "yes" : "no"} (undetermined within bounds)` : c.drifted ? "yes" : "no",
            fmt(c.psi),
            fmt(c.jensenShannon),
            // Past the refinement budget (very large inputs) W1 carries a stated bound; see the trace.
            c.errorBounds ? `${fmt(c.wasserstein)} ± ${fmt(c.errorBounds.wasserstein, 2)}` : fmt(c.wasserstein),
            c.nReference,
            c.nCurrent,
            `${c.droppedReference} / ${c.droppedCurrent}`,
          ])}
        />
      );
    case "fairness":
      return (
        <>
          {result.fairness.attributes.map((a) => (
            <div key={a.attribute}>
              <p className="check-note">
                <strong>{a.attribute}</strong>: demographic parity difference {fmt(a.demographicParityDifference)},
                ratio {fmt(a.demographicParityRatio)}; equalized odds difference {fmt(a.equalizedOddsDifference)}, ratio{" "}
                {fmt(a.equalizedOddsRatio)}; reference group for disparities: {a.referenceGroup}.
              </p>
              <Table
                testId={`fairness-table-${a.attribute}`}
                head={[
                  "group",
                  "rows",
                  "selection rate",
                  "95% CI",
                  "TPR",
                  "FPR",
                  "precision",
                  "accuracy",
                  "ECE",
                  "small",
                ]}
                rows={a.groups.map((g) => [
                  g.group,
                  g.count,
                  pct(g.selectionRate),
                  g.selectionRateCi ? `${pct(g.selectionRateCi.lower)} – ${pct(g.selectionRateCi.upper)}` : "—",
                  pct(g.tpr),
                  pct(g.fpr),
                  pct(g.precision),
                  pct(g.accuracy),
                  fmt(g.ece),
                  g.small ? "yes" : "",
                ])}
              />
            </div>
          ))}
        </>
      );
    case "calibration":
      return (
        <Table
          testId="calibration-table"
          head={["bin", "rows", "mean score", "observed rate", "gap"]}
          rows={result.calibration.bins.map((b) => [
            `(${fmt(b.lower, 3)}, ${fmt(b.upper, 3)}]`,
            b.count,
            fmt(b.meanScore),
            fmt(b.fractionPositive),
            fmt(Math.abs(b.fractionPositive - b.meanScore)),
          ])}
        />
      );
    case "performance": {
      const p = result.performance;
      return (
        <Table
          testId="performance-table"
          head={["metric", "value"]}
          rows={[
            ["rows", p.n],
            ["positives", p.positives],
            ["accuracy", fmt(p.accuracy)],
            ["precision", fmt(p.precision)],
            ["recall", fmt(p.recall)],
            ["specificity", fmt(p.specificity)],
            ["F1", fmt(p.f1)],
            ["balanced accuracy", fmt(p.balancedAccuracy)],
            ["ROC AUC", p.errorBounds ? `${fmt(p.rocAuc)} ± ${fmt(p.errorBounds.rocAuc, 2)}` : fmt(p.rocAuc)],
            ["average precision", fmt(p.prAuc)],
            ["log loss", fmt(p.logLoss)],
            ["Brier score", fmt(p.brier)],
          ]}
        />
      );
    }
    case "slices":
      return (
        <Table
          testId="slices-table"
          head={["slice", "rows", result.slices.metric, "95% CI", "gap", "significant"]}
          rows={result.slices.slices.map((s) => [
            s.description,
            s.n,
            fmt(s.value),
            s.ci ? `${fmt(s.ci.lower)} – ${fmt(s.ci.upper)}` : "—",
            fmt(s.gap),
            s.significant ? "yes" : "",
          ])}
        />
      );
    case "canary":
      return (
        <>
          <p className="check-note">
            Production n = {result.canary.baseline.n}, canary n = {result.canary.candidate.n}; score shift: KS D{" "}
            {fmt(result.canary.scoreShift.ks)}, PSI {fmt(result.canary.scoreShift.psi)}, mean Δ{" "}
            {fmt(result.canary.scoreShift.meanDelta)}; prediction disagreement {pct(result.canary.disagreementRate)}.
          </p>
          <Table
            testId="canary-table"
            head={["metric", "production", "canary", "Δ", "relative Δ"]}
            rows={result.canary.deltas.map((d) => [
              d.metric,
              fmt(d.baseline),
              fmt(d.candidate),
              fmt(d.delta),
              pct(d.relativeDelta),
            ])}
          />
        </>
      );
    case "operational": {
      const o = result.operational;
      return (
        <Table
          testId="operational-table"
          head={["measure", "value"]}
          rows={[
            ...(o.latency
              ? ([
                  ["requests", o.latency.n],
                  ["latency p50", fmt(o.latency.p50)],
                  ["latency p95", fmt(o.latency.p95)],
                  ["latency p99", fmt(o.latency.p99)],
                  ["latency mean", fmt(o.latency.mean)],
                  ["latency max", fmt(o.latency.max)],
                ] as [string, string | number][])
              : []),
            ...(o.errorRate
              ? ([
                  ["errors", o.errorRate.errors],
                  ["error rate", pct(o.errorRate.rate)],
                  [
                    "error rate 95% CI",
                    o.errorRate.ci ? `${pct(o.errorRate.ci.lower)} – ${pct(o.errorRate.ci.upper)}` : "—",
                  ],
                ] as [string, string | number][])
              : []),
          ]}
        />
      );
    }
    case "quality":
      return (
        <>
          {result.schema && (
            <p className="check-note" data-testid="schema-diff">
              Schema against the reference: {result.schema.removed.length} removed
              {result.schema.removed.length ? ` (${result.schema.removed.map((c) => c.name).join(", ")})` : ""},{" "}
              {result.schema.typeChanged.length} retyped
              {result.schema.typeChanged.length
                ? ` (${result.schema.typeChanged.map((t) => `${t.column}: ${t.referenceType} → ${t.currentType}`).join(", ")})`
                : ""}
              , {result.schema.added.length} added.
            </p>
          )}
          {result.contract && (
            <Table
              testId="contract-table"
              head={["column", "rule", "violations"]}
              rows={result.contract.violations.map((v) => [v.column, v.rule, v.count])}
            />
          )}
          <Table
            testId="quality-table"
            head={["column", "type", "nulls", "NaN", "±Inf", "distinct", "min", "max", "mean", "std"]}
            rows={result.profile.columns.map((c) => [
              c.column,
              c.type,
              c.nullCount,
              c.nanCount,
              c.posInfCount + c.negInfCount,
              // Above 100 000 rows distinct counts are estimated from a hash sample, with an interval.
              c.distinctApproximate && c.distinctInterval
                ? `≈ ${c.distinctCount} (${c.distinctInterval[0]}–${c.distinctInterval[1]})`
                : c.distinctCount,
              typeof c.min === "number" ? fmt(c.min) : (c.min ?? "—"),
              typeof c.max === "number" ? fmt(c.max) : (c.max ?? "—"),
              fmt(c.mean),
              fmt(c.std),
            ])}
          />
        </>
      );
  }
}
