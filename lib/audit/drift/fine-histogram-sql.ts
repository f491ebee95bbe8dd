/**
 * Scans 2 and 3 of the numeric drift pipeline: a fine histogram of R ∪ C per column, then the exact
 * distinct values of the few bins that the statistics cannot settle from the histogram alone.
 *
 * Why: the exact statistics (KS D, Wasserstein W1, the reference deciles, counts per PSI / JS bin,
 * distinct counts) all follow from the sorted values of R ∪ C, but sorting 2M values per column costs
 * ~0.6 s per column on one thread (a GROUP BY on the raw value ~1.1 s). A histogram costs ~40 ms: one
 * pass that computes an integer bin per value and counts. Most bins never need their inside: KS only
 * needs the inside of a bin whose bound can beat the largest gap seen at bin ends, W1 only where the
 * ECDF difference may change sign, a quantile only in the bin holding its rank. See
 * `sorted-distribution.ts` for the rules; the numbers that come out are the exact ones.
 *
 * Bins: t = sign(x − m) · (|x − m| / s)^(1/4), cut into B equal steps between t(min) and t(max), B
 * from the column's finite count (`fineBinCount`). The root keeps heavy tails from crowding the bulk
 * into one bin. Exact results do not depend on this choice (W1 only in its last bits, the order of a
 * float sum): each bin reports its min and max, the caller checks that bins are disjoint intervals
 * in value order and falls back to the exact sort otherwise.
 *
 * Per (bin, side): count, min, max and fsum(x − m) (the offset keeps the sum's rounding small next to
 * the bin width; W1 inside a bin needs Σ (hi − x)). Counts are integers and fsum is order-free, so the
 * result does not depend on thread scheduling.
 */
import type { Table } from "apache-arrow";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { doubleLiteral } from "./double-literal";
import { doubleOf, finiteOf } from "./numeric-summary-sql";
import { numericColumn } from "../rows";

/**
 * Most bins per column. 2^16 − 2 so that the GROUP BY key (bin + 1, see `fineKeySql`) fits a
 * USMALLINT: with a key whose type bounds its range, DuckDB aggregates into a perfect hash table (an
 * array indexed by the key; `perfect_ht_threshold` in session-settings.ts), which made this
 * histogram ~40% cheaper in DuckDB-WASM than a hash GROUP BY on an INTEGER bin.
 */
export const FINE_BINS = 65_534;
/**
 * Fewest bins per column. A high floor costs little: the result has at most one row per value and
 * side, and the USMALLINT key's perfect hash table has 2^16 slots whatever B. It keeps the bins of
 * small tables mostly single-valued, so W1 is summed over the values there as with FINE_BINS bins.
 */
export const FINE_BINS_MIN = 8_192;
/** Finite values of R ∪ C per bin that `fineBinCount` aims at, below the FINE_BINS cap. */
export const VALUES_PER_FINE_BIN = 16;

/**
 * Bins of a column's fourth-root map: ⌈(n_R + n_C) / VALUES_PER_FINE_BIN⌉ within [FINE_BINS_MIN,
 * FINE_BINS], from the finite counts of scan 1.
 *
 * Why not always FINE_BINS: DuckDB returns, and JS decodes, one row per non-empty bin and side; at
 * 100k + 100k rows that was ~600 000 rows for the bench's 10 continuous columns, most of the
 * histogram's time. Fewer, fuller bins cost more refinement (scan 3 returns more values): 16 values
 * per bin was the fastest in DuckDB-WASM at 100k + 100k (docs/metrics/drift.md), and from ~524k + 524k
 * rows on the cap holds, so 1M-row inputs keep FINE_BINS. Results do not depend on the bin count
 * while the refinement is complete (`sorted-distribution.ts`; W1 up to its last bits), and the
 * refinement budget grows as bins get fuller (`refinementBudget`). Only integer counts go in, so
 * DuckDB-WASM (one thread) and native DuckDB (several) choose the same bins.
 */
