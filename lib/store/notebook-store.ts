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
import { type CompletionTimes, cellInputsKey, downstreamOf, runOrder } from "../notebook/dependencies";
import * as docs from "../notebook/document";
import type { CellData, CellId, CellKind, NotebookDocument } from "../notebook/types";
import { keepDatasetFile } from "../persistence/dataset-store";
import { summarizeResult } from "./result-summary";
import { runAtMost } from "./run-at-most";
import { interruptTsCell, runTsCell, type TsCellRuntime } from "./ts-cell";
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
  /** A TypeScript cell's outputs, checks and returned table. */
  ts?: TsCellRuntime;
  conventions?: { status: "running" | "done" | "error"; comparison?: ConventionComparison; error?: string };
  /** What the cell's inputs were when it last ran (see lib/notebook/dependencies). */
  inputsKey?: string;
  error?: { message: string; sql?: string; column?: string };
  /** The output saved in the last session, shown until the cell runs again. */
  restored?: { rowCount: number; columns: { name: string; type: string }[]; rows: unknown[][]; at: number };
}

export interface DatasetRuntime {
  /** `missing`: the notebook names this dataset but its file is not loaded (re-attach it). */
  status: "loading" | "ready" | "error" | "missing";
  fileName: string;
  progress?: LoadProgress;
  hashProgress?: number;
  error?: string;
  hashError?: string;
  /** A re-attached file whose bytes differ from the ones the notebook recorded. */
  hashMismatch?: { expected: string; actual: string };
  loadMs?: number;
  /** What streaming left out (columns drift cannot compare, too many categories). */
  notes?: string[];
}

export interface NotebookState {
  doc: NotebookDocument;
  cells: Record<string, CellRuntime>;
  datasets: Record<string, DatasetRuntime>;
  /** Load failures shown in the data panel until dismissed; keyed by a local id. */
  loadErrors: { id: number; fileName: string; message: string }[];
  engineStatus: EngineStatus;
  focusedCell: CellId | null;
  /** The saved notebook this document is (IndexedDB key). */
  notebookId: string;
  /** Deleted cells, newest last, for undo. */
  deleted: { cell: CellData; index: number; runtime?: CellRuntime }[];
  /** Set when saving failed; shown to the person. */
  saveError?: string;
  /** A message about the engine (e.g. it restarted after a crash). */
  engineNotice?: string;
}

/** When each cell last finished, for dependency keys. */
function completionTimes(cells: Record<string, CellRuntime>): CompletionTimes {
  const out: Record<string, number | undefined> = {};
  for (const [id, r] of Object.entries(cells)) out[id] = r.completedAt;
  return out;
}

/** The current inputs key of a cell (see lib/notebook/dependencies). */
export function currentInputsKey(state: Pick<NotebookState, "doc" | "cells">, cell: CellData): string {
  return cellInputsKey(state.doc, completionTimes(state.cells), cell);
}

/** True when the cell has a result that no longer reflects its source or inputs. */
export function isStale(state: Pick<NotebookState, "doc" | "cells">, cell: CellData): boolean {
  const runtime = state.cells[cell.id];
  if (!runtime?.inputsKey || runtime.status !== "done") return false;
  return runtime.inputsKey !== currentInputsKey(state, cell);
}

let engine: BrowserEngine | null = null;
/**
 * Checks run side by side by runAll: two, one per thread that does the work (DuckDB's worker runs
 * one check's SQL while the engine worker runs the other's JavaScript); more would only hold more
 * intermediate results in memory.
 */
const CHECKS_AT_ONCE = 2;
/** Called after each successful check run (the evidence log listens). */
const checkListeners: ((cell: CellData) => void)[] = [];

/** The files behind loaded datasets, to reload them after an engine restart. */
const loadedFiles = new Map<string, File>();
/** Datasets that were streamed (profiled, not loaded); reloading after a crash streams them again. */
const streamedNames = new Set<string>();
let errorCounter = 0;

