"use client";

import type { CellId } from "@/lib/notebook/types";
import { useNotebookStore } from "@/lib/store/notebook-store";
import { formatValue } from "@/lib/format";
import { ResultTable } from "../results/ResultTable";

export function CellOutput({ id }: { id: CellId }) {
  const runtime = useNotebookStore((s) => s.cells[id]);
  if (!runtime) return null;
  if (runtime.status === "running") {
    return (
      <div className="cell-output running" data-testid="cell-running">
        <span className="spinner" /> Running… Cancel stops the query; the data stays loaded.
      </div>
    );
  }
  if ((runtime.status === "error" || runtime.status === "cancelled") && runtime.error) {
    return (
      <div className="cell-output">
        <div className="cell-error" role="alert" data-testid="cell-error">
          {runtime.status === "cancelled" ? "Cancelled. " : ""}
          {runtime.error.message}
          {runtime.status === "error" && runtime.error.sql && (
            <div className="sql">
              in: {runtime.error.sql.length > 300 ? `${runtime.error.sql.slice(0, 300)}…` : runtime.error.sql}
            </div>
          )}
        </div>
      </div>
    );
  }
  if (runtime.restored && !runtime.result) {
    const r = runtime.restored;
    return (
      <div className="cell-output" data-testid="restored-output">
        <div className="restored-note">
          From the last session ({new Date(r.at).toLocaleString()}): {r.rowCount} rows; first {r.rows.length} shown. Run
          the cell to refresh.
        </div>
        <div className="result-scroll">
          <table className="result">
            <thead>
              <tr>
                {r.columns.map((c) => (
                  <th key={c.name}>
                    {c.name}
                    <span className="type">{c.type}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: saved rows have no identity beyond position.
                <tr key={i}>
                  {r.columns.map((c, ci) => (
                    <td key={c.name}>{formatValue(row[ci], c.type)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    );
  }
  if (runtime.result) {
    return (
      <div className="cell-output">
        <ResultTable result={runtime.result} />
      </div>
    );
  }
  return null;
}
