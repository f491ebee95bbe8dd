/**
 * The app's state: the saved notebook document plus runtime state (cell status, results,
 * dataset loading). The only module that imports zustand. Document changes go through the
 * pure functions in lib/notebook; this file wires them to the engine.
 */
import { create } from "zustand";
import type { ConventionComparison } from "../audit/checks/conventions";
import type { CheckOutcome, CheckParams } from "../audit/checks/types";
import type { BrowserEngine, CellResult, EngineStatus } from "../engine/browser-engine";
import { createQueryId } from "../engine/browser-engine";
import type { LoadProgress } from "../engine/protocol";
import { EngineError } from "../engine/types";
import { type AuditTemplateChoices, addAuditTemplate } from "../notebook/audit-template";
import * as docs from "../notebook/document";
import type { CellData, CellId, CellKind, NotebookDocument } from "../notebook/types";
import { quoteIdentifier, tableNameFromFileName, uniqueName } from "../sql/identifiers";

export type CellStatus = "idle" | "queued" | "running" | "done" | "error" | "cancelled";

export interface CellRuntime {
  status: CellStatus;
  queryId?: string;
  startedAt?: number;
  /** performance.now() when the last successful run finished; later cells' staleness keys on it. */
  completedAt?: number;
  result?: CellResult;
  check?: CheckOutcome;
  conventions?: { status: "running" | "done" | "error"; comparison?: ConventionComparison; error?: string };
  /** For checks: what the inputs were when it last ran (see `checkInputsKey`). */
  inputsKey?: string;
  error?: { message: string; sql?: string; column?: string };
}

/** The tables a check reads. */
export function checkInputs(params: CheckParams): string[] {
  switch (params.family) {
    case "drift":
      return [params.reference, params.current];
    case "quality":
      return params.reference ? [params.source, params.reference] : [params.source];
    default:
      return [params.source];
  }
}

/**
 * A key for everything a check's result depends on: its params and, per input table, the
 * dataset's hash or the producing cell's last run. A check whose key changed since it ran is stale.
 */
export function checkInputsKey(state: Pick<NotebookState, "doc" | "cells">, params: CheckParams): string {
  const inputs = checkInputs(params).map((name) => {
    const dataset = state.doc.datasets.find((d) => d.name === name);
    if (dataset) return [name, dataset.sha256 ?? "", dataset.rows];
    const cell = state.doc.cells.find((c) => c.name === name);
    return [name, cell ? (state.cells[cell.id]?.completedAt ?? "not run") : "missing"];
  });
  return JSON.stringify({ params, inputs });
}

export interface DatasetRuntime {
  status: "loading" | "ready" | "error";
  fileName: string;
  progress?: LoadProgress;
  hashProgress?: number;
  error?: string;
  loadMs?: number;
}

export interface NotebookState {
  doc: NotebookDocument;
  cells: Record<string, CellRuntime>;
  datasets: Record<string, DatasetRuntime>;
  /** Load failures shown in the data panel until dismissed; keyed by a local id. */
  loadErrors: { id: number; fileName: string; message: string }[];
  engineStatus: EngineStatus;
  focusedCell: CellId | null;
}

let engine: BrowserEngine | null = null;
let errorCounter = 0;

const initialState: NotebookState = {
  doc: docs.emptyNotebook(),
  cells: {},
  datasets: {},
  loadErrors: [],
  engineStatus: { state: "idle" },
  focusedCell: null,
};

export const useNotebookStore = create<NotebookState>()(() => initialState);

const get = useNotebookStore.getState;
const set = useNotebookStore.setState;

function requireEngine(): BrowserEngine {
  if (!engine) throw new Error("The engine is not attached yet.");
  return engine;
}

function setCell(id: CellId, patch: Partial<CellRuntime> | null) {
  set((s) => {
    const cells = { ...s.cells };
    if (patch === null) delete cells[id];
    else cells[id] = { ...(cells[id] ?? { status: "idle" }), ...patch } as CellRuntime;
    return { cells };
  });
}

