/**
 * Exact quantiles of the finite values of numeric columns without `quantile_cont`, which copies
 * and selects every value (~70–100 ms per column at 1M rows). Same numbers as DuckDB's
 * `quantile_cont(x, q)`: with n finite values, RN = (n − 1)·q, FRN = ⌊RN⌋, CRN = ⌈RN⌉; the result
 * is x_(FRN) when FRN = CRN, else x_(FRN)·(1 − d) + x_(CRN)·d with d = RN − FRN (DuckDB's
 * `Interpolator`; x_(k) is the k-th smallest value, 0-based).
 *
 * The order statistics come from counting, never from a sort:
 * 1. Window [a, b] (first the finite range, from the profile scan) with `o` values below it: one
 *    histogram of 256 bins, `(x − a)·255/(b − a)` cast to UTINYINT (the cast rounds; so DuckDB uses
 *    its perfect-hash aggregate), giving per bin the count, min and max. Floating subtraction,
 *    multiplication by a positive constant and rounding are monotone, so the bins are disjoint
 *    value intervals in bin order and the running counts locate the bin holding each wanted rank;
 *    for a ≤ x ≤ b the index is within [0, 255] without clamping (fl(x − a) ≤ fl(b − a), and the
 *    product is at most 255·(1 + ε)² < 255.5), which saves a CASE clamp and a floor per row in
 *    DuckDB-WASM. (The first and last bins are half as wide as the others; nothing needs equal widths.)
 * 2. A bin whose min equals its max holds the order statistic itself. A bin with at most
 *    REFINE_ROWS rows is refined: its rows are exactly those with min ≤ x ≤ max. One sort per
 *    column (`row_number() OVER (ORDER BY x)` over the rows of the column's refine windows, which
 *    are disjoint value ranges, so each window is a run of consecutive positions) picks the wanted
 *    positions in SQL; only those values come back. A larger bin becomes the next window (at most
 *    MAX_LEVELS levels; past that the column falls back to `quantile_cont`). Refining bins of up to
 *    REFINE_ROWS rows directly (a sort of a few ten thousand rows) costs less than a second
 *    histogram scan of the column.
 * All windows of all columns at one level run in one statement (UNION ALL). Counts are integers
 * and min/max exact, so the result does not depend on thread count or scan order.
 *
 * No step assumes one output row per GROUP BY key. Native DuckDB 1.4.3 with threads ≥ 2 was seen
 * to return one key in two rows, each aggregating part of the group (`GROUP BY w` over
 * `CASE … END AS w … WHERE w IS NOT NULL`, ~1 run in 30 at 1M rows): the old refinement sliced
 * each row's sorted partial list at the group's ranks and read a wrong value or none ("rank …
 * not found in refinement"). Histogram rows with the same (window, bin) are therefore merged
 * here (counts summed, min of mins, max of maxes: exact whichever way the rows were split), and
 * the refinement does not aggregate or partition at all.
 */
import { quantileCont, quantileContRanks } from "../stats/order-statistics";
import type { QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, queryRows } from "../rows";

/** Bins per histogram level: a UTINYINT key is DuckDB's perfect-hash aggregate without statistics. */
export const QUANTILE_BINS = 256;
/** A bin with at most this many rows is refined (its values sorted in SQL). */
export const REFINE_ROWS = 160_000;
/** Histogram levels before a column falls back to `quantile_cont`. */
export const MAX_LEVELS = 4;

export interface QuantileColumn {
  /** Column name; its values are read as `CAST(column AS DOUBLE)`, non-finite ones ignored. */
  column: string;
  /** Number of finite values, their min and max (from a profile scan over the same rows). */
  count: number;
  min: number;
  max: number;
  /** Quantile levels in [0, 1]. */
  probs: readonly number[];
  /**
   * Every non-null value is finite, so [min, max] holds them all: a histogram over that whole
   * range then needs no range filter, only `IS NOT NULL` (two comparisons a row fewer).
   */
  allFinite?: boolean;
}

export interface ExactQuantilesSpec {
  source: string;
  /** SQL predicate selecting the rows used (`true` for all). */
  where: string;
  columns: readonly QuantileColumn[];
  /** Tests only: override REFINE_ROWS and MAX_LEVELS. */
  refineRows?: number;
  maxLevels?: number;
}

