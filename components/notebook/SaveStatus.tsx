"use client";

import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";

export function SaveStatus() {
  const error = useNotebookStore((s) => s.saveError);
  const notice = useNotebookStore((s) => s.engineNotice);
  return (
    <>
      {error && (
        <span className="badge failed" title={error} data-testid="save-error">
          Not saved: {error}
        </span>
      )}
      {notice && (
        <button
          type="button"
          className="badge failed"
          data-testid="engine-notice"
          title="Dismiss"
          onClick={() => notebookActions.dismissEngineNotice()}
        >
          {notice} ×
        </button>
      )}
    </>
  );
}
