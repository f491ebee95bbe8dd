"use client";

import { useEffect, useState } from "react";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";

/** "Cell deleted — Undo", and Ctrl/Cmd+Z for it when no editor has the focus. */
export function UndoBar() {
  const last = useNotebookStore((s) => s.deleted.at(-1));
  const [hidden, setHidden] = useState<string | null>(null);
  // The bar fades after a while; Ctrl/Cmd+Z keeps working.
  useEffect(() => {
    if (!last) return;
    const timer = setTimeout(() => setHidden(last.cell.id), 15_000);
    return () => clearTimeout(timer);
  }, [last]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target?.closest("input, textarea, select, .monaco-editor");
      if ((e.ctrlKey || e.metaKey) && e.key === "z" && !e.shiftKey && !typing) {
        e.preventDefault();
        notebookActions.undoDelete();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  if (!last || hidden === last.cell.id) return null;
  return (
    <div className="undo-bar" role="status" data-testid="undo-bar">
      Deleted cell <code>{last.cell.name}</code>.
      <button type="button" className="primary" data-testid="undo-delete" onClick={() => notebookActions.undoDelete()}>
        Undo
      </button>
    </div>
  );
}