/** A value range of one column with the number of its finite values below the range. */
interface Window {
  col: number;
  a: number;
  b: number;
  below: number;
  /** Histogram windows: the level (0 = the whole range); refine windows list their values. */
  kind: "histogram" | "refine";
  depth: number;
  /** Rows in the window (refine windows: the bin's count). */
  size: number;
}

/** A value range [a, b] of column `col` (index into the spec's columns). */
export type QuantileWindow = Pick<Window, "col" | "a" | "b">;

function valueSql(spec: ExactQuantilesSpec, col: number): string {
  const c = spec.columns[col] as QuantileColumn;
  return `SELECT CAST(${quoteIdentifier(c.column)} AS DOUBLE) AS x FROM ${quoteIdentifier(spec.source)} WHERE ${spec.where}`;
}

/** Windows grouped by column, each with its index in `windows` (one scan per column). */
function byColumn(windows: readonly QuantileWindow[]): { col: number; list: { w: QuantileWindow; i: number }[] }[] {
  const groups = new Map<number, { w: QuantileWindow; i: number }[]>();
  windows.forEach((w, i) => {
    groups.set(w.col, [...(groups.get(w.col) ?? []), { w, i }]);
  });
  return [...groups.entries()].map(([col, list]) => ({ col, list }));
}

/** The range test of [a, b]. */
const inWindow = (w: { a: number; b: number }) => `x >= ${numberLiteral(w.a)} AND x <= ${numberLiteral(w.b)}`;

/** The filter of a histogram over one window: the range test, or only IS NOT NULL when that is the same. */
function histogramFilter(spec: ExactQuantilesSpec, w: QuantileWindow): string {
  const c = spec.columns[w.col] as QuantileColumn;
  return c.allFinite === true && w.a <= c.min && w.b >= c.max ? "x IS NOT NULL" : inWindow(w);
}

/** Bin scale of a window: a ≤ x ≤ b maps to round((x − a)·scale) in [0, QUANTILE_BINS − 1] (see the header). */
function binScale(w: QuantileWindow): number {
  return (QUANTILE_BINS - 1) / (w.b - w.a);
}

function binSql(w: QuantileWindow): string {
  return `((x - ${numberLiteral(w.a)}) * ${numberLiteral(binScale(w))})`;
}

/**
 * Rows (w, bin, n, lo, hi): the histogram of every window, `w` its index in `windows`. Windows of
 * one column are disjoint (bins of disjoint parents), so one scan per column assigns each value to
 * at most one window. A column's single window groups by a UTINYINT bin (perfect-hash aggregate).
 */
export function compileQuantileHistogram(spec: ExactQuantilesSpec, windows: readonly QuantileWindow[]): string {
  return byColumn(windows)
    .map(({ col, list }) => {
      const only = list.length === 1 ? list[0] : undefined;
      if (only) {
        return `SELECT ${integerLiteral(only.i)} AS w, CAST(bin AS INTEGER) AS bin, count(*) AS n, min(x) AS lo, max(x) AS hi
  FROM (SELECT CAST(${binSql(only.w)} AS UTINYINT) AS bin, x FROM (${valueSql(spec, col)}) WHERE ${histogramFilter(spec, only.w)})
  GROUP BY bin`;
      }
      const w = list.map(({ w, i }) => `WHEN ${inWindow(w)} THEN ${integerLiteral(i)}`).join(" ");
      const bin = list.map(({ w, i }) => `WHEN ${integerLiteral(i)} THEN ${binSql(w)}`).join(" ");
      return `SELECT w, CAST(CASE w ${bin} END AS INTEGER) AS bin, count(*) AS n, min(x) AS lo, max(x) AS hi
  FROM (SELECT CASE ${w} END AS w, x FROM (${valueSql(spec, col)}) WHERE ${hullOf(list.map(({ w }) => w))}) WHERE w IS NOT NULL
  GROUP BY ALL`;
    })
    .join("\nUNION ALL\n");
}

/**
 * The rows of one column's refine windows. With several windows, their hull first (the histograms
 * of several windows filter on it too, before their CASE over the windows): DuckDB-WASM
 * evaluates an OR of range tests at ~50 ns a row (three windows over 9 columns of 1M rows: 480 ms,
 * one range test 130 ms), and the cheap AND in front leaves the OR only the rows between the first
 * window and the last. The windows are disjoint, so the hull changes no result.
 */
