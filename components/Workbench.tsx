"use client";

import { useEffect, useState } from "react";
import { createBrowserEngine } from "@/lib/engine/browser-engine";
import { createDemoNotebook, DEMO_DATASETS } from "@/lib/notebook/demo";
import { emptyNotebook } from "@/lib/notebook/document";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { NewAuditDialog } from "./audit/NewAuditDialog";
import { DataPanel } from "./data/DataPanel";
import { EngineBadge } from "./EngineBadge";
import { Notebook } from "./notebook/Notebook";
import { registerServiceWorker } from "./service-worker";

/** Opens the demo (default) or an empty notebook (`?new`), and starts the engine. */
async function openInitialNotebook(baseUrl: string) {
  const params = new URLSearchParams(window.location.search);
  if (params.has("new")) {
    notebookActions.replaceDocument(emptyNotebook());
    return;
  }
  notebookActions.replaceDocument(emptyNotebook("Credit model audit (demo)"));
  const files = await Promise.all(
    DEMO_DATASETS.map(async (d) => {
      const response = await fetch(new URL(d.path, baseUrl));
      if (!response.ok) throw new Error(`The sample ${d.path} is missing (HTTP ${response.status}).`);
      return new File([await response.blob()], d.path.split("/").pop() as string);
    }),
  );
  await notebookActions.loadFiles(
    files,
    DEMO_DATASETS.map((d) => d.name),
  );
  notebookActions.replaceDocument(createDemoNotebook(useNotebookStore.getState().doc));
  // The demo opens as a finished audit; `?norun` leaves it unrun.
  if (!params.has("norun")) await notebookActions.runAll();
}

export function Workbench() {
  const title = useNotebookStore((s) => s.doc.title);
  const [newAudit, setNewAudit] = useState(false);

  useEffect(() => {
    const baseUrl = document.baseURI;
    const engine = createBrowserEngine({ baseUrl, onStatus: notebookActions.setEngineStatus });
    notebookActions.attachEngine(engine);
    void engine.start().catch(() => undefined);
    void openInitialNotebook(baseUrl).catch((error: unknown) => {
      console.error(error);
    });
    registerServiceWorker();
    return () => {
      void engine.close();
    };
  }, []);

  return (
    <div className="workbench">
      <header className="topbar">
        <h1>Assay</h1>
        <span className="title" data-testid="notebook-title">
          {title}
        </span>
        <span className="spacer" />
        <button type="button" data-testid="new-audit" onClick={() => setNewAudit(true)}>
          New audit
        </button>
        <button type="button" onClick={() => notebookActions.addCell("sql")}>
          + SQL
        </button>
        <button type="button" onClick={() => notebookActions.addCell("markdown")}>
          + Markdown
        </button>
        <button type="button" className="primary" data-testid="run-all" onClick={() => void notebookActions.runAll()}>
          Run all
        </button>
        <EngineBadge />
      </header>
      <DataPanel />
      <Notebook />
      {newAudit && <NewAuditDialog onClose={() => setNewAudit(false)} />}
    </div>
  );
}
