"use client";

import { useNotebookStore } from "@/lib/store/notebook-store";

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
        <span className="badge failed" data-testid="engine-notice" title={notice}>
          {notice}
        </span>
      )}
    </>
  );
}
