"use client";

import type { RunComparison } from "@/lib/provenance/compare-runs";
import { useNotebookStore } from "@/lib/store/notebook-store";

const show = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v));

/** Re-run and verify, cell by cell: the same result hash, or what changed. */
export function RerunReport({ comparisons, onClose }: { comparisons: RunComparison[]; onClose(): void }) {
  const cells = useNotebookStore((s) => s.doc.cells);
  const nameOf = (id: string) => cells.find((c) => c.id === id)?.name ?? id;
  const different = comparisons.filter((c) => c.status === "different").length;
  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-label="Re-run and verify"
        data-testid="rerun-report"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Re-run and verify</h2>
        <p data-testid="rerun-summary">
          {comparisons.filter((c) => c.status === "same").length} of {comparisons.length} results reproduced exactly
          {different ? `; ${different} differ` : ""}.
        </p>
        <table className="summary-table">
          <tbody>
            {comparisons.map((c) => (
              <tr key={c.cellId} data-testid="rerun-row" data-cell-name={nameOf(c.cellId)} data-status={c.status}>
                <td>
                  <span
                    className={`verdict ${c.status === "same" ? "pass" : c.status === "different" ? "fail" : "warn"}`}
                  >
                    {c.status.toUpperCase()}
                  </span>
                </td>
                <td>
                  <code>{nameOf(c.cellId)}</code>
                </td>
                <td className="muted">
                  {c.message}
                  {c.differences.length > 0 && (
                    <ul>
                      {c.differences.slice(0, 5).map((d) => (
                        <li key={`${d.row}-${d.column}`}>
                          row {d.row + 1}, {d.name ?? `column ${d.column + 1}`}: was {show(d.before)}, now{" "}
                          {show(d.after)}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