function setDataset(name: string, patch: Partial<DatasetRuntime> | null) {
  set((s) => {
    const datasets = { ...s.datasets };
    if (patch === null) delete datasets[name];
    else datasets[name] = { ...(datasets[name] ?? { status: "loading", fileName: name }), ...patch } as DatasetRuntime;
    return { datasets };
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const notebookActions = {
  attachEngine(e: BrowserEngine) {
    engine = e;
  },
  setEngineStatus(engineStatus: EngineStatus) {
    set({ engineStatus });
  },
  replaceDocument(doc: NotebookDocument) {
    set({ doc, cells: {} });
  },
  focusCell(id: CellId | null) {
    set({ focusedCell: id });
  },

  addCell(kind: CellKind, after?: CellId, source?: string): CellData {
    const { doc, cell } = docs.addCell(get().doc, kind, { ...(after ? { after } : {}), ...(source ? { source } : {}) });
    set({ doc, focusedCell: cell.id });
    return cell;
  },
  updateSource(id: CellId, source: string) {
    set((s) => ({ doc: docs.updateCellSource(s.doc, id, source) }));
  },
  /** Renames a cell; returns the reason when the name is refused. */
  renameCell(id: CellId, name: string): string | null {
    const before = get().doc.cells.find((c) => c.id === id);
    try {
      set((s) => ({ doc: docs.renameCell(s.doc, id, name) }));
    } catch (error) {
      return messageOf(error);
    }
    if (before && before.kind === "sql" && before.name !== name && get().cells[id]?.result) {
      // The old result table would otherwise linger under a name no cell owns.
      void engine?.dropTable(before.name).catch(() => undefined);
      setCell(id, { status: "idle", result: undefined });
    }
    return null;
  },
  removeCell(id: CellId) {
    set((s) => ({ doc: docs.removeCell(s.doc, id) }));
    setCell(id, null);
  },
  moveCell(id: CellId, delta: -1 | 1) {
    set((s) => ({ doc: docs.moveCell(s.doc, id, delta) }));
  },

  /** Runs one cell; resolves true when it succeeded. */
  async runCell(id: CellId): Promise<boolean> {
    const cell = get().doc.cells.find((c) => c.id === id);
    if (!cell) return false;
    if (cell.kind === "markdown") {
      setCell(id, { status: "done", error: undefined });
      return true;
    }
    const queryId = createQueryId();
    setCell(id, { status: "running", queryId, startedAt: performance.now(), error: undefined });
    try {
      if (cell.kind === "check") {
        if (!cell.params) throw new Error("This check has no settings yet.");
        const inputsKey = checkInputsKey(get(), cell.params);
        const check = await requireEngine().runCheck(cell.params, queryId);
        if (get().cells[id]?.queryId !== queryId) return false;
        setCell(id, {
          status: "done",
          check,
          inputsKey,
          conventions: undefined,
          completedAt: performance.now(),
          error: undefined,
        });
        return true;
      }
      const result = await requireEngine().runCell(cell.source, cell.name, queryId);
      if (get().cells[id]?.queryId !== queryId) return false;
      setCell(id, { status: "done", result, completedAt: performance.now(), error: undefined });
      return true;
    } catch (error) {
      if (get().cells[id]?.queryId !== queryId) return false;
      const cancelled = error instanceof EngineError && error.kind === "cancelled";
      setCell(id, {
        status: cancelled ? "cancelled" : "error",
        result: undefined,
        check: undefined,
        error: {
          message: messageOf(error),
          ...(error instanceof EngineError && error.sql ? { sql: error.sql } : {}),
          ...(error instanceof EngineError && error.detail?.column ? { column: error.detail.column } : {}),
        },
      });
      return false;
    }
  },
  async cancelCell(id: CellId) {
    const queryId = get().cells[id]?.queryId;
    if (queryId) await requireEngine().cancel(queryId);
  },
  /**
   * Runs every cell in order. A failing SQL cell stops the run (later cells may need its
   * result, as in Jupyter); a failing check does not, since nothing reads a check's output.
   */
  async runAll(): Promise<void> {
    for (const cell of get().doc.cells) {
      if (cell.kind !== "markdown") setCell(cell.id, { status: "queued" });
    }
    for (const cell of get().doc.cells) {
      const ok = await notebookActions.runCell(cell.id);
      if (!ok && cell.kind === "sql") {
        for (const rest of get().doc.cells) {
          if (get().cells[rest.id]?.status === "queued") setCell(rest.id, { status: "idle" });
        }
        return;
      }
    }
  },
  updateParams(id: CellId, params: CheckParams) {
    set((s) => ({ doc: docs.updateCellParams(s.doc, id, params) }));
  },
  addCheck(params: CheckParams, after?: CellId): CellData {
    const { doc, cell } = docs.addCell(get().doc, "check", { params, ...(after ? { after } : {}) });
    set({ doc, focusedCell: cell.id });
    return cell;
  },
  /** Appends the standard audit (quality → drift → … → slices) for the chosen data. */
  applyAuditTemplate(choices: AuditTemplateChoices) {
    set((s) => ({ doc: addAuditTemplate(s.doc, choices) }));
  },
  async compareConventions(id: CellId) {
    const cell = get().doc.cells.find((c) => c.id === id);
    if (!cell?.params) return;
    setCell(id, { conventions: { status: "running" } });
    try {
      const comparison = await requireEngine().compareConventions(cell.params, createQueryId());
      setCell(id, { conventions: { status: "done", comparison } });
    } catch (error) {
      setCell(id, { conventions: { status: "error", error: messageOf(error) } });
    }
  },
  /** Distinct values of a column (for forms), at most `limit`. */
  async distinctValues(table: string, column: string, limit = 50): Promise<string[]> {
    const c = quoteIdentifier(column);
    const t = await requireEngine().query(
      `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${quoteIdentifier(table)} WHERE ${c} IS NOT NULL ORDER BY v LIMIT ${Math.floor(limit)}`,
    );
    const v = t.getChild("v");
    return Array.from({ length: t.numRows }, (_, i) => String(v?.get(i)));
  },

  /** Loads files as datasets; each gets a table name derived from its file name. */
  async loadFiles(files: File[], names?: string[]): Promise<void> {
    await Promise.all(files.map((file, i) => notebookActions.loadFile(file, names?.[i])));
  },
  async loadFile(file: File, preferredName?: string): Promise<boolean> {
    const state = get();
    const taken = new Set([
      ...state.doc.datasets.map((d) => d.name),
      ...Object.keys(state.datasets),
      ...state.doc.cells.map((c) => c.name),
    ]);
    const name = uniqueName(preferredName ?? tableNameFromFileName(file.name), taken);
    setDataset(name, { status: "loading", fileName: file.name, hashProgress: 0 });
    const e = requireEngine();
    const hashing = e.sha256(file, (f) => setDataset(name, { hashProgress: f })).catch(() => undefined);
    try {
      const info = await e.loadFile(file, name, (progress) => setDataset(name, { progress }));
      setDataset(name, { status: "ready", loadMs: info.loadMs });
      set((s) => ({
        doc: docs.upsertDataset(s.doc, {
          name: info.name,
          fileName: info.fileName,
          format: info.format,
          sizeBytes: info.sizeBytes,
          rows: info.rows,
          columns: info.columns,
        }),
      }));
      const sha256 = await hashing;
      if (sha256) {
        set((s) => ({
          doc: {
            ...s.doc,
            datasets: s.doc.datasets.map((d) => (d.name === name ? { ...d, sha256 } : d)),
          },
        }));
      }
      setDataset(name, { hashProgress: 1 });
      return true;
    } catch (error) {
      setDataset(name, null);
      errorCounter += 1;
      set((s) => ({
        loadErrors: [...s.loadErrors, { id: errorCounter, fileName: file.name, message: messageOf(error) }],
      }));
      return false;
    }
  },
  dismissLoadError(id: number) {
    set((s) => ({ loadErrors: s.loadErrors.filter((e) => e.id !== id) }));
  },
  async renameDataset(from: string, to: string): Promise<string | null> {
    if (from === to) return null;
    const state = get();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(to)) return "Use letters, digits and _ only, starting with a letter.";
    const clash =
      state.doc.datasets.some((d) => d.name.toLowerCase() === to.toLowerCase()) ||
      state.doc.cells.some((c) => c.name.toLowerCase() === to.toLowerCase());
    if (clash) return `The name "${to}" is already used by a dataset or a cell.`;
    try {
      await requireEngine().renameTable(from, to);
    } catch (error) {
      return messageOf(error);
    }
    set((s) => {
      const datasets = { ...s.datasets };
      if (datasets[from]) {
        datasets[to] = datasets[from] as DatasetRuntime;
        delete datasets[from];
      }
      return { doc: docs.renameDataset(s.doc, from, to), datasets };
    });
    return null;
  },
  fetchRows(table: string, offset: number, limit: number) {
    return requireEngine().fetchRows(table, offset, limit);
  },
  async removeDataset(name: string) {
    await requireEngine()
      .dropTable(name)
      .catch(() => undefined);
    set((s) => ({ doc: docs.removeDataset(s.doc, name) }));
    setDataset(name, null);
  },
};