export function fineBinCount(finiteValues: number): number {
  const wanted = Math.ceil(finiteValues / VALUES_PER_FINE_BIN);
  return Math.min(FINE_BINS, Math.max(FINE_BINS_MIN, wanted));
}

/** The monotone map from a value to its bin: parameters chosen in JS from scan 1, used as literals. */
export interface BinTransform {
  /** Centre m. */
  center: number;
  /** Scale s > 0. */
  scale: number;
  /** t(min). */
  low: number;
  /** Bins per unit of t. */
  perUnit: number;
  /** Number of bins B (bins 0 … B − 1), at most FINE_BINS. */
  bins: number;
  /**
   * Whether every value in [min, max] maps into [0, B] up to one rounding step (t finite at both
   * ends). When false (t overflows: a scale far below the range, or x − m past the largest double),
   * the column takes the exact sort instead of the histogram.
   */
  bounded: boolean;
  /**
   * Integer mode (`integerBinTransform`): one bin per integer, bin = x − low, and B = the column's
   * max − min + 1. Absent: the fourth-root map above.
   */
  integer?: true;
}

export interface FineHistogramColumn {
  column: string;
  transform: BinTransform;
}

export interface FineHistogramSpec {
  reference: string;
  current: string;
  columns: readonly FineHistogramColumn[];
}

/**
 * Rounds to 6 significant digits: the mean and std come from floating sums whose last bits may differ
 * between DuckDB-WASM (one thread) and native DuckDB (several), and the bins must be the same in both.
 */
function stable(x: number): number {
  return Number(x.toPrecision(6));
}

/** t(x) = sign(x − m) · ((|x − m| / s)^(1/4)), as the SQL computes it. */
function transformed(x: number, center: number, scale: number): number {
  const d = x - center;
  return Math.sign(d) * Math.sqrt(Math.sqrt(Math.abs(d) / scale));
}

/**
 * Chooses the transform from a column's combined range and the reference's mean and std, cut into
 * `bins` bins (`fineBinCount`). The fourth root spreads a heavy tail over many bins while keeping
 * ~bins / 6 bins per std for light-tailed data, and uses only correctly rounded operations (÷, √),
 * so DuckDB-WASM and native DuckDB bin alike.
 */
export function binTransform(
  min: number,
  max: number,
  mean: number | null,
  std: number | null,
  bins: number = FINE_BINS,
): BinTransform {
  if (!(Number.isSafeInteger(bins) && bins >= 1 && bins <= FINE_BINS)) throw new Error(`drift: ${bins} fine bins`);
  const range = max - min;
  let center = mean !== null && Number.isFinite(mean) ? stable(mean) : min + range / 2;
  if (!(center >= min && center <= max)) center = min + range / 2;
  let scale = std !== null && std > 0 && Number.isFinite(std) ? stable(std / 4) : stable(range / 64);
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  const low = transformed(min, center, scale);
  const span = transformed(max, center, scale) - low;
  const perUnit = span > 0 && Number.isFinite(bins / span) ? bins / span : 1;
  const bounded = Number.isFinite(low) && Number.isFinite(span) && span * perUnit <= bins * (1 + 1e-12);
  return { center, scale, low, perUnit, bins, bounded };
}

/**
 * The map of a column with an integer type whose values span fewer than FINE_BINS integers: one bin
 * per integer (bin = x − min), so every bin holds a single value, known from its number (no min, max
 * or Σ per bin, no refinement) and no fourth root per row. Null when the range is wider.
 *
 * The limit is FINE_BINS whatever the row count, not `fineBinCount`: this histogram returns at most
 * one row per distinct value and side (never more rows than values), and it needs no refinement,
 * which a fourth-root map with fewer bins would.
 */
export function integerBinTransform(min: number, max: number): BinTransform | null {
  const bins = max - min + 1;
  if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && bins >= 1 && bins < FINE_BINS)) return null;
  return { center: min, scale: 1, low: min, perUnit: 1, bins, bounded: true, integer: true };
}

