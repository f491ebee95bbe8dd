"use client";

import { useMemo, useState } from "react";
import type { CheckOutcome, CheckParams } from "@/lib/audit/checks/types";
import { formatMs } from "@/lib/format";
import type { CellId } from "@/lib/notebook/types";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { chartsFor } from "../charts/check-charts";
import { PlotFigure } from "../charts/PlotFigure";
import { CheckDetails } from "./CheckDetails";
import { ConventionsView } from "./ConventionsView";
import { MeasurementList } from "./MeasurementList";

function traceLines(outcome: CheckOutcome): string[] {
  const r = outcome.result as unknown as Record<string, { trace?: unknown }>;
  const family = r[outcome.family] ?? r.profile;
  const trace = family?.trace;
  if (Array.isArray(trace)) return trace as string[];
  if (trace && typeof trace === "object" && "steps" in trace) {
    const t = trace as { steps: string[]; parameters: Record<string, unknown> };
    return [...t.steps, `parameters: ${JSON.stringify(t.parameters)}`];
  }
  return [];
}

export function CheckOutcomeView({ id, outcome, params }: { id: CellId; outcome: CheckOutcome; params: CheckParams }) {
  const [focus, setFocus] = useState<string | undefined>(undefined);
  const conventions = useNotebookStore((s) => s.cells[id]?.conventions);
  const charts = useMemo(() => chartsFor(outcome, params, focus), [outcome, params, focus]);
  const sqlText = outcome.sql.map((s) => `${s.trim()};`).join("\n\n");
  const trace = traceLines(outcome);
  const driftColumns = outcome.result.family === "drift" ? outcome.result.drift.columns : [];

  return (
    <div className="check-outcome" data-testid="check-outcome">
      <MeasurementList measurements={outcome.measurements} />
      {outcome.warnings.length > 0 && (
        <ul className="warnings" data-testid="check-warnings">
          {outcome.warnings.slice(0, 8).map((w) => (
            <li key={`${w.code}-${w.column ?? ""}-${w.message}`}>⚠ {w.message}</li>
          ))}
          {outcome.warnings.length > 8 && <li>… and {outcome.warnings.length - 8} more</li>}
        </ul>
      )}
      {driftColumns.length > 0 && (
        <label className="focus-picker">
          Histogram of{" "}
          <select value={focus ?? ""} onChange={(e) => setFocus(e.target.value || undefined)} data-testid="drift-focus">
            <option value="">the most drifted column</option>
            {driftColumns.map((c) => (
              <option key={c.column} value={c.column}>
                {c.column}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="charts">
        {charts.map((chart) => (
          <PlotFigure key={chart.id} title={chart.title} render={chart.render} testId={`chart-${chart.id}`} />
        ))}
      </div>
      <details>
        <summary>Numbers</summary>
        <CheckDetails result={outcome.result} />
      </details>
      {trace.length > 0 && (
        <details>
          <summary>How these numbers were computed (trace)</summary>
          <pre className="trace" data-testid="check-trace">
            {trace.join("\n")}
          </pre>
        </details>
      )}
      <details>
        <summary data-testid="show-sql">Show SQL ({outcome.sql.length} statements)</summary>
        <div className="sql-actions">
          <button type="button" onClick={() => void navigator.clipboard?.writeText(sqlText)}>
            Copy
          </button>
          <button
            type="button"
            data-testid="sql-to-cell"
            onClick={() => notebookActions.addCell("sql", id, outcome.sql.at(-1) ?? "")}
          >
            Open the main query in a SQL cell
          </button>
        </div>
        <pre className="sql" data-testid="check-sql">
          {sqlText}
        </pre>
      </details>
      {(params.family === "drift" || params.family === "fairness") && (
        <details
          onToggle={(e) => {
            if ((e.currentTarget as HTMLDetailsElement).open && !conventions)
              void notebookActions.compareConventions(id);
          }}
        >
          <summary data-testid="show-conventions">
            Compare conventions (Evidently, NannyML, Alibi, Fairlearn, Aequitas)
          </summary>
          {conventions?.status === "running" && (
            <div className="running">
              <span className="spinner" /> Running under every convention…
            </div>
          )}
          {conventions?.status === "error" && <div className="cell-error">{conventions.error}</div>}
          {conventions?.comparison && <ConventionsView comparison={conventions.comparison} />}
        </details>
      )}
      <div className="check-foot">ran in {formatMs(outcome.elapsedMs)}</div>
    </div>
  );
}
