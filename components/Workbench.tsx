"use client";

import { useEffect, useState } from "react";
import { createBrowserEngine } from "@/lib/engine/browser-engine";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { startSession } from "@/lib/store/session";
import { NewAuditDialog } from "./audit/NewAuditDialog";
import { DataPanel } from "./data/DataPanel";
import { EngineBadge } from "./EngineBadge";
import { Notebook } from "./notebook/Notebook";
import { NotebookMenu } from "./notebook/NotebookMenu";
import { SaveStatus } from "./notebook/SaveStatus";
import { UndoBar } from "./notebook/UndoBar";
import { RunStaleButton } from "./notebook/RunStaleButton";
import { ShareMenu } from "./provenance/ShareMenu";
import { registerServiceWorker } from "./service-worker";

export function Workbench() {
  const title = useNotebookStore((s) => s.doc.title);
  const [newAudit, setNewAudit] = useState(false);

  useEffect(() => {
    const baseUrl = document.baseURI;
    const engine = createBrowserEngine({
      baseUrl,
      onStatus: notebookActions.setEngineStatus,
      onCrash: (reason) => void notebookActions.handleEngineCrash(reason),
    });
    notebookActions.attachEngine(engine);
    // Provenance code (hashing, signatures) loads after first paint.
    void import("@/lib/store/provenance").then((m) => m.startEvidenceLog());
    void engine.start().catch(() => undefined);
    void startSession(baseUrl).catch((error: unknown) => {
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
        <NotebookMenu title={title} />
        <SaveStatus />
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
        <ShareMenu />
        <RunStaleButton />
        <button type="button" className="primary" data-testid="run-all" onClick={() => void notebookActions.runAll()}>
          Run all
        </button>
        <EngineBadge />
      </header>
      <DataPanel />
      <Notebook />
      {newAudit && <NewAuditDialog onClose={() => setNewAudit(false)} />}
      <UndoBar />
    </div>
  );
}
