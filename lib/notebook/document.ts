/**
 * Pure changes to a notebook document. Each returns a new document (or the same one when
 * nothing changed), so the store stays a thin wrapper and every rule is unit-tested here.
 */
import type { CheckParams } from "../audit/checks/types";
import { renameReferences } from "../sql/references";
import { type CellData, type CellId, type CellKind, createCellId, type NotebookDocument } from "./types";

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a cell name cannot be used, or null when it can. */
export function cellNameProblem(name: string, doc: NotebookDocument, self?: CellId): string | null {
  if (!NAME_PATTERN.test(name)) {
    return "A cell name starts with a letter or _ and holds only letters, digits and _ (it is used as a table name).";
  }
  if (name.length > 63) return "A cell name is at most 63 characters.";
  const lower = name.toLowerCase();
  if (doc.cells.some((c) => c.id !== self && c.name.toLowerCase() === lower)) {
    return `Another cell is already named "${name}".`;
  }
  if (doc.datasets.some((d) => d.name.toLowerCase() === lower)) return `A dataset is already named "${name}".`;
  return null;
}

/** `base` itself when free, else `base_2`, `base_3`… (names compare case-insensitively). */
export function uniqueCellName(doc: NotebookDocument, base: string): string {
  const taken = new Set([
    ...doc.cells.map((c) => c.name.toLowerCase()),
    ...doc.datasets.map((d) => d.name.toLowerCase()),
  ]);
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`.toLowerCase())) return `${base}_${i}`;
}

/** The first free `<prefix>N` name. */
export function nextCellName(doc: NotebookDocument, prefix = "q"): string {
  const taken = new Set([
    ...doc.cells.map((c) => c.name.toLowerCase()),
    ...doc.datasets.map((d) => d.name.toLowerCase()),
  ]);
  for (let i = 1; ; i++) if (!taken.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

export function addCell(
  doc: NotebookDocument,
  kind: CellKind,
  options: { after?: CellId; source?: string; name?: string; id?: CellId; params?: CheckParams } = {},
): { doc: NotebookDocument; cell: CellData } {
  const cell: CellData = {
    id: options.id ?? createCellId(),
    kind,
    name:
      options.name ??
      (kind === "check"
        ? uniqueCellName(doc, options.params?.family ?? "check")
        : nextCellName(doc, kind === "sql" ? "q" : kind === "ts" ? "ts" : "md")),
    source: options.source ?? "",
    ...(options.params ? { params: options.params } : {}),
  };
  const at = options.after ? doc.cells.findIndex((c) => c.id === options.after) + 1 : doc.cells.length;
  const cells = [...doc.cells];
  cells.splice(at <= 0 ? doc.cells.length : at, 0, cell);
  return { doc: { ...doc, cells }, cell };
}

export function updateCellParams(doc: NotebookDocument, id: CellId, params: CheckParams): NotebookDocument {
  return { ...doc, cells: doc.cells.map((c) => (c.id === id ? { ...c, params } : c)) };
}

export function updateCellSource(doc: NotebookDocument, id: CellId, source: string): NotebookDocument {
  const cell = doc.cells.find((c) => c.id === id);
  if (!cell || cell.source === source) return doc;
  return { ...doc, cells: doc.cells.map((c) => (c.id === id ? { ...c, source } : c)) };
}

/**
 * Renames a cell; throws with the reason when the name is not allowed. A SQL cell's result
 * is a table of its name, so references in other SQL cells and in checks follow the rename.
 */
export function renameCell(doc: NotebookDocument, id: CellId, name: string): NotebookDocument {
  const problem = cellNameProblem(name, doc, id);
  if (problem) throw new Error(problem);
  const cell = doc.cells.find((c) => c.id === id);
  if (!cell) return doc;
  const from = cell.name;
  const follow = cell.kind === "sql" && from !== name;
  return {
    ...doc,
    cells: doc.cells.map((c) => {
      if (c.id === id) return { ...c, name };
      if (!follow) return c;
      if (c.kind === "sql") {
        const source = renameReferences(c.source, from, name);
        return source === c.source ? c : { ...c, source };
      }
      if (c.kind === "check" && c.params) {
        const params = renameTableParams(c.params, from, name);
        return params === c.params ? c : { ...c, params };
      }
      return c;
    }),
  };
}

const TABLE_PARAMS = ["source", "reference", "current"] as const;

function renameTableParams(params: CheckParams, from: string, to: string): CheckParams {
  const record = params as unknown as Record<string, unknown>;
  if (!TABLE_PARAMS.some((k) => record[k] === from)) return params;
  const next: Record<string, unknown> = { ...record };
  for (const k of TABLE_PARAMS) if (next[k] === from) next[k] = to;
  return next as unknown as CheckParams;
}

export function removeCell(doc: NotebookDocument, id: CellId): NotebookDocument {
  return { ...doc, cells: doc.cells.filter((c) => c.id !== id) };
}

export function moveCell(doc: NotebookDocument, id: CellId, delta: -1 | 1): NotebookDocument {
  const from = doc.cells.findIndex((c) => c.id === id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= doc.cells.length) return doc;
  const cells = [...doc.cells];
  const [cell] = cells.splice(from, 1);
  cells.splice(to, 0, cell as CellData);
  return { ...doc, cells };
}

export function upsertDataset(doc: NotebookDocument, dataset: NotebookDocument["datasets"][number]): NotebookDocument {
  const exists = doc.datasets.some((d) => d.name === dataset.name);
  return {
    ...doc,
    datasets: exists ? doc.datasets.map((d) => (d.name === dataset.name ? dataset : d)) : [...doc.datasets, dataset],
  };
}

export function removeDataset(doc: NotebookDocument, name: string): NotebookDocument {
  return { ...doc, datasets: doc.datasets.filter((d) => d.name !== name) };
}

export function renameDataset(doc: NotebookDocument, from: string, to: string): NotebookDocument {
  return { ...doc, datasets: doc.datasets.map((d) => (d.name === from ? { ...d, name: to } : d)) };
}

export function emptyNotebook(title = "Untitled audit"): NotebookDocument {
  return { title, cells: [], datasets: [] };
}
