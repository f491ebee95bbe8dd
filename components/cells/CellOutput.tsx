"use client";

import type { CellId } from "@/lib/notebook/types";
import { useNotebookStore } from "@/lib/store/notebook-store";
import { RestoredResult } from "../results/RestoredResult";
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
    return (
      <div className="cell-output">
        <RestoredResult restored={runtime.restored} />
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
