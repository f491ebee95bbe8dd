/**
 * The `sort` form of binary performance (binary-performance-sql.ts) in score ranges, for tables
 * whose one window would not fit: the window over all used rows costs ~80 bytes a row while it
 * runs (0.8 GB at 10M rows in DuckDB-WASM, whose heap never shrinks afterwards). Here each
 * statement sorts one range of scores, at most about `PARTITION_ROWS` rows.
 *
 * Statements:
 * 1. one ungrouped scan: null counts, confusion counts, Brier and log-loss sums, and the finite
 *    score range;
 * 2. a histogram of the finite scores (`HISTOGRAM_BINS` equal-width bins), from which the ranges
 *    are cut, from the highest scores down, each holding about n / ⌈n / PARTITION_ROWS⌉ rows;
 * 3. per range, highest first, the window of the `sort` form restricted to `lo ≤ s < hi`. A
 *    range holds every row of each of its scores (ties never straddle two ranges), so the rows,
 *    positives and distinct scores of the ranges above are exact offsets: rank, peer count and
 *    running positives are the global ones, and each range returns its part of the AUC's integer
 *    rank sum and of average precision's sum.
 *
 * Same metrics as the `sort` form: the AUC's rank sum is an integer (exact while P · n < 2^53),
 * AP's per-range `fsum`s are added with a compensated sum, Brier and log loss are `fsum`s over
 * the same rows in another order (equal to within rounding). Curves differ only in which points
 * are kept when there are more than `MAX_CURVE_POINTS` (with fewer distinct scores every point is
 * kept, from a small GROUP BY score, as the `sort` form keeps them): a score's point is kept when its tie
 * group's rank positions cross a multiple of ⌈n / (MAX_CURVE_POINTS − 3)⌉ (evenly spaced in
 * rows), since the `sort` form's rule (every step-th distinct score) needs the number of distinct
 * scores before the first range is sorted. NaN scores sort above every number (DuckDB's order)
 * and fall in the highest range, −Inf in the lowest.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral } from "../../sql/identifiers";
import { num, queryRows, type Row } from "../rows";
import {
  type BinaryPerformanceSqlSpec,
  MAX_CURVE_POINTS,
  RANK_WINDOW,
  rankColumns,
  rowInputs,
} from "./binary-performance-sql";

/** Rows above which `runBinaryPerformance` sorts score ranges instead of all rows at once. */
export const PARTITION_ABOVE = 4_000_000;
/** Target rows per range (the memory of one window). */
export const PARTITION_ROWS = 2_000_000;
/** Equal-width bins of the score histogram the ranges are cut from. */
export const HISTOGRAM_BINS = 4096;

/** A range of scores `lo ≤ s < hi`; null bounds are open (the top range also holds +Inf and NaN). */
export interface ScoreRange {
  lo: number | null;
  hi: number | null;
}

/** Statement 1: one row of counts, sums and the finite score range of the used rows. */
export function compilePartitionSummary(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]): string {
  const { rows, keep, brierTerm, logLossTerm, nulls, confusion } = rowInputs(spec, columns);
  const finite = "s > CAST('-inf' AS DOUBLE) AND s < CAST('inf' AS DOUBLE)";
  return `SELECT ${[
    ...nulls,
    ...confusion(`${keep} AND `),
    `fsum(CASE WHEN ${keep} THEN ${brierTerm} END) AS brier_sum`,
    `fsum(CASE WHEN ${keep} THEN ${logLossTerm} END) AS log_loss_sum`,
    `min(CASE WHEN ${keep} AND ${finite} THEN s END) AS lo`,
    `max(CASE WHEN ${keep} AND ${finite} THEN s END) AS hi`,
  ].join(",\n  ")}
FROM (${rows})`;
}

/** Statement 2: rows per equal-width bin of the finite scores in [lo, hi] (bin, n; bin B holds hi). */
export function compilePartitionHistogram(
  spec: BinaryPerformanceSqlSpec,
  columns: readonly ColumnInfo[],
  lo: number,
  hi: number,
): string {
  const { rows, keep } = rowInputs(spec, columns);
  const scale = numberLiteral(HISTOGRAM_BINS / (hi - lo));
  // floor((s − lo) · scale) is monotone in s, so bins are ordered as scores are; it lies in
  // [0, B] (hi lands in B): a USMALLINT key, which DuckDB aggregates into an array, not a hash.
  return `SELECT bin, count(*) AS n FROM (
  SELECT CAST(floor((s - ${numberLiteral(lo)}) * ${scale}) AS USMALLINT) AS bin
  FROM (${rows}) WHERE ${keep} AND s >= ${numberLiteral(lo)} AND s <= ${numberLiteral(hi)}
) GROUP BY bin ORDER BY bin`;
}

