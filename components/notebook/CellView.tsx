"use client";

import { useEffect, useState } from "react";
import type { CellId } from "@/lib/notebook/types";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { FAMILY_TITLES } from "@/lib/audit/checks/defaults";
import { CellOutput } from "../cells/CellOutput";
import { CheckCellBody } from "../checks/CheckCellBody";
import { CheckVerdict } from "../checks/CheckVerdict";
import { MarkdownView } from "../cells/MarkdownView";
import { CodeEditor } from "../editor/CodeEditor";
import { TsCellOutput } from "../cells/TsCellOutput";
import { CellStatusLabel } from "./CellStatusLabel";
import { StaleMark } from "./StaleMark";

/** Runs the cell, then focuses the next one, adding a cell at the end (Jupyter's Shift+Enter). */
function runAndAdvance(id: CellId) {
  const cells = useNotebookStore.getState().doc.cells;
  const index = cells.findIndex((c) => c.id === id);
  const next = cells[index + 1];
  void notebookActions.runCell(id);
  if (next) notebookActions.focusCell(next.id);
  else notebookActions.addCell("sql", id);
}

export function CellView({ id, index }: { id: CellId; index: number }) {
  const cell = useNotebookStore((s) => s.doc.cells.find((c) => c.id === id));
  const status = useNotebookStore((s) => s.cells[id]?.status ?? "idle");
  const focused = useNotebookStore((s) => s.focusedCell === id);
  const [name, setName] = useState(cell?.name ?? "");
  const [nameError, setNameError] = useState<string | null>(null);
  const [editingMarkdown, setEditingMarkdown] = useState(false);
  useEffect(() => setName(cell?.name ?? ""), [cell?.name]);
  if (!cell) return null;

  const isSql = cell.kind === "sql";
  const isCheck = cell.kind === "check";
  const isTs = cell.kind === "ts";
  const runnable = isSql || isCheck || isTs;
  const showEditor = !isCheck && (isSql || isTs || editingMarkdown || cell.source.trim() === "");
  const running = status === "running" || status === "queued";

  const commitName = () => {
    const next = name.trim();
    if (next === cell.name) return setNameError(null);
    const problem = notebookActions.renameCell(id, next);
    setNameError(problem);
    if (problem) setName(cell.name);
  };

  return (
    <section
      className={`cell${focused ? " focused" : ""}`}
      data-testid="cell"
      data-cell-name={cell.name}
      data-cell-id={cell.id}
      data-cell-kind={cell.kind}
      data-status={status}
      onFocusCapture={() => !focused && notebookActions.focusCell(id)}
    >
      <div className="cell-head">
        <span className="kind">
          {isSql
            ? "SQL"
            : isTs
              ? "TypeScript"
              : isCheck
                ? cell.params
                  ? FAMILY_TITLES[cell.params.family]
                  : "Check"
                : "Markdown"}
        </span>
        {runnable && (
          <input
            className="name"
            type="text"
            value={name}
            aria-label="Cell name"
            data-testid="cell-name"
            onChange={(e) => setName(e.target.value)}
            onBlur={commitName}
            onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
          />
        )}
        {nameError && <span className="name-error">{nameError}</span>}
        <span className="spacer" />
        {isCheck && cell.params && <CheckVerdict id={id} params={cell.params} />}
        {(isSql || isTs) && <StaleMark id={id} />}
        <CellStatusLabel id={id} />
        {!runnable && !showEditor && (
          <button type="button" onClick={() => setEditingMarkdown(true)}>
            Edit
          </button>
        )}
        {!runnable && showEditor && cell.source.trim() !== "" && (
          <button type="button" onClick={() => setEditingMarkdown(false)}>
            Done
          </button>
        )}
        {runnable &&
          (running ? (
            <button
              type="button"
              className="danger"
              data-testid="cancel-cell"
              onClick={() => void notebookActions.cancelCell(id)}
            >
              {isTs ? "Interrupt" : "Cancel"}
            </button>
          ) : (
            <button
              type="button"
              data-testid="run-cell"
              title="Run (Ctrl+Enter)"
              onClick={() => void notebookActions.runCell(id)}
            >
              ▶ Run
            </button>
          ))}
        <button type="button" title="Move up" disabled={index === 0} onClick={() => notebookActions.moveCell(id, -1)}>
          ↑
        </button>
        <button type="button" title="Move down" onClick={() => notebookActions.moveCell(id, 1)}>
          ↓
        </button>
        <button type="button" className="danger" title="Delete cell" onClick={() => notebookActions.removeCell(id)}>
          ×
        </button>
      </div>
      {showEditor ? (
        <CodeEditor
          value={cell.source}
          language={isSql ? "sql" : isTs ? "typescript" : "markdown"}
          focused={focused}
          onChange={(source) => notebookActions.updateSource(id, source)}
          onRun={() => {
            if (isSql || isTs) void notebookActions.runCell(id);
            else setEditingMarkdown(false);
          }}
          onRunAndAdvance={() => {
            if (!isSql && !isTs) setEditingMarkdown(false);
            runAndAdvance(id);
          }}
        />
      ) : null}
      {cell.kind === "markdown" && !showEditor && (
        <div onDoubleClick={() => setEditingMarkdown(true)}>
          <MarkdownView source={cell.source} />
        </div>
      )}
      {isSql && <CellOutput id={id} />}
      {isTs && <TsCellOutput id={id} />}
      {isCheck && cell.params && <CheckCellBody id={id} params={cell.params} />}
    </section>
  );
}
