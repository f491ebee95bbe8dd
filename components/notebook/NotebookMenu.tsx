"use client";

import { useEffect, useState } from "react";
import type { NotebookListing } from "@/lib/persistence/notebook-db";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { newNotebook, removeNotebook, savedNotebooks, switchNotebook } from "@/lib/store/session";

/** The notebook's title (editable) and the notebooks kept in this browser. */
export function NotebookMenu({ title }: { title: string }) {
  const notebookId = useNotebookStore((s) => s.notebookId);
  const [open, setOpen] = useState(false);
  const [list, setList] = useState<NotebookListing[]>([]);
  const [draft, setDraft] = useState(title);
  useEffect(() => setDraft(title), [title]);
  useEffect(() => {
    if (open) void savedNotebooks().then(setList);
  }, [open]);

  return (
    <div className="notebook-menu">
      <input
        className="title-input"
        type="text"
        value={draft}
        aria-label="Notebook title"
        data-testid="notebook-title"
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => draft.trim() && notebookActions.setTitle(draft.trim())}
        onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
      />
      <button type="button" data-testid="notebooks-button" onClick={() => setOpen(!open)} aria-expanded={open}>
        Notebooks ▾
      </button>
      {open && (
        <div className="menu" data-testid="notebooks-menu">
          <button
            type="button"
            className="menu-item"
            data-testid="new-notebook"
            onClick={() => {
              void newNotebook();
              setOpen(false);
            }}
          >
            + New empty notebook
          </button>
          {list.map((n) => (
            <div key={n.id} className={`menu-row${n.id === notebookId ? " current" : ""}`} data-testid="notebook-entry">
              <button
                type="button"
                className="menu-item"
                onClick={() => {
                  void switchNotebook(n.id);
                  setOpen(false);
                }}
              >
                {n.title}{" "}
                <span className="muted">
                  · {n.cells} cells · {new Date(n.updatedAt).toLocaleString()}
                </span>
              </button>
              <button
                type="button"
                className="danger"
                title="Delete this notebook from the browser"
                onClick={() => {
                  if (window.confirm(`Delete "${n.title}" from this browser?`)) {
                    void removeNotebook(n.id).then(() => savedNotebooks().then(setList));
                  }
                }}
              >
                ×
              </button>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
