"use client";

import { isStale, notebookActions, useNotebookStore } from "@/lib/store/notebook-store";

/** Brings stale cells (and what reads them) up to date. */
export function RunStaleButton() {
  const count = useNotebookStore((s) => s.doc.cells.filter((c) => isStale(s, c)).length);
  return (
    <button
      type="button"
      data-testid="run-stale"
      data-count={count}
      disabled={count === 0}
      title="Re-run the cells whose inputs changed since they ran, and the cells that read them"
      onClick={() => void notebookActions.runStale()}
    >
      Run stale{count > 0 ? ` (${count})` : ""}
    </button>
  );
}