/**
 * Cuts the histogram, from the top bin down, into ranges of about `used / ⌈used / rowsPer⌉` rows;
 * the edges are bin edges lo + b · (hi − lo) / B. A bin is never split, so a range may hold more
 * when one bin does.
 */
export function cutRanges(
  bins: readonly { bin: number; n: number }[],
  used: number,
  lo: number,
  hi: number,
  rowsPer = PARTITION_ROWS,
): ScoreRange[] {
  const parts = Math.max(1, Math.ceil(used / rowsPer));
  const target = used / parts;
  const width = (hi - lo) / HISTOGRAM_BINS;
  const edges: number[] = [];
  let inRange = 0;
  for (let i = bins.length - 1; i > 0 && edges.length < parts - 1; i--) {
    const { bin, n } = bins[i] as { bin: number; n: number };
    inRange += n;
    if (inRange >= target) {
      const edge = lo + bin * width;
      // Edges must rise strictly from range to range (an edge at lo would leave the last range empty).
      if (edge > lo && (edges.length === 0 || edge < (edges[edges.length - 1] as number))) {
        edges.push(edge);
        inRange = 0;
      }
    }
  }
  const ranges: ScoreRange[] = [];
  let upper: number | null = null;
  for (const edge of edges) {
    ranges.push({ lo: edge, hi: upper });
    upper = edge;
  }
  ranges.push({ lo: null, hi: upper });
  return ranges;
}

/** Exact totals of the ranges already sorted (those with higher scores). */
export interface RangeOffsets {
  rows: number;
  positives: number;
}

/**
 * Statement 3 for one range: a `chunk` row (rows, positives, distinct scores m, the rank sum
 * Σ_{y=1} (rk + c) and AP's Σ_{y=1} TP≥ / c, both over global ranks) and `point` rows (k local to
 * the range, score, TP≥ and FP≥) for the scores whose tie group crosses a multiple of `stepRows`,
 * the first score of all and the last.
 */
export function compileRangeRanking(
  spec: BinaryPerformanceSqlSpec,
  columns: readonly ColumnInfo[],
  range: ScoreRange,
  above: RangeOffsets,
  used: number,
  stepRows: number,
): string {
  const { rows, keep } = rowInputs(spec, columns);
  const bounds = [
    ...(range.lo === null ? [] : [`s >= ${numberLiteral(range.lo)}`]),
    ...(range.hi === null ? [] : [`s < ${numberLiteral(range.hi)}`]),
  ];
  const step = integerLiteral(stepRows);
  return `WITH w AS MATERIALIZED (
  SELECT s, y, ${rankColumns(above)}
  FROM (${rows}) WHERE ${[keep, ...bounds].join(" AND ")}
  ${RANK_WINDOW}
)
SELECT 'chunk' AS kind, count(*) AS rows, count_if(y = 1) AS positives, max(k) AS m,
       CAST(sum(CASE WHEN y = 1 THEN rk + c END) AS BIGINT) AS rank_sum,
       fsum(CASE WHEN y = 1 THEN CAST(tp_ge AS DOUBLE) / c END) AS ap_sum,
       NULL AS k, NULL AS s, NULL AS cum_tp, NULL AS cum_fp
FROM w
UNION ALL
SELECT 'point' AS kind, NULL, NULL, NULL, NULL, NULL, k, any_value(s), any_value(tp_ge), any_value(c - tp_ge)
FROM w WHERE rk = 1 OR c = ${integerLiteral(used)} OR c // ${step} > (rk - 1) // ${step}
GROUP BY k`;
}

/**
 * Rows used per distinct score, highest first (NaN first, as DuckDB orders it): for the curves
 * when there turn out to be few distinct scores, where the `sort` form keeps every point.
 */
export function compileScoreCounts(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]): string {
  const { rows, keep } = rowInputs(spec, columns);
  return `SELECT s, count_if(y = 1) AS pos, count_if(y = 0) AS neg FROM (${rows}) WHERE ${keep} GROUP BY s ORDER BY s DESC`;
}

