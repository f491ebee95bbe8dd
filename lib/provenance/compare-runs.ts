/**
 * "Re-run and verify": compares the results stored in a notebook with those recomputed on the
 * reviewer's machine, cell by cell, and lines up the summary values that differ.
 */
import type { CellResultRecord } from "../notebook/format/types";
import { canonicalJson, type JsonValue } from "./canonical-json";

/** What a re-run produced for one cell. */
export interface RecomputedResult {
  resultHash: string;
  rowCount?: number;
  summary: JsonValue[][];
}

export type RunStatus = "same" | "different" | "new" | "missing";

/** One summary value that differs: `before` is the stored one, `after` the recomputed one. */
export interface ValueDifference {
  row: number;
  column: number;
  /** Column name, when the stored result knows it. */
  name?: string;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
}

export interface RunComparison {
  cellId: string;
  status: RunStatus;
  before?: { resultHash: string; rowCount: number; summary: JsonValue[][] };
  after?: { resultHash: string; rowCount?: number; summary: JsonValue[][] };
  /** Differing summary values (only for "different"; empty when they differ beyond the summary's rows). */
  differences: ValueDifference[];
  message: string;
}

const same = (a: JsonValue | undefined, b: JsonValue | undefined) =>
  a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b);

function diffSummaries(before: JsonValue[][], after: JsonValue[][], names: string[]): ValueDifference[] {
  const out: ValueDifference[] = [];
  for (let r = 0; r < Math.max(before.length, after.length); r++) {
    const b = before[r] ?? [];
    const a = after[r] ?? [];
    for (let c = 0; c < Math.max(a.length, b.length); c++) {
      if (!same(b[c], a[c])) out.push({ row: r, column: c, name: names[c], before: b[c], after: a[c] });
    }
  }
  return out;
}

/**
 * One comparison per cell, in `order` (the notebook's cell ids) and then any other ids.
 * A cell stored but not recomputed is "missing"; recomputed but never stored, "new".
 */
export function compareRuns(
  stored: Readonly<Record<string, CellResultRecord>>,
  recomputed: Readonly<Record<string, RecomputedResult>>,
  order: readonly string[] = [],
): RunComparison[] {
  const ids = [...new Set([...order, ...Object.keys(stored), ...Object.keys(recomputed)])].filter(
    (id) => Object.hasOwn(stored, id) || Object.hasOwn(recomputed, id),
  );
  return ids.map((cellId) => {
    const s = Object.hasOwn(stored, cellId) ? stored[cellId] : undefined;
    const r = Object.hasOwn(recomputed, cellId) ? recomputed[cellId] : undefined;
    const before = s && { resultHash: s.resultHash, rowCount: s.rowCount, summary: s.summary };
    const after = r && { resultHash: r.resultHash, rowCount: r.rowCount, summary: r.summary };
    if (!s) return { cellId, status: "new", after, differences: [], message: "No stored result to compare with." };
    if (!r) return { cellId, status: "missing", before, differences: [], message: "The cell was not re-run." };
    if (s.resultHash === r.resultHash) {
      return { cellId, status: "same", before, after, differences: [], message: "Same result hash." };
    }
    const differences = diffSummaries(
      s.summary,
      r.summary,
      s.columns.map((c) => c.name),
    );
    const rows =
      r.rowCount !== undefined && r.rowCount !== s.rowCount ? ` Row count ${s.rowCount} → ${r.rowCount}.` : "";
    const where =
      differences.length > 0
        ? ` ${differences.length} of the first ${Math.max(s.summary.length, r.summary.length)} rows' values differ.`
        : " The first rows agree; the difference is further down.";
    return {
      cellId,
      status: "different",
      before,
      after,
      differences,
      message: `Different result hash.${rows}${where}`,
    };
  });
}