export function refinementFilter(windows: readonly QuantileWindow[]): string {
  const only = windows.length === 1 ? windows[0] : undefined;
  if (only) return inWindow(only);
  const inAny = windows.map((w) => `(${inWindow(w)})`).join(" OR ");
  return `${hullOf(windows)} AND (${inAny})`;
}

/** The range test of the smallest window holding all of `windows`. */
function hullOf(windows: readonly QuantileWindow[]): string {
  const a = Math.min(...windows.map((w) => w.a));
  const b = Math.max(...windows.map((w) => w.b));
  return inWindow({ a, b });
}

/**
 * Rows (col, pos, x): per column with refine windows, the values at the wanted 1-based positions
 * `picks.get(col)` of the sorted values lying in any of its windows. No GROUP BY or PARTITION BY:
 * one sort per column; ties hold equal values, so the picked values do not depend on tie order.
 */
export function compileQuantileRefinement(
  spec: ExactQuantilesSpec,
  windows: readonly QuantileWindow[],
  picks: ReadonlyMap<number, readonly number[]>,
): string {
  return byColumn(windows)
    .map(({ col, list }) => {
      const inAny = refinementFilter(list.map(({ w }) => w));
      const wanted = [...new Set(picks.get(col) ?? [])].sort((x, y) => x - y).map(integerLiteral);
      return `SELECT ${integerLiteral(col)} AS col, pos, x FROM (
  SELECT x, row_number() OVER (ORDER BY x) AS pos FROM (${valueSql(spec, col)}) WHERE ${inAny}
) WHERE pos IN (${wanted.join(", ")})`;
    })
    .join("\nUNION ALL\n");
}

/** `quantile_cont` of the finite values, for the columns the histogram could not settle. */
export function compileQuantileFallback(spec: ExactQuantilesSpec, cols: readonly number[]): string {
  const items = cols.map((col) => {
    const c = spec.columns[col] as QuantileColumn;
    const d = `CAST(${quoteIdentifier(c.column)} AS DOUBLE)`;
    const probs = c.probs.map((p) => numberLiteral(p)).join(", ");
    return `quantile_cont(CASE WHEN isfinite(${d}) THEN ${d} END, [${probs}]) AS ${quoteIdentifier(`q${col}`)}`;
  });
  return `SELECT ${items.join(", ")} FROM ${quoteIdentifier(spec.source)} WHERE ${spec.where}`;
}

const key = (w: { col: number; a: number; b: number }) => `${w.col}:${w.a}:${w.b}`;

/**
 * Exact `quantile_cont` of each column's finite values at its levels (null when it has none).
 * Returns per column the quantiles in `probs` order and the statements run (for the trace).
 */