/**
 * SQL GROUP BY key of the DOUBLE expression `v`: its bin + 1, as a USMALLINT.
 *
 * Why no clamp: x = (t(v) − t(min)) · perUnit is 0 exactly at the column's min (JS computes t(min)
 * with the same correctly rounded operations), never below it for a larger value (t is monotone and
 * so is each rounded step), and at its max x = span · perUnit, which `bounded` checks is at most
 * B (1 + 10⁻¹²) < B + 1 (perUnit = B / span: one rounding step off B), so ⌊x⌋ ≤ B.
 * Hence ⌊x⌋ + 1 lies in [1, B + 1] ⊆ [1, 65 535] for every value the histogram sees (finite, within
 * the summary's min and max) and every B ≤ FINE_BINS = 65 534: it fits a USMALLINT unclamped, for
 * any bin count `fineBinCount` picks. A CASE clamp per row cost ~20% of the scan in DuckDB-WASM;
 * the one key past the last bin is folded into it after grouping (`binOfKeySql`), on ≤ B rows
 * instead of 10^6.
 * TRY_CAST, not CAST: a source whose rows differ from one read to the next (a view with LIMIT and
 * no ORDER BY, USING SAMPLE, random()) can hold values outside the summary's range on this scan;
 * their key is NULL or outside [1, B + 1], their bin outside [0, B) (`binOfKeySql`), and
 * `numericScans` reports the source instead of failing on a cast.
 */
export function fineKeySql(t: BinTransform, v: string): string {
  // Integer mode: v − min is exact (integers below 2^53), and a value outside [min, max] (an unstable
  // source) gets a key outside [1, B] or NULL, which `binOfKeySql` sends to −1 or past the
  // last bin, both counted as outside when decoded.
  if (t.integer) return `TRY_CAST(${v} - ${doubleLiteral(t.low)} + 1 AS USMALLINT)`;
  const d = `(${v} - ${doubleLiteral(t.center)})`;
  const tv = `sign(${d}) * sqrt(sqrt(abs(${d}) / ${doubleLiteral(t.scale)}))`;
  const x = `((${tv} - ${doubleLiteral(t.low)}) * ${doubleLiteral(t.perUnit)})`;
  if (!t.bounded) throw new Error("drift: a bin map that overflows has no histogram key (use the exact sort)");
  return `TRY_CAST(floor(${x}) + 1 AS USMALLINT)`;
}

/**
 * The bin of a key from `fineKeySql` (SQL over grouped rows): key − 1, with the fourth-root map's
 * key B + 1 (its max, one rounding step past the last bin) folded into bin B − 1, and −1 for a NULL
 * key. A key no value within the summary's range can get (0, or past B + 1 with fewer bins than
 * the USMALLINT holds) gives a bin outside [0, B), which the decoder counts as outside.
 */
function binOfKeySql(t: BinTransform, key: string): string {
  const bin = `CAST(${key} AS INTEGER) - 1`;
  if (t.integer) return `coalesce(${bin}, -1)`;
  return `coalesce(CASE WHEN ${key} = ${integerLiteral(t.bins + 1)} THEN ${integerLiteral(t.bins - 1)} ELSE ${bin} END, -1)`;
}

/** The keys `fineKeySql` gives the values of `bins`. */
function keysOfBins(t: BinTransform, bins: readonly number[]): number[] {
  const keys = bins.map((b) => b + 1);
  if (bins.includes(t.bins - 1)) keys.push(t.bins + 1);
  return keys;
}

/** Rows (v) of one table's finite values of the column. */
function finiteValues(table: string, col: FineHistogramColumn): string {
  return `SELECT ${doubleOf(col.column)} AS v FROM ${quoteIdentifier(table)} WHERE ${finiteOf(col.column)}`;
}

/** Rows (v, side, key) of both sides' finite values; side 0 = reference, 1 = current. */
function sideRows(spec: FineHistogramSpec, col: FineHistogramColumn): string {
  const both = `SELECT v, 0 AS side FROM (${finiteValues(spec.reference, col)})
    UNION ALL SELECT v, 1 AS side FROM (${finiteValues(spec.current, col)})`;
  return `SELECT v, side, ${fineKeySql(col.transform, "v")} AS key FROM (${both})`;
}

