/**
 * Notebooks kept in the browser (IndexedDB): the document and the last outputs of its cells,
 * so a reload or a crash loses nothing. Values are stored by structured clone, not JSON.
 */
import type { NotebookDocument } from "../notebook/types";

export interface SavedOutput {
  /** SQL cells: the shape of the result and its first rows (plain values). */
  table?: { rowCount: number; columns: { name: string; type: string }[]; rows: unknown[][]; elapsedMs: number };
  /** Check cells: the whole outcome (plain data). */
  check?: unknown;
  /** When the output was produced (ms since epoch). */
  at: number;
}

export interface SavedNotebook {
  id: string;
  doc: NotebookDocument;
  outputs: Record<string, SavedOutput>;
  updatedAt: number;
}

export interface NotebookListing {
  id: string;
  title: string;
  cells: number;
  updatedAt: number;
}

const DB_NAME = "assay";
const DB_VERSION = 1;
const NOTEBOOKS = "notebooks";
const META = "meta";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

let opened: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    if (typeof indexedDB === "undefined") {
      reject(new Error("This browser keeps no local storage (IndexedDB is unavailable); notebooks will not be saved."));
      return;
    }
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(NOTEBOOKS)) db.createObjectStore(NOTEBOOKS, { keyPath: "id" });
      if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("Could not open the notebook store."));
    req.onblocked = () =>
      reject(new Error("The notebook store is held by another tab with an older version of Assay."));
  });
  opened.catch(() => {
    opened = null;
  });
  return opened;
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await open()).transaction(name, mode).objectStore(name);
}

export async function saveNotebook(notebook: SavedNotebook): Promise<void> {
  await request((await store(NOTEBOOKS, "readwrite")).put(notebook));
  await request((await store(META, "readwrite")).put(notebook.id, "last"));
}

export async function loadNotebook(id: string): Promise<SavedNotebook | undefined> {
  return request((await store(NOTEBOOKS, "readonly")).get(id)) as Promise<SavedNotebook | undefined>;
}

export async function deleteNotebook(id: string): Promise<void> {
  await request((await store(NOTEBOOKS, "readwrite")).delete(id));
}

export async function lastNotebookId(): Promise<string | undefined> {
  return request((await store(META, "readonly")).get("last")) as Promise<string | undefined>;
}

export async function listNotebooks(): Promise<NotebookListing[]> {
  const all = (await request((await store(NOTEBOOKS, "readonly")).getAll())) as SavedNotebook[];
  return all
    .map((n) => ({ id: n.id, title: n.doc.title, cells: n.doc.cells.length, updatedAt: n.updatedAt }))
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export function createNotebookId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `nb-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** A small value kept beside the notebooks (e.g. the signing key). */
export async function getMeta<T>(key: string): Promise<T | undefined> {
  return request((await store(META, "readonly")).get(key)) as Promise<T | undefined>;
}

export async function putMeta(key: string, value: unknown): Promise<void> {
  await request((await store(META, "readwrite")).put(value, key));
}