/** Every distinct score's point (k, score, TP≥, FP≥) from `compileScoreCounts`' rows. */
function everyPoint(counts: readonly Row[]): { k: number; s: number | null; tp: number; fp: number }[] {
  const out: { k: number; s: number | null; tp: number; fp: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (const r of counts) {
    const s = num(r.s);
    tp += num(r.pos) ?? 0;
    fp += num(r.neg) ?? 0;
    const last = out[out.length - 1];
    // A score DuckDB returned in two rows (threads ≥ 2) is one point.
    if (last && Object.is(last.s, s)) {
      last.tp = tp;
      last.fp = fp;
    } else out.push({ k: out.length + 1, s, tp, fp });
  }
  return out;
}

/** Neumaier's compensated sum (the per-range `fsum`s added with little rounding). */
function compensatedSum(values: readonly number[]): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

export interface PartitionedRanking {
  /** Rows shaped as the one-statement forms' result: a `summary` row, then `roc` and `pr` rows. */
  rows: Row[];
  /** Every statement run, in order. */
  sql: string[];
  ranges: number;
}

/** Runs statements 1–3 and assembles the result the one-statement forms return. */
export async function runPartitionedRanking(
  query: QueryFn,
  spec: BinaryPerformanceSqlSpec,
  columns: readonly ColumnInfo[],
  rowsPer = PARTITION_ROWS,
): Promise<PartitionedRanking> {
  const sql: string[] = [];
  const run = (statement: string) => {
    sql.push(statement);
    return queryRows(query, statement);
  };
  const [totals] = await run(compilePartitionSummary(spec, columns));
  if (!totals) throw new Error("binary performance: the summary row is missing");
  // The used rows are those the confusion counts count.
  const count = (key: string) => num(totals[key]) ?? 0;
  const p = count("tp") + count("fn");
  const n = count("fp") + count("tn");
  const used = p + n;
  const lo = num(totals.lo);
  const hi = num(totals.hi);
  let ranges: ScoreRange[] = [{ lo: null, hi: null }];
  // A range of scores so narrow that B / (hi − lo) overflows (subnormal scores) is sorted whole.
  if (lo !== null && hi !== null && hi > lo && Number.isFinite(HISTOGRAM_BINS / (hi - lo)) && used > rowsPer) {
    const bins = (await run(compilePartitionHistogram(spec, columns, lo, hi))).map((r) => ({
      bin: Math.min(num(r.bin) ?? 0, HISTOGRAM_BINS - 1),
      n: num(r.n) ?? 0,
    }));
    ranges = cutRanges(bins, used, lo, hi, rowsPer);
  }
  // ≤ ⌊used / step⌋ + 2 kept scores (the first, the last, one per multiple), so with the ROC
  // curve's (0, 0) start at most MAX_CURVE_POINTS points.
  const stepRows = Math.max(1, Math.ceil(used / (MAX_CURVE_POINTS - 3)));
  const above = { rows: 0, positives: 0 };
  let distinctAbove = 0;
  let rankSum = 0;
  const apSums: number[] = [];
  const points: { k: number; s: number | null; tp: number; fp: number }[] = [];
  for (const range of ranges) {
    const out = await run(compileRangeRanking(spec, columns, range, above, used, stepRows));
    const chunk = out.find((r) => r.kind === "chunk");
    // One point per k: a GROUP BY key DuckDB returned in two rows holds the same values twice.
    const seen = new Set<number>();
    for (const r of out) {
      const k = num(r.k);
      if (r.kind !== "point" || k === null || seen.has(k)) continue;
      seen.add(k);
      points.push({ k: distinctAbove + k, s: num(r.s), tp: num(r.cum_tp) ?? 0, fp: num(r.cum_fp) ?? 0 });
    }
    above.rows += num(chunk?.rows) ?? 0;
    above.positives += num(chunk?.positives) ?? 0;
    distinctAbove += num(chunk?.m) ?? 0;
    rankSum += num(chunk?.rank_sum) ?? 0;
    if (chunk && chunk.ap_sum !== null) apSums.push(num(chunk.ap_sum) ?? 0);
  }
  if (above.rows !== used) {
    throw new Error(`binary performance: the score ranges hold ${above.rows} rows, not the ${used} used`);
  }
  // Few distinct scores: every point, as the `sort` form keeps them (one small GROUP BY).
  const curvePoints =
    distinctAbove <= MAX_CURVE_POINTS - 2 && points.length < distinctAbove
      ? everyPoint(await run(compileScoreCounts(spec, columns)))
      : points;
  const summary: Row = {
    kind: "summary",
    total_rows: totals.total_rows,
    null_label: totals.null_label,
    null_score: totals.null_score,
    null_prediction: totals.null_prediction,
    tp: totals.tp,
    fp: totals.fp,
    tn: totals.tn,
    fn: totals.fn,
    brier_sum: totals.brier_sum,
    log_loss_sum: totals.log_loss_sum,
    // U = P · N − (R − P(P + 1)) / 2, as the `sort` form's SQL (exact while P · n < 2^53).
    auc_sum: (2 * p * n - rankSum + p * (p + 1)) / 2,
    ap_sum: compensatedSum(apSums),
    distinct_scores: distinctAbove,
  };
  const curves: Row[] = [];
  for (const { k, s, tp, fp } of curvePoints) {
    if (p > 0 && n > 0) curves.push({ kind: "roc", k, fpr: fp / n, tpr: tp / p, threshold: s });
    if (p > 0) curves.push({ kind: "pr", k, prec: tp / (tp + fp), rec: tp / p, threshold: s });
  }
  return { rows: [summary, ...curves], sql, ranges: ranges.length };
}