/**
 * One side's bins of one column. Each side is grouped on its own: the key alone then has a type
 * that bounds it, which a (key, side) pair over a UNION does not, so DuckDB can use its perfect hash.
 */
function sideHistogram(table: string, side: 0 | 1, i: number, col: FineHistogramColumn): string {
  const t = col.transform;
  const rows = finiteValues(table, col);
  const head = `SELECT CAST(${integerLiteral(i)} AS INTEGER) AS col, ${binOfKeySql(t, "key")} AS bin,
    CAST(${side} AS INTEGER) AS side, CAST(count(*) AS DOUBLE) AS n,`;
  if (t.integer) {
    // The bin's one value is min + (key − 1), exact: the sum is the integer v itself. Σ(x − m) is
    // never read for a bin with lo = hi.
    const value = `(CAST(key AS DOUBLE) - 1) + ${doubleLiteral(t.low)}`;
    return `${head} ${value} AS lo, ${value} AS hi, CAST(0 AS DOUBLE) AS dev
  FROM (SELECT ${fineKeySql(t, "v")} AS key FROM (${rows})) GROUP BY key`;
  }
  return `${head} min(v) AS lo, max(v) AS hi, fsum(v - ${doubleLiteral(t.center)}) AS dev
  FROM (SELECT v, ${fineKeySql(t, "v")} AS key FROM (${rows})) GROUP BY key`;
}

/**
 * Scan 2: rows (col, bin, side, n, lo, hi, dev) for every non-empty bin of every column whose bin map
 * is bounded (the others get no rows); "" when there is none.
 */
export function compileFineHistogram(spec: FineHistogramSpec): string {
  return spec.columns
    .flatMap((col, i) =>
      col.transform.bounded ? [sideHistogram(spec.reference, 0, i, col), sideHistogram(spec.current, 1, i, col)] : [],
    )
    .join("\nUNION ALL\n");
}

/** One side's bins, indexed by bin number (empty bins hold n = 0). */
export interface SideBins {
  n: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  /** Σ (x − centre) over the bin. */
  dev: Float64Array;
}

export interface FineHistogram {
  center: number;
  reference: SideBins;
  current: SideBins;
  /** Values outside the summary's [min, max]: the source gave other rows than on the first scan. */
  outside: number;
}

function emptySide(bins: number): SideBins {
  return {
    n: new Float64Array(bins),
    lo: new Float64Array(bins),
    hi: new Float64Array(bins),
    dev: new Float64Array(bins),
  };
}

/** Reads scan 2's Arrow result column-wise (up to tens of thousands of rows per column). */
export function decodeFineHistogram(spec: FineHistogramSpec, table: Table): FineHistogram[] {
  const out: FineHistogram[] = spec.columns.map((c) => ({
    center: c.transform.center,
    reference: emptySide(c.transform.bins),
    current: emptySide(c.transform.bins),
    outside: 0,
  }));
  const col = numericColumn(table, "col", "drift histogram");
  const bin = numericColumn(table, "bin", "drift histogram");
  const side = numericColumn(table, "side", "drift histogram");
  const n = numericColumn(table, "n", "drift histogram");
  const lo = numericColumn(table, "lo", "drift histogram");
  const hi = numericColumn(table, "hi", "drift histogram");
  const dev = numericColumn(table, "dev", "drift histogram");
  // col.length, not table.numRows in the loop: that getter sums every record batch's length (one
  // per 2048 rows), which made this loop cost seconds for a million-row histogram.
  for (let i = 0; i < col.length; i++) {
    const h = out[Number(col[i])];
    const b = Number(bin[i]);
    const t = spec.columns[Number(col[i])]?.transform;
    if (!h || !t) throw new Error(`drift: bad histogram row ${String(col[i])}/${b}`);
    if (b < 0 || b >= t.bins) {
      h.outside += Number(n[i]);
      continue;
    }
    const s = Number(side[i]) === 0 ? h.reference : h.current;
    // Merged, not assigned: DuckDB 1.4.3 with threads ≥ 2 has been seen to return one GROUP BY key
    // in two rows, each with part of the group (see lib/audit/slices/exact-quantiles.ts).
    const seen = (s.n[b] ?? 0) > 0;
    s.n[b] = (s.n[b] ?? 0) + Number(n[i]);
    s.lo[b] = seen ? Math.min(s.lo[b] ?? 0, Number(lo[i])) : Number(lo[i]);
    s.hi[b] = seen ? Math.max(s.hi[b] ?? 0, Number(hi[i])) : Number(hi[i]);
    s.dev[b] = (s.dev[b] ?? 0) + Number(dev[i]);
  }
  return out;
}

