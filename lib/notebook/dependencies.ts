/**
 * Which cells a cell reads, and whether its last result still reflects them. A SQL cell
 * reads the cells and datasets it names; a check reads the tables in its params. A cell is
 * stale when its own text or settings, a dataset it reads, or an upstream cell's last run
 * changed since it ran.
 */
import type { CheckParams } from "../audit/checks/types";
import { referencedNames } from "../sql/references";
import type { CellData, CellId, NotebookDocument } from "./types";

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

/** Names (lower-cased) a cell refers to. */
function namesRead(cell: CellData): Set<string> {
  if (cell.kind === "sql") return referencedNames(cell.source);
  if (cell.kind === "check" && cell.params) return new Set(checkInputs(cell.params).map((n) => n.toLowerCase()));
  return new Set();
}

/** SQL cells whose results this cell reads, and datasets it reads. */
export function upstreamOf(doc: NotebookDocument, cell: CellData): { cells: CellData[]; datasets: string[] } {
  const names = namesRead(cell);
  return {
    cells: doc.cells.filter((c) => c.id !== cell.id && c.kind === "sql" && names.has(c.name.toLowerCase())),
    datasets: doc.datasets.filter((d) => names.has(d.name.toLowerCase())).map((d) => d.name),
  };
}

/** When each cell last finished successfully (any increasing number). */
export type CompletionTimes = Readonly<Record<string, number | undefined>>;

/** A key for everything a cell's result depends on; compare with the key stored at its last run. */
export function cellInputsKey(doc: NotebookDocument, completed: CompletionTimes, cell: CellData): string {
  const up = upstreamOf(doc, cell);
  return JSON.stringify({
    source: cell.kind === "check" ? (cell.params ?? null) : cell.source,
    cells: up.cells.map((c) => [c.name, completed[c.id] ?? "not run"]),
    datasets: up.datasets.map((name) => {
      const d = doc.datasets.find((x) => x.name === name);
      return [name, d?.sha256 ?? "", d?.rows ?? 0];
    }),
  });
}

/** Every cell downstream of `id`, transitively, in notebook order. */
export function downstreamOf(doc: NotebookDocument, id: CellId): CellData[] {
  const reached = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const cell of doc.cells) {
      if (reached.has(cell.id)) continue;
      if (upstreamOf(doc, cell).cells.some((u) => reached.has(u.id))) {
        reached.add(cell.id);
        grew = true;
      }
    }
  }
  reached.delete(id);
  return doc.cells.filter((c) => reached.has(c.id));
}

/**
 * An order to run `ids` in so every cell runs after the cells it reads (notebook order
 * otherwise). A cycle is broken at notebook order; the engine then reports the missing table.
 */
export function runOrder(doc: NotebookDocument, ids: readonly CellId[]): CellData[] {
  const wanted = new Set(ids);
  const done = new Set<string>();
  const out: CellData[] = [];
  const visiting = new Set<string>();
  const visit = (cell: CellData) => {
    if (done.has(cell.id) || visiting.has(cell.id)) return;
    visiting.add(cell.id);
    for (const up of upstreamOf(doc, cell).cells) if (wanted.has(up.id)) visit(up);
    visiting.delete(cell.id);
    done.add(cell.id);
    out.push(cell);
  };
  for (const cell of doc.cells) if (wanted.has(cell.id)) visit(cell);
  return out;
}
