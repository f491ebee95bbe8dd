"use client";

import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { AuditSummary } from "../audit/AuditSummary";
import { TrustBanner } from "../cells/TsTrustBanner";
import { ImportBanner } from "../provenance/ImportBanner";
import { AddCheckMenu } from "./AddCheckMenu";
import { CellView } from "./CellView";

export function Notebook() {
  // Only the ids: a cell's own view subscribes to its own data, so typing in one cell
  // does not re-render the others.
  const ids = useNotebookStore((s) => s.doc.cells.map((c) => c.id).join(","));
  const cellIds = ids === "" ? [] : ids.split(",");
  return (
    <main className="notebook" data-testid="notebook">
      <ImportBanner />
      <AuditSummary />
      <TrustBanner />
      {cellIds.length === 0 && (
        <p className="empty-hint">This notebook is empty. Load data on the left, then add a SQL cell.</p>
      )}
      {cellIds.map((id, index) => (
        <CellView key={id} id={id as never} index={index} />
      ))}
      <div className="add-row">
        <button type="button" data-testid="add-sql" onClick={() => notebookActions.addCell("sql")}>
          + SQL cell
        </button>
        <button type="button" data-testid="add-markdown" onClick={() => notebookActions.addCell("markdown")}>
          + Markdown cell
        </button>
        <button type="button" data-testid="add-ts" onClick={() => notebookActions.addCell("ts")}>
          + TypeScript cell
        </button>
        <AddCheckMenu />
      </div>
    </main>
  );
}