export interface RefineColumn extends FineHistogramColumn {
  /** Bins whose distinct values are wanted. */
  bins: readonly number[];
}

export interface RefineSpec {
  reference: string;
  current: string;
  columns: readonly RefineColumn[];
}

/** Scan 3: rows (col, bin, v, r, c) — the distinct values of the chosen bins with their counts. */
export function compileRefinement(spec: RefineSpec): string {
  const parts = spec.columns
    .map((col, i) => ({ col, i }))
    .filter(({ col }) => col.bins.length > 0)
    .map(
      ({
        col,
        i,
      }) => `SELECT CAST(${integerLiteral(i)} AS INTEGER) AS col, ${binOfKeySql(col.transform, "key")} AS bin, v,
    CAST(count(*) - sum(side) AS DOUBLE) AS r, CAST(sum(side) AS DOUBLE) AS c
  FROM (${sideRows(spec, col)})
  WHERE key IN (SELECT unnest([${keysOfBins(col.transform, col.bins).map(integerLiteral).join(", ")}]::BIGINT[]))
  GROUP BY key, v`,
    );
  if (parts.length === 0) return "";
  return `${parts.join("\nUNION ALL\n")}\nORDER BY col, v`;
}

/** Distinct values of refined bins, per column, sorted by value. */
export interface RefinedValues {
  bin: Int32Array;
  value: Float64Array;
  reference: Float64Array;
  current: Float64Array;
}

/**
 * Rows come sorted by (col, v); a value may come in two rows (a GROUP BY key split across threads,
 * see decodeFineHistogram) and is merged here.
 */
export function decodeRefinement(spec: RefineSpec, table: Table | null): RefinedValues[] {
  const counts = spec.columns.map(() => 0);
  const col = table ? numericColumn(table, "col", "drift histogram") : [];
  const v = table ? numericColumn(table, "v", "drift histogram") : [];
  const repeats = (i: number) => i > 0 && col[i] === col[i - 1] && v[i] === v[i - 1];
  for (let i = 0; i < col.length; i++) {
    if (!repeats(i)) counts[Number(col[i])] = (counts[Number(col[i])] ?? 0) + 1;
  }
  const out: RefinedValues[] = counts.map((k) => ({
    bin: new Int32Array(k),
    value: new Float64Array(k),
    reference: new Float64Array(k),
    current: new Float64Array(k),
  }));
  if (!table) return out;
  const bin = numericColumn(table, "bin", "drift histogram");
  const r = numericColumn(table, "r", "drift histogram");
  const c = numericColumn(table, "c", "drift histogram");
  const next = spec.columns.map(() => 0);
  for (let i = 0; i < col.length; i++) {
    const k = Number(col[i]);
    const target = out[k];
    if (!target) continue;
    if (repeats(i)) {
      const j = (next[k] ?? 1) - 1;
      target.reference[j] = (target.reference[j] ?? 0) + Number(r[i]);
      target.current[j] = (target.current[j] ?? 0) + Number(c[i]);
      continue;
    }
    const j = next[k] ?? 0;
    next[k] = j + 1;
    target.bin[j] = Number(bin[i]);
    target.value[j] = Number(v[i]);
    target.reference[j] = Number(r[i]);
    target.current[j] = Number(c[i]);
  }
  return out;
}
