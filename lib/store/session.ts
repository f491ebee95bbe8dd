/**
 * The notebook's life across page loads: which notebook opens, autosave to IndexedDB
 * (debounced, and at once when the page is hidden), restore with the last outputs, and
 * re-attaching datasets from the browser's private file copies.
 */
import type { CheckOutcome } from "../audit/checks/types";
import { createDemoNotebook, DEMO_DATASETS } from "../notebook/demo";
import { emptyNotebook } from "../notebook/document";
import type { NotebookDocument } from "../notebook/types";
import { keptDatasetFile } from "../persistence/dataset-store";
import { summarizeResult } from "./result-summary";
import {
  createNotebookId,
  deleteNotebook,
  lastNotebookId,
  listNotebooks,
  loadNotebook,
  type NotebookListing,
  type SavedNotebook,
  type SavedOutput,
  saveNotebook,
} from "../persistence/notebook-db";
import {
  type CellRuntime,
  currentInputsKey,
  notebookActions,
  storeInternals,
  useNotebookStore,
} from "./notebook-store";

const SAVE_DELAY_MS = 400;

/** What is kept of each cell's output: a result's shape and first rows; a check's whole outcome. */
export function outputsOf(cells: Record<string, CellRuntime>): Record<string, SavedOutput> {
  const out: Record<string, SavedOutput> = {};
  for (const [id, r] of Object.entries(cells)) {
    if (r.status === "done" && r.check) out[id] = { check: r.check, at: Date.now() };
    else if (r.status === "done" && r.result) out[id] = { table: summarizeResult(r.result), at: Date.now() };
    else if (r.restored) {
      out[id] = {
        table: { rowCount: r.restored.rowCount, columns: r.restored.columns, rows: r.restored.rows, elapsedMs: 0 },
        at: r.restored.at,
      };
    }
  }
  return out;
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;
let started = false;

export async function saveNow(): Promise<void> {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = null;
  const state = useNotebookStore.getState();
  if (!state.notebookId) return;
  const notebook: SavedNotebook = {
    id: state.notebookId,
    doc: state.doc,
    outputs: outputsOf(state.cells),
    updatedAt: Date.now(),
  };
  try {
    await saveNotebook(notebook);
    if (useNotebookStore.getState().saveError) storeInternals.set({ saveError: undefined });
  } catch (error) {
    storeInternals.set({ saveError: error instanceof Error ? error.message : String(error) });
  }
}

function scheduleSave() {
  if (saveTimer) clearTimeout(saveTimer);
  saveTimer = setTimeout(() => void saveNow(), SAVE_DELAY_MS);
}

/** Turns saved outputs back into runtime state: checks as they were, SQL results as summaries. */
function restoreRuntimes(doc: NotebookDocument, outputs: Record<string, SavedOutput>): Record<string, CellRuntime> {
  const cells: Record<string, CellRuntime> = {};
  for (const cell of doc.cells) {
    const saved = outputs[cell.id];
    if (!saved) continue;
    if (saved.check && cell.kind === "check") cells[cell.id] = { status: "done", check: saved.check as CheckOutcome };
    else if (saved.table && cell.kind === "sql") {
      cells[cell.id] = { status: "idle", restored: { ...saved.table, at: saved.at } };
    }
  }
  return cells;
}

/** Reloads the notebook's datasets from kept copies; those not kept are marked missing. */
async function reattachDatasets(doc: NotebookDocument): Promise<void> {
  for (const dataset of doc.datasets)
    storeInternals.setDataset(dataset.name, { status: "missing", fileName: dataset.fileName });
  await Promise.all(
    doc.datasets.map(async (dataset) => {
      const file = dataset.sha256 ? await keptDatasetFile(dataset.sha256, dataset.fileName) : null;
      if (file) await notebookActions.loadFile(file, dataset.name, { reattach: true });
    }),
  );
  // Checks restored from the last session are current if their inputs are the same data.
  const state = useNotebookStore.getState();
  for (const cell of state.doc.cells) {
    const runtime = state.cells[cell.id];
    if (cell.kind === "check" && runtime?.check && !runtime.inputsKey) {
      storeInternals.set((s) => ({
        cells: { ...s.cells, [cell.id]: { ...runtime, inputsKey: currentInputsKey(s, cell) } },
      }));
    }
  }
}

/** Opens a document (e.g. an imported file) as a new saved notebook and re-attaches its data. */
export async function openDocument(doc: NotebookDocument, runtimes: Record<string, CellRuntime>): Promise<void> {
  await saveNow();
  notebookActions.replaceDocument(doc, runtimes, createNotebookId());
  storeInternals.set({ datasets: {} });
  await reattachDatasets(doc);
  await saveNow();
}

async function openSaved(id: string): Promise<boolean> {
  const saved = await loadNotebook(id).catch(() => undefined);
  if (!saved) return false;
  notebookActions.replaceDocument(saved.doc, restoreRuntimes(saved.doc, saved.outputs), saved.id);
  storeInternals.set({ datasets: {} });
  await reattachDatasets(saved.doc);
  return true;
}

async function openDemo(baseUrl: string, run: boolean): Promise<void> {
  notebookActions.replaceDocument(emptyNotebook("Credit model audit (demo)"), {}, createNotebookId());
  storeInternals.set({ datasets: {} });
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
  const state = useNotebookStore.getState();
  notebookActions.replaceDocument(createDemoNotebook(state.doc), {}, state.notebookId);
  if (run) await notebookActions.runAll();
}

/** Saves the open notebook, then opens a new empty one. */
export async function newNotebook(): Promise<void> {
  await saveNow();
  notebookActions.replaceDocument(emptyNotebook(), {}, createNotebookId());
  storeInternals.set({ datasets: {} });
  for (const name of storeInternals.loadedFiles.keys()) void storeInternals.engine()?.dropTable(name);
  storeInternals.loadedFiles.clear();
  await saveNow();
}

export async function switchNotebook(id: string): Promise<void> {
  await saveNow();
  await openSaved(id);
}

export async function removeNotebook(id: string): Promise<void> {
  await deleteNotebook(id);
  if (useNotebookStore.getState().notebookId === id) {
    const next = (await listNotebooks())[0];
    if (next) await openSaved(next.id);
    else await newNotebook();
  }
}

export const savedNotebooks = (): Promise<NotebookListing[]> => listNotebooks().catch(() => []);

/**
 * Opens the first notebook: `?new` an empty one, `?demo` the demo, otherwise the notebook
 * open last, or the demo on a first visit. Then saves every change.
 */
export async function startSession(baseUrl: string): Promise<void> {
  if (started) return;
  started = true;
  const params = new URLSearchParams(window.location.search);
  if (params.has("new")) await newNotebook();
  else if (params.has("demo")) await openDemo(baseUrl, !params.has("norun"));
  else {
    const last = await lastNotebookId().catch(() => undefined);
    if (!(last && (await openSaved(last)))) await openDemo(baseUrl, !params.has("norun"));
  }
  // A reload should reopen this notebook, not make another: drop ?new / ?demo from the address.
  if (params.has("new") || params.has("demo")) window.history.replaceState(null, "", window.location.pathname);
  useNotebookStore.subscribe((state, previous) => {
    if (state.doc !== previous.doc || state.cells !== previous.cells) scheduleSave();
  });
  const flush = () => void saveNow();
  document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flush());
  window.addEventListener("pagehide", flush);
  await saveNow();
}