export async function exactQuantiles(
  query: QueryFn,
  spec: ExactQuantilesSpec,
): Promise<{ quantiles: (number | null)[][]; statements: number; fallback: string[] }> {
  /** Per column: rank → value, and the ranks still wanted. */
  const known = spec.columns.map(() => new Map<number, number>());
  const wanted: { col: number; rank: number; window: Window }[] = [];
  spec.columns.forEach((c, col) => {
    if (c.count <= 0) return;
    const ranks = new Set(c.probs.flatMap((q) => quantileContRanks(c.count, q)));
    const window: Window = { col, a: c.min, b: c.max, below: 0, kind: "histogram", depth: 0, size: c.count };
    for (const rank of ranks) {
      if (c.min === c.max) known[col]?.set(rank, c.min);
      else wanted.push({ col, rank, window });
    }
  });
  const refineRows = spec.refineRows ?? REFINE_ROWS;
  const maxLevels = spec.maxLevels ?? MAX_LEVELS;
  let statements = 0;
  const fallbackCols = new Set<number>();
  // A range too wide or too narrow for a finite bin scale cannot be histogrammed.
  const scalable = (w: Window) => {
    const scale = binScale(w);
    return Number.isFinite(scale) && scale > 0;
  };
  let pending = wanted;
  while (pending.length > 0) {
    for (const p of pending) if (p.window.kind === "histogram" && !scalable(p.window)) fallbackCols.add(p.col);
    pending = pending.filter((p) => !fallbackCols.has(p.col));
    const windows = [...new Map(pending.map((p) => [`${key(p.window)}:${p.window.kind}`, p.window])).values()];
    const refine = windows.filter((w) => w.kind === "refine");
    const histogram = windows.filter((w) => w.kind === "histogram");
    const next: typeof pending = [];
    if (refine.length > 0) {
      statements++;
      // A column's refine windows are disjoint value ranges: in the sorted union of their rows,
      // window w starts after the rows of the column's windows below it.
      const offset = new Map<string, number>();
      const byCol = new Map<number, Window[]>();
      for (const w of refine) byCol.set(w.col, [...(byCol.get(w.col) ?? []), w]);
      for (const list of byCol.values()) {
        let start = 0;
        for (const w of [...list].sort((x, y) => x.a - y.a)) {
          offset.set(key(w), start);
          start += w.size;
        }
      }
      const position = (p: (typeof pending)[number]) => (offset.get(key(p.window)) ?? 0) + p.rank - p.window.below + 1;
      const picks = new Map<number, number[]>();
      for (const p of pending) {
        if (p.window.kind === "refine") picks.set(p.col, [...(picks.get(p.col) ?? []), position(p)]);
      }
      const rows = await queryRows(query, compileQuantileRefinement(spec, refine, picks));
      const values = new Map<string, number>();
      for (const r of rows) values.set(`${num(r.col)}:${num(r.pos)}`, num(r.x) ?? Number.NaN);
      for (const p of pending) {
        if (p.window.kind !== "refine") continue;
        const v = values.get(`${p.col}:${position(p)}`);
        if (v === undefined || Number.isNaN(v))
          throw new Error(`exact quantiles: rank ${p.rank} not found in refinement`);
        known[p.col]?.set(p.rank, v);
      }
    }
    if (histogram.length > 0) {
      statements++;
      const rows = await queryRows(query, compileQuantileHistogram(spec, histogram));
      // Keyed by bin: a (window, bin) group may come back in several rows (see the header).
      const merged = histogram.map(() => new Map<number, { bin: number; n: number; lo: number; hi: number }>());
      for (const r of rows) {
        const bin = num(r.bin) ?? 0;
        const part = { bin, n: num(r.n) ?? 0, lo: num(r.lo) ?? 0, hi: num(r.hi) ?? 0 };
        const groups = merged[num(r.w) ?? -1];
        const had = groups?.get(bin);
        if (had) {
          had.n += part.n;
          had.lo = Math.min(had.lo, part.lo);
          had.hi = Math.max(had.hi, part.hi);
        } else groups?.set(bin, part);
      }
      const bins = merged.map((groups) => [...groups.values()].sort((x, y) => x.bin - y.bin));
      const made = new Map<string, Window>();
      for (const p of pending) {
        const wi = histogram.indexOf(p.window);
        if (wi < 0) continue;
        const depth = p.window.depth;
        let seen = p.window.below;
        let found = false;
        for (const b of bins[wi] ?? []) {
          if (p.rank < seen + b.n) {
            found = true;
            if (b.lo === b.hi) known[p.col]?.set(p.rank, b.lo);
            else {
              const zoom = b.n > refineRows && depth + 1 < maxLevels;
              if (b.n > refineRows && !zoom) fallbackCols.add(p.col);
              else {
                const w: Window = {
                  col: p.col,
                  a: b.lo,
                  b: b.hi,
                  below: seen,
                  kind: zoom ? "histogram" : "refine",
                  depth: depth + 1,
                  size: b.n,
                };
                const k = `${key(w)}:${w.kind}`;
                const shared = made.get(k) ?? w;
                made.set(k, shared);
                next.push({ col: p.col, rank: p.rank, window: shared });
              }
            }
            break;
          }
          seen += b.n;
        }
        if (!found) fallbackCols.add(p.col);
      }
    }
    pending = next.filter((p) => !fallbackCols.has(p.col));
  }
  const quantiles: (number | null)[][] = spec.columns.map((c, col) =>
    c.count <= 0 || fallbackCols.has(col)
      ? c.probs.map(() => null)
      : c.probs.map((q) => quantileCont(c.count, q, (rank) => known[col]?.get(rank) as number)),
  );
  const fallback = [...fallbackCols].sort((x, y) => x - y);
  if (fallback.length > 0) {
    statements++;
    const [row] = await queryRows(query, compileQuantileFallback(spec, fallback));
    for (const col of fallback) {
      const raw = row?.[`q${col}`];
      quantiles[col] = (Array.isArray(raw) ? raw : []).map((v) => num(v));
    }
  }
  return { quantiles, statements, fallback: fallback.map((col) => spec.columns[col]?.column ?? "") };
}