const initialState: NotebookState = {
  doc: docs.emptyNotebook(),
  cells: {},
  datasets: {},
  loadErrors: [],
  engineStatus: { state: "idle" },
  focusedCell: null,
  notebookId: "",
  deleted: [],
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
  replaceDocument(doc: NotebookDocument, cells: Record<string, CellRuntime> = {}, notebookId?: string) {
    set({ doc, cells, deleted: [], ...(notebookId ? { notebookId } : {}) });
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
    const result = get().cells[id]?.result;
    if (before && before.kind === "sql" && before.name !== name && result?.kind === "table") {
      // The result table follows the cell's name, as the references in other cells did.
      setCell(id, { result: { ...result, table: name } });
      void engine?.renameTable(before.name, name).catch(() => setCell(id, { status: "idle", result: undefined }));
    }
    return null;
  },
  /** Deletes a cell; `undoDelete` brings it back where it was, with its output. */
  removeCell(id: CellId) {
    const state = get();
    const index = state.doc.cells.findIndex((c) => c.id === id);
    const cell = state.doc.cells[index];
    if (!cell) return;
    const runtime = state.cells[id];
    set((s) => ({
      doc: docs.removeCell(s.doc, id),
      deleted: [...s.deleted.slice(-19), { cell, index, ...(runtime ? { runtime } : {}) }],
    }));
    setCell(id, null);
  },
  undoDelete() {
    const last = get().deleted.at(-1);
    if (!last) return;
    set((s) => {
      const cells = [...s.doc.cells];
      cells.splice(Math.min(last.index, cells.length), 0, last.cell);
      return {
        doc: { ...s.doc, cells },
        deleted: s.deleted.slice(0, -1),
        cells: last.runtime ? { ...s.cells, [last.cell.id]: last.runtime } : s.cells,
        focusedCell: last.cell.id,
      };
    });
  },
  setTitle(title: string) {
    set((s) => ({ doc: { ...s.doc, title } }));
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
      const inputsKey = currentInputsKey(get(), cell);
      if (cell.kind === "check") {
        if (!cell.params) throw new Error("This check has no settings yet.");
        const check = await requireEngine().runCheck(cell.params, queryId);
        if (get().cells[id]?.queryId !== queryId) return false;
        setCell(id, {
          status: "done",
          check,
          inputsKey,
          conventions: undefined,
          completedAt: performance.now(),
          error: undefined,
          restored: undefined,
        });
        for (const listener of checkListeners) listener(cell);
        return true;
      }
      if (cell.kind === "ts") {
        const onProgress = (ts: TsCellRuntime) => get().cells[id]?.queryId === queryId && setCell(id, { ts });
        const ts = await runTsCell(get().doc, cell, requireEngine(), onProgress);
        if (get().cells[id]?.queryId !== queryId) return false;
        setCell(id, { status: "done", ts, inputsKey, completedAt: performance.now(), error: undefined });
        return true;
      }
      const result = await requireEngine().runCell(cell.source, cell.name, queryId);
      if (get().cells[id]?.queryId !== queryId) return false;
      setCell(id, {
        status: "done",
        result,
        inputsKey,
        completedAt: performance.now(),
        error: undefined,
        restored: undefined,
      });
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
    if (get().doc.cells.find((c) => c.id === id)?.kind === "ts") return interruptTsCell();
    const queryId = get().cells[id]?.queryId;
    if (queryId) await requireEngine().cancel(queryId);
  },
  /**
   * Runs every cell in order. A failing SQL cell stops the run (later cells may need its
   * result, as in Jupyter); a failing check does not, since nothing reads a check's output.
   * Adjacent checks (and the Markdown between them) run CHECKS_AT_ONCE at a time: checks only
   * read, and the engine overlaps one check's JavaScript with the other's SQL.
   */
  async runAll(): Promise<void> {
    for (const cell of get().doc.cells) {
      if (cell.kind !== "markdown") setCell(cell.id, { status: "queued" });
    }
    const cells = get().doc.cells;
    for (let i = 0; i < cells.length; ) {
      const cell = cells[i] as CellData;
      if (cell.kind === "check" || cell.kind === "markdown") {
        let end = i;
        while (end < cells.length && ["check", "markdown"].includes((cells[end] as CellData).kind)) end++;
        await runAtMost(
          CHECKS_AT_ONCE,
          cells.slice(i, end).map((c) => () => notebookActions.runCell(c.id)),
        );
        i = end;
        continue;
      }
      const ok = await notebookActions.runCell(cell.id);
      if (!ok && cell.kind === "sql") {
        for (const rest of get().doc.cells) {
          if (get().cells[rest.id]?.status === "queued") setCell(rest.id, { status: "idle" });
        }
        return;
      }
      i++;
    }
  },
  /**
   * Re-runs every stale cell and everything downstream of one (re-running a cell changes
   * what its readers read), upstream before downstream. Stops at a failing SQL cell.
   */
  async runStale(): Promise<void> {
    const state = get();
    const ids = new Set<CellId>();
    for (const cell of state.doc.cells) {
      if (!isStale(state, cell)) continue;
      ids.add(cell.id);
      for (const down of downstreamOf(state.doc, cell.id))
        if (state.cells[down.id]?.status === "done") ids.add(down.id);
    }
    for (const cell of runOrder(state.doc, [...ids])) {
      const ok = await notebookActions.runCell(cell.id);
      if (!ok && cell.kind === "sql") return;
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
    return requireEngine().distinctValues(table, column, limit);
  },

  /** Loads files as datasets; each gets a table name derived from its file name. */
  async loadFiles(files: File[], names?: string[], options: { stream?: boolean } = {}): Promise<void> {
    await Promise.all(files.map((file, i) => notebookActions.loadFile(file, names?.[i], options)));
  },
  /**
   * Loads a file as a dataset, named after the file (or `options.name`). With `reattach`, the
   * file takes the place of a dataset the notebook already names, and its SHA-256 is checked
   * against the one recorded. With `stream` (or when re-attaching a dataset that was streamed) a
   * Parquet file is profiled row group by row group instead of loaded: drift checks only.
   */
  async loadFile(
    file: File,
    preferredName?: string,
    options: { reattach?: boolean; stream?: boolean } = {},
  ): Promise<boolean> {
    const state = get();
    const recorded = options.reattach ? state.doc.datasets.find((d) => d.name === preferredName) : undefined;
    const expected = recorded?.sha256;
    const stream = options.stream === true || recorded?.streamed === true;
    const taken = new Set([
      ...state.doc.datasets.map((d) => d.name),
      ...Object.keys(state.datasets),
      ...state.doc.cells.map((c) => c.name),
    ]);
    const name =
      options.reattach && preferredName
        ? preferredName
        : uniqueName(preferredName ?? tableNameFromFileName(file.name), taken);
    setDataset(name, { status: "loading", fileName: file.name, hashProgress: 0, hashMismatch: undefined });
    const e = requireEngine();
    const hashing = e
      .sha256(file, (f) => setDataset(name, { hashProgress: f }))
      .catch((error: unknown) => {
        setDataset(name, { hashError: messageOf(error) });
        return undefined;
      });
    try {
      const info = await e.loadFile(
        file,
        name,
        (progress) => setDataset(name, { progress }),
        stream ? { stream: true } : undefined,
      );
      loadedFiles.set(name, file);
      if (info.streamed) streamedNames.add(name);
      else streamedNames.delete(name);
      setDataset(name, { status: "ready", loadMs: info.loadMs, notes: info.notes });
      set((s) => ({
        doc: docs.upsertDataset(s.doc, {
          name: info.name,
          fileName: info.fileName,
          format: info.format,
          sizeBytes: info.sizeBytes,
          rows: info.rows,
          columns: info.columns,
          ...(expected ? { sha256: expected } : {}),
          ...(info.streamed ? { streamed: true as const } : {}),
        }),
      }));
      const sha256 = await hashing;
      if (sha256) {
        if (expected && expected !== sha256) {
          // The data differs from the data the notebook was made with: say so, keep the record.
          setDataset(name, { hashMismatch: { expected, actual: sha256 } });
        } else {
          set((s) => ({
            doc: { ...s.doc, datasets: s.doc.datasets.map((d) => (d.name === name ? { ...d, sha256 } : d)) },
          }));
        }
        void keepDatasetFile(sha256, file);
      }
      setDataset(name, { hashProgress: 1 });
      return true;
    } catch (error) {
      setDataset(name, options.reattach ? { status: "missing" } : null);
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
      const file = loadedFiles.get(from);
      if (file) {
        loadedFiles.delete(from);
        loadedFiles.set(to, file);
      }
      if (streamedNames.delete(from)) {
        streamedNames.add(to);
      }
      return { doc: docs.renameDataset(s.doc, from, to), datasets };
    });
    return null;
  },
  /**
   * After the engine worker died: say which cell was running, keep every shown result as a
   * summary (the notebook stays intact), restart the engine and reload the datasets.
   */
  async handleEngineCrash(reason: string) {
    const state = get();
    const runningNames: string[] = [];
    const cells: Record<string, CellRuntime> = {};
    for (const cell of state.doc.cells) {
      const r = state.cells[cell.id];
      if (!r) continue;
      if (r.status === "running" || r.status === "queued") {
        if (r.status === "running") runningNames.push(cell.name);
        cells[cell.id] = {
          ...r,
          // Without its query id, the failing call's own error no longer applies to the cell.
          queryId: undefined,
          status: r.status === "running" ? "error" : "idle",
          ...(r.status === "running"
            ? {
                error: {
                  message: `The engine stopped while this cell ran (${reason}). It restarted and your notebook is intact. If this cell needs more memory than the tab has, reduce its result (aggregate, filter, LIMIT) or run it with the assay CLI.`,
                },
              }
            : {}),
        };
      } else if (r.result) {
        const { result, ...rest } = r;
        cells[cell.id] = { ...rest, status: "idle", restored: { ...summarizeResult(result), at: Date.now() } };
      } else cells[cell.id] = r;
    }
    set({
      cells,
      engineNotice: `Engine restarted after it stopped${runningNames.length ? ` while running ${runningNames.join(", ")}` : ""}`,
    });
    const e = requireEngine();
    await e.start();
    for (const [name, file] of loadedFiles) {
      const options = streamedNames.has(name) ? { stream: true } : undefined;
      await e.loadFile(file, name, undefined, options).catch((error: unknown) => {
        errorCounter += 1;
        set((s) => ({
          loadErrors: [...s.loadErrors, { id: errorCounter, fileName: file.name, message: messageOf(error) }],
        }));
      });
    }
  },
  dismissEngineNotice() {
    set({ engineNotice: undefined });
  },
  /** A whole result table, for export (CSV is built from it; Parquet in the worker). */
  queryTable(table: string) {
    return requireEngine().query(`SELECT * FROM ${quoteIdentifier(table)}`);
  },
  exportParquet(table: string) {
    return requireEngine().exportParquet(table);
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
    loadedFiles.delete(name);
    streamedNames.delete(name);
  },
};

/** Internal hooks for lib/store/session.ts (not for components). */
export const storeInternals = {
  onCheckRan(listener: (cell: CellData) => void) {
    checkListeners.push(listener);
  },
  get,
  set,
  setDataset,
  loadedFiles,
  engine: () => engine,
};
