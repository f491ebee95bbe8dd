"use client";

import type { CheckParams } from "@/lib/audit/checks/types";
import type { CellId } from "@/lib/notebook/types";
import { useNotebookStore } from "@/lib/store/notebook-store";
import { RestoredResult } from "../results/RestoredResult";
import { CheckForm } from "./CheckForm";
import { CheckOutcomeView } from "./CheckOutcomeView";

export function CheckCellBody({ id, params }: { id: CellId; params: CheckParams }) {
  const runtime = useNotebookStore((s) => s.cells[id]);
  return (
    <div className="check-body">
      <details className="check-settings" open={!runtime?.check}>
        <summary>Settings</summary>
        <CheckForm id={id} params={params} />
      </details>
      {runtime?.status === "running" && (
        <div className="cell-output running" data-testid="cell-running">
          <span className="spinner" /> Running the check…
        </div>
      )}
      {runtime?.status === "error" && runtime.error && (
        <div className="cell-output">
          <div className="cell-error" role="alert" data-testid="cell-error" data-column={runtime.error.column ?? ""}>
            {runtime.error.message}
          </div>
        </div>
      )}
      {runtime?.restored && !runtime.check && runtime.status !== "running" && (
        <div className="cell-output">
          <RestoredResult restored={runtime.restored} />
        </div>
      )}
      {runtime?.status !== "error" && runtime?.check && (
        <div className="cell-output">
          <CheckOutcomeView id={id} outcome={runtime.check} params={params} />
        </div>
      )}
    </div>
  );
}
