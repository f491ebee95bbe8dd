/**
 * Column profile: counts, distinct values, range, moments, quantiles and top values.
 *
 * - nullCount: SQL NULLs. NaN and ±Inf are counted apart (nanCount, posInfCount, negInfCount)
 *   and are NOT nulls.
 * - distinctCount: exact `count(DISTINCT x)` over non-null values; NaN counts as one value
 *   (DuckDB treats NaN as equal to NaN), +Inf and −Inf as one value each.
 * - min, max, mean, std, quantiles (numeric columns): over the FINITE values only, so one NaN
 *   or Inf cannot poison them. std is the sample standard deviation (ddof = 1, pandas
 *   `Series.std()`), null with fewer than two finite values. Quantiles are exact with linear
 *   interpolation (DuckDB `quantile_cont`, numpy `quantile(method="linear")`), never approximate.
 * - min/max of categorical and temporal columns: the type's own ordering, rendered as text.
 * - topValues (categorical columns): the 10 most frequent non-null values with counts, ties
 *   broken by value (byte order); values rendered as text (`true`/`false` for booleans).
 *
 * Cost: one scan computes the counts, range and moments of every column; one query (a GROUP BY
 * per column) the null and distinct counts, min/max and top values of all categorical columns
 * (`profile-categorical.ts`). Up to EXACT_PROFILE_ROWS rows the distinct counts and quantiles
 * of numeric and temporal columns are exact: quantile_cont in the first scan, count(DISTINCT x)
 * in a query of its own (one aggregate per column, UNION ALL, cheaper than distinct aggregates
 * inside the wide scan), and for integer columns with a range < QUANTILE_BINS both from one
 * bin per value (bit-identical to quantile_cont and count(DISTINCT x)). Above it they come from
 * a hash sample and a histogram (`profile-large.ts`): exact where the data allows, otherwise
 * flagged approximate with a stated bound (`distinctApproximate`/`distinctInterval`,
 * `quantilesApproximate`/`quantileBound`).
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { quoteIdentifier } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import { avgSql, hugeColumns, stddevSql, unscaleMoment, withScaledMomentsOnOverflow } from "../stats/scaled-moments";
import { describeRelation, isIntegerType, requireColumns } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { type ColumnKind, columnKind, holdsNonFinite, isFiniteSql } from "./column-kind";
import { compileCategoricalSummary, decodeCategoricalSummary, TOP_VALUES } from "./profile-categorical";
import {
  compileExactDistinct,
  compileHistograms,
  compileSampledDistinct,
  DISTINCT_ALPHA,
  DISTINCT_SAMPLE_RATE,
  decodeHistograms,
  distinctEstimate,
  EXACT_PROFILE_ROWS,
  type HistogramPlan,
  planHistogram,
  QUANTILE_BINS,
  quantilesFromExactBins,
  quantilesFromHistogram,
  SAMPLE_EXACT_BELOW,
} from "./profile-large";

export const PROFILE_QUANTILES = {
  p01: 0.01,
  p05: 0.05,
  p25: 0.25,
  p50: 0.5,
  p75: 0.75,
  p95: 0.95,
  p99: 0.99,
} as const;
export type QuantileName = keyof typeof PROFILE_QUANTILES;
const QUANTILE_NAMES = Object.keys(PROFILE_QUANTILES) as QuantileName[];

export interface QualityProfileSpec {
  /** Table or view to profile. */
  source: string;
  /** Columns to profile, in this order; all columns when omitted. */
  columns?: string[];
  /**
   * Up to this many rows, distinct counts and quantiles are exact (`count(DISTINCT)`,
   * `quantile_cont`); above it they come from cheaper scans and may be approximate.
   * Default EXACT_PROFILE_ROWS; `Infinity` forces exact statistics.
   */
  exactUpTo?: number;
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnProfile {
  column: string;
  /** DuckDB type name. */
  type: string;
  kind: ColumnKind;
  nullCount: number;
  nullRate: number;
  nanCount: number;
  posInfCount: number;
  negInfCount: number;
  distinctCount: number;
  /** True when distinctCount is a hash-sample estimate (large inputs only). */
  distinctApproximate: boolean;
  /** With an estimate: the interval holding the true count with probability ≥ 1 − 1e-6. */
  distinctInterval: [number, number] | null;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  std: number | null;
  quantiles: Record<QuantileName, number | null> | null;
  /** True when the quantiles are histogram estimates (large inputs only). */
  quantilesApproximate: boolean;
  /** Largest possible |estimate − exact quantile| (a hard bound); 0 when exact. */
  quantileBound: number;
  topValues: TopValue[] | null;
}

export interface QualityProfileResult {
  rows: number;
  columns: ColumnProfile[];
  trace: string[];
  warnings: AuditWarning[];
}

function alias(i: number, stat: string): string {
  return quoteIdentifier(`a${i}_${stat}`);
}

/**
 * The projections of one column (`v{i}` the value; `f{i}` the finite value as DOUBLE, else
 * NULL) and its aggregates over them, as `expr AS alias` items. Aggregates skip NULLs, so
 * min/max/avg/stddev/quantile over `f{i}` are the finite-only statistics without FILTER
 * clauses, which DuckDB evaluates once per aggregate (several times slower on wide tables).
 * Each aggregate costs ~3–10 ns a row in DuckDB-WASM, so the scan computes only what it must:
 * - categorical columns get nothing here (null count and the rest come from the grouping query);
 * - FLOAT/DOUBLE columns count their non-finite values in one `count(v) - count(f)` (nearly free:
 *   a validity count); the split into NaN / +Inf / −Inf is a second query over the columns that
 *   have any (`compileNonFiniteCounts`), instead of three `count_if` per column here;
 * - integer columns take min/max of the raw integer, skipping the DOUBLE compare's NaN handling
 *   (same value: the cast is monotone, so CAST(min(v) AS DOUBLE) = min(CAST(v AS DOUBLE))), unless
 *   the row count query already did (`plan.rangeKnown`);
 * - columns in `plan.binned` get nothing (their exact histogram gives every statistic), columns
 *   in `plan.exactBinned` no distinct count or quantiles (their exact histogram gives them);
 * - with `plan.distinctApart`, numeric and temporal columns skip the distinct count (a query of
 *   its own gives it).
 * With `exact` false, numeric and temporal columns skip distinct counts and quantiles.
 */
function columnParts(
  column: ColumnInfo,
  i: number,
  exact: boolean,
  plan: ScanPlan,
): { projections: string[]; aggregates: string[] } {
  const c = quoteIdentifier(column.name);
  const v = quoteIdentifier(`v${i}`);
  const f = quoteIdentifier(`f${i}`);
  const kind = columnKind(column.type);
  if (kind === "categorical" || plan.binned?.has(i)) return { projections: [], aggregates: [] };
  const projections = [`${c} AS ${v}`];
  const aggregates = [`count(*) - count(${v}) AS ${alias(i, "null")}`];
  const fromBins = plan.exactBinned?.has(i) === true;
  if (kind === "other" || (exact && !fromBins && plan.distinctApart !== true)) {
    aggregates.push(`count(DISTINCT ${v}) AS ${alias(i, "distinct")}`);
  }
  if (kind === "numeric") {
    const d = `CAST(${c} AS DOUBLE)`;
    if (holdsNonFinite(column.type)) {
      projections.push(`CASE WHEN ${isFiniteSql(d)} THEN ${d} END AS ${f}`);
      aggregates.push(`count(${v}) - count(${f}) AS ${alias(i, "nonfinite")}`);
    } else {
      projections.push(`${d} AS ${f}`);
    }
    if (isIntegerType(column.type)) {
      if (!plan.rangeKnown?.has(i)) aggregates.push(...integerRange(column, i));
    } else {
      aggregates.push(`min(${f}) AS ${alias(i, "min")}`);
      aggregates.push(`max(${f}) AS ${alias(i, "max")}`);
    }
    const scaled = plan.scaledMoments?.has(i) === true;
    aggregates.push(`${avgSql(f, scaled)} AS ${alias(i, "mean")}`);
    aggregates.push(`${stddevSql("samp", f, scaled)} AS ${alias(i, "std")}`);
    if (exact && !fromBins) {
      const qs = QUANTILE_NAMES.map((q) => String(PROFILE_QUANTILES[q])).join(", ");
      aggregates.push(`quantile_cont(${f}, [${qs}]) AS ${alias(i, "q")}`);
    }
  } else if (kind === "temporal") {
    aggregates.push(`CAST(min(${v}) AS VARCHAR) AS ${alias(i, "min")}`);
    aggregates.push(`CAST(max(${v}) AS VARCHAR) AS ${alias(i, "max")}`);
  }
  return { projections, aggregates };
}

/**
 * +Inf and −Inf counts of FLOAT/DOUBLE columns that hold any non-finite value (scan 1 only
 * counts them together; NaN is the rest): one scan, aliases `a{i}_posinf`, `a{i}_neginf`. Two
 * equality tests cost less than half of `isnan` + `isinf` in DuckDB-WASM (1M rows: 8–12 vs
 * 20–28 ms a column); NaN equals neither (DuckDB orders it above +Inf).
 */
export function compileNonFiniteCounts(source: string, columns: readonly { name: string; index: number }[]): string {
  const aggregates = columns.flatMap(({ name, index: i }) => {
    const c = quoteIdentifier(name);
    return [
      `count_if(${c} = CAST('inf' AS DOUBLE)) AS ${alias(i, "posinf")}`,
      `count_if(${c} = CAST('-inf' AS DOUBLE)) AS ${alias(i, "neginf")}`,
    ];
  });
  return `SELECT\n  ${aggregates.join(",\n  ")}\nFROM ${quoteIdentifier(source)}`;
}

/** `CAST(min(x) AS DOUBLE)`, `CAST(max(x) AS DOUBLE)` of an integer column, aliases `a{i}_min`, `a{i}_max`. */
function integerRange(column: ColumnInfo, i: number): string[] {
  const c = quoteIdentifier(column.name);
  return [`CAST(min(${c}) AS DOUBLE) AS ${alias(i, "min")}`, `CAST(max(${c}) AS DOUBLE) AS ${alias(i, "max")}`];
}

function isInteger(column: ColumnInfo): boolean {
  return columnKind(column.type) === "numeric" && isIntegerType(column.type);
}

/**
 * The row count (`n`) and the min/max of every integer column, in one cheap scan (~2 ms per
 * integer column per 1M rows in DuckDB-WASM): the ranges say which integer columns an exact
 * histogram can profile on its own, before scan 1.
 */
export function compileRowCount(source: string, columns: readonly ColumnInfo[]): string {
  const ranges = columns.flatMap((c, i) => (isInteger(c) ? integerRange(c, i) : []));
  return `SELECT ${["count(*) AS n", ...ranges].join(", ")} FROM ${quoteIdentifier(source)}`;
}

/** What scan 1 may leave out, by column index. */
export interface ScanPlan {
  /** Integer columns whose min/max `compileRowCount` gave. */
  rangeKnown?: ReadonlySet<number>;
  /** Columns profiled entirely from an exact histogram (integer columns with a range < 4096, large inputs). */
  binned?: ReadonlySet<number>;
  /** Columns whose distinct count and quantiles come from an exact histogram (integer columns with a range < 4096, exact path). */
  exactBinned?: ReadonlySet<number>;
  /** Distinct counts of numeric and temporal columns come from a query of their own (`compileExactDistinct`). */
  distinctApart?: boolean;
  /**
   * Columns whose mean and std are taken over values scaled by 2^−600 (values near the largest
   * double overflowed `avg` / `stddev_samp`; stats/scaled-moments.ts). Decode with the same set.
   */
  scaledMoments?: ReadonlySet<number>;
}

/**
 * SQL of the single scan that profiles every column (exact: with distinct counts and
 * quantiles of numeric and temporal columns; see `exactUpTo`).
 */
export function compileQualityProfile(
  source: string,
  columns: readonly ColumnInfo[],
  exact = true,
  plan: ScanPlan = {},
): string {
  const parts = columns.map((c, i) => columnParts(c, i, exact, plan));
  const projections = parts.flatMap((p) => p.projections);
  const aggregates = [`count(*) AS ${quoteIdentifier("n_rows")}`, ...parts.flatMap((p) => p.aggregates)];
  const from =
    projections.length > 0
      ? `(SELECT ${projections.join(", ")} FROM ${quoteIdentifier(source)})`
      : quoteIdentifier(source);
  return `SELECT\n  ${aggregates.join(",\n  ")}\nFROM ${from}`;
}

function stat(row: Row, i: number, name: string): unknown {
  return row[`a${i}_${name}`];
}

function quantileRecord(values: readonly unknown[]): Record<QuantileName, number | null> {
  return Object.fromEntries(QUANTILE_NAMES.map((q, k) => [q, num(values[k])])) as Record<QuantileName, number | null>;
}

function decodeColumn(row: Row, column: ColumnInfo, i: number, rows: number, plan: ScanPlan): ColumnProfile {
  const scaled = plan.scaledMoments?.has(i) === true;
  const kind = columnKind(column.type);
  const nullCount = num(stat(row, i, "null")) ?? 0;
  const textOrNumber = (v: unknown): number | string | null =>
    v === null || v === undefined ? null : kind === "numeric" ? num(v) : String(v);
  let quantiles: ColumnProfile["quantiles"] = null;
  if (kind === "numeric") {
    const list = stat(row, i, "q");
    quantiles = quantileRecord(Array.isArray(list) ? list : QUANTILE_NAMES.map(() => null));
  }
  return {
    column: column.name,
    type: column.type,
    kind,
    nullCount,
    nullRate: rows > 0 ? nullCount / rows : 0,
    nanCount: num(stat(row, i, "nan")) ?? 0,
    posInfCount: num(stat(row, i, "posinf")) ?? 0,
    negInfCount: num(stat(row, i, "neginf")) ?? 0,
    distinctCount: num(stat(row, i, "distinct")) ?? 0,
    distinctApproximate: false,
    distinctInterval: null,
    min: textOrNumber(stat(row, i, "min")),
    max: textOrNumber(stat(row, i, "max")),
    mean: kind === "numeric" ? unscaleMoment(num(stat(row, i, "mean")), scaled) : null,
    std: kind === "numeric" ? unscaleMoment(num(stat(row, i, "std")), scaled) : null,
    quantiles,
    quantilesApproximate: false,
    quantileBound: 0,
    topValues: kind === "categorical" ? [] : null,
  };
}

/** Distinct counts of numeric and temporal columns above the size limit (profile-large.ts). */
async function largeDistinct(query: QueryFn, source: string, rows: number, targets: ColumnProfile[], trace: string[]) {
  if (targets.length === 0) return;
  const sampled = await queryRows(
    query,
    compileSampledDistinct(
      source,
      targets.map((p) => p.column),
    ),
  );
  const x = targets.map(() => 0);
  for (const r of sampled) x[num(r.k) ?? -1] = num(r.d) ?? 0;
  const small = targets.filter((_, k) => (x[k] ?? 0) < SAMPLE_EXACT_BELOW);
  targets.forEach((p, k) => {
    if ((x[k] ?? 0) < SAMPLE_EXACT_BELOW) return;
    // The count cannot exceed the non-null values, nor the interval's ends.
    const nonNull = rows - p.nullCount;
    const e = distinctEstimate(x[k] ?? 0);
    p.distinctCount = Math.min(e.estimate, nonNull);
    p.distinctApproximate = true;
    p.distinctInterval = [Math.min(e.low, nonNull), Math.min(e.high, nonNull)];
  });
  await countDistinctExactly(query, source, small);
  trace.push(
    `Distinct counts of ${targets.length} numeric/temporal columns: count(DISTINCT x) over the hash sample hash(x) < 2^60 (p = ${DISTINCT_SAMPLE_RATE}); ` +
      `${small.length} columns with < ${SAMPLE_EXACT_BELOW} sampled values were recounted exactly, ` +
      `${targets.length - small.length} are estimates X / p with a Chernoff interval (probability ≥ ${1 - DISTINCT_ALPHA}, hash taken as random).`,
  );
}

/** The distinct non-finite values of a column: NaN, +Inf and −Inf count as one value each. */
function nonFiniteValues(p: ColumnProfile): number {
  return Number(p.nanCount > 0) + Number(p.posInfCount > 0) + Number(p.negInfCount > 0);
}

/**
 * Null count, mean and sample std of an integer column from its exact bins (one per value v =
 * min + b): n = Σ c_b, S = Σ c_b·v, Q = Σ c_b·v² in exact integers (BigInt), mean = S / n (what
 * avg() of the column as DOUBLE gives while its partial sums stay below 2^53), and
 * var = (n·Q − S²) / (n·(n − 1)), exact up to the final roundings (DuckDB's stddev_samp
 * accumulates Welford's rounding instead: the two agree to ~1e-15 relative).
 */
function countsFromBins(
  plan: HistogramPlan,
  counts: readonly number[],
  rows: number,
): Pick<ColumnProfile, "nullCount" | "nullRate" | "mean" | "std"> {
  let n = 0n;
  let sum = 0n;
  let squares = 0n;
  const min = BigInt(plan.min);
  counts.forEach((c, b) => {
    if (c === 0) return;
    const count = BigInt(c);
    const v = min + BigInt(b);
    n += count;
    sum += count * v;
    squares += count * v * v;
  });
  const total = Number(n);
  const nullCount = rows - total;
  return {
    nullCount,
    nullRate: rows > 0 ? nullCount / rows : 0,
    mean: total > 0 ? Number(sum) / total : null,
    std: total > 1 ? Math.sqrt(Number(n * squares - sum * sum) / (total * (total - 1))) : null,
  };
}

/** The bin counts of each plan's column: one query, a GROUP BY per column (profile-large.ts). */
async function histogramCounts(query: QueryFn, source: string, plans: readonly HistogramPlan[]): Promise<number[][]> {
  return decodeHistograms(plans, await query(compileHistograms(source, plans)));
}

/**
 * Quantiles of numeric columns above the size limit (profile-large.ts). Returns the columns whose
 * exact distinct count this settled on the way: no finite value or a constant one (then the
 * distinct values are that constant and the non-finite kinds present), and integer columns
 * binned one bin per value (the number of non-empty bins).
 */
async function largeQuantiles(
  query: QueryFn,
  source: string,
  rows: number,
  numeric: ColumnProfile[],
  binned: ReadonlyMap<ColumnProfile, HistogramPlan>,
  trace: string[],
): Promise<Set<ColumnProfile>> {
  const settled = new Set<ColumnProfile>();
  const probabilities = QUANTILE_NAMES.map((q) => PROFILE_QUANTILES[q]);
  const plans: { profile: ColumnProfile; plan: HistogramPlan }[] = [];
  const fallback: ColumnProfile[] = [];
  for (const p of numeric) {
    const planned = binned.get(p);
    if (planned) {
      plans.push({ profile: p, plan: planned });
      continue;
    }
    if (typeof p.min !== "number" || typeof p.max !== "number") {
      p.distinctCount = nonFiniteValues(p); // no finite value
      settled.add(p);
      continue;
    }
    if (p.min === p.max) {
      p.quantiles = quantileRecord(probabilities.map(() => p.min));
      p.distinctCount = 1 + nonFiniteValues(p);
      settled.add(p);
      continue;
    }
    const plan = planHistogram({
      column: { name: p.column, type: p.type },
      min: p.min,
      max: p.max,
      allFinite: nonFiniteValues(p) === 0,
    });
    if (plan) plans.push({ profile: p, plan });
    else fallback.push(p);
  }
  if (plans.length > 0) {
    const counts = await histogramCounts(
      query,
      source,
      plans.map((x) => x.plan),
    );
    plans.forEach(({ profile, plan }, k) => {
      if (binned.has(profile)) Object.assign(profile, countsFromBins(plan, counts[k] ?? [], rows));
      const inBins = (counts[k] ?? []).reduce((a, b) => a + b, 0);
      const finite = rows - profile.nullCount - profile.nanCount - profile.posInfCount - profile.negInfCount;
      if (inBins !== finite) {
        throw new Error(
          `quality profile: the histogram of "${profile.column}" holds ${inBins} values, scan 1 counted ${finite} finite ones`,
        );
      }
      const q = quantilesFromHistogram(plan, counts[k] ?? [], probabilities);
      profile.quantiles = quantileRecord(q.values);
      profile.quantilesApproximate = !q.exact;
      profile.quantileBound = q.bound;
      if (plan.exactBins) {
        profile.distinctCount = (counts[k] ?? []).filter((n) => n > 0).length;
        settled.add(profile);
      }
    });
    const exactCount = plans.filter((x) => x.plan.exactBins).length;
    trace.push(
      `Quantiles of ${plans.length} numeric columns from one histogram query (a GROUP BY per column): ${exactCount} integer columns with range < ${QUANTILE_BINS} exactly (one bin per value, which also gives their exact distinct count, and their null count, mean and std instead of scan 1), ` +
        `${plans.length - exactCount} estimated from ${QUANTILE_BINS} equal-width bins between the finite min and max, within quantileBound of the exact quantile_cont (a hard bound).`,
    );
  }
  if (fallback.length > 0) {
    const qs = QUANTILE_NAMES.map((q) => String(PROFILE_QUANTILES[q])).join(", ");
    const sql = fallback
      .map((p, k) => {
        const d = `CAST(${quoteIdentifier(p.column)} AS DOUBLE)`;
        return `SELECT ${k} AS k, quantile_cont(${d}, [${qs}]) AS q FROM ${quoteIdentifier(source)} WHERE isfinite(${d})`;
      })
      .join("\nUNION ALL\n");
    for (const r of await queryRows(query, sql)) {
      const p = fallback[num(r.k) ?? -1];
      if (p) p.quantiles = quantileRecord(Array.isArray(r.q) ? r.q : []);
    }
    trace.push(`Quantiles of ${fallback.length} columns whose range overflows a histogram: exact quantile_cont.`);
  }
  return settled;
}

/**
 * Exact path: the distinct counts and quantiles of integer columns with a range < QUANTILE_BINS
 * from one bin per value (a perfect-hash GROUP BY, instead of a hash table and a buffer of every
 * value in scan 1). The quantiles are the same doubles quantile_cont gives: the order statistics
 * at ⌊RN⌋ and ⌈RN⌉ are the bins' values, interpolated as quantile_cont does (`quantilesFromExactBins`);
 * the distinct count is the number of non-empty bins.
 */
async function exactFromBins(
  query: QueryFn,
  source: string,
  rows: number,
  binned: readonly { profile: ColumnProfile; plan: HistogramPlan }[],
  trace: string[],
): Promise<void> {
  if (binned.length === 0) return;
  const probabilities = QUANTILE_NAMES.map((q) => PROFILE_QUANTILES[q]);
  const counts = await histogramCounts(
    query,
    source,
    binned.map((x) => x.plan),
  );
  binned.forEach(({ profile, plan }, k) => {
    const bins = counts[k] ?? [];
    const inBins = bins.reduce((a, b) => a + b, 0);
    if (inBins !== rows - profile.nullCount) {
      throw new Error(
        `quality profile: the histogram of "${profile.column}" holds ${inBins} values, scan 1 counted ${rows - profile.nullCount} non-null ones`,
      );
    }
    profile.quantiles = quantileRecord(quantilesFromExactBins(plan, bins, probabilities));
    profile.distinctCount = bins.filter((n) => n > 0).length;
  });
  trace.push(
    `Distinct counts and quantiles of ${binned.length} integer columns with range < ${QUANTILE_BINS}: one query (a GROUP BY per column, one bin per value), exactly (the non-empty bins; quantile_cont's order statistics and interpolation).`,
  );
}

/** Sets each target's `distinctCount` to `count(DISTINCT x)`: one small aggregate per column (UNION ALL). */
async function countDistinctExactly(query: QueryFn, source: string, targets: ColumnProfile[]): Promise<void> {
  if (targets.length === 0) return;
  const rows = await queryRows(
    query,
    compileExactDistinct(
      source,
      targets.map((p) => p.column),
    ),
  );
  for (const r of rows) {
    const p = targets[num(r.k) ?? -1];
    if (p) p.distinctCount = num(r.d) ?? 0;
  }
}

/** Exact path: the distinct counts of the given columns, by `countDistinctExactly`. */
async function exactDistinct(query: QueryFn, source: string, targets: ColumnProfile[], trace: string[]): Promise<void> {
  if (targets.length === 0) return;
  await countDistinctExactly(query, source, targets);
  trace.push(
    `Distinct counts of ${targets.length} numeric/temporal columns: exact count(DISTINCT x), one aggregate per column (UNION ALL).`,
  );
}

/** Profiles the columns of `source`. Throws `empty-table` when it has no rows. */
export async function runQualityProfile(query: QueryFn, spec: QualityProfileSpec): Promise<QualityProfileResult> {
  const all = await describeRelation(query, spec.source);
  let columns = all;
  if (spec.columns) {
    requireColumns(all, spec.columns, spec.source);
    columns = spec.columns.map((name) => all.find((c) => c.name === name) as ColumnInfo);
  }
  const log = new WarningLog();
  const trace: string[] = [];
  const [counted] = await queryRows(query, compileRowCount(spec.source, columns));
  const exactUpTo = spec.exactUpTo ?? EXACT_PROFILE_ROWS;
  const exact = (num(counted?.n) ?? 0) <= exactUpTo;
  const rangeKnown = new Set(columns.flatMap((c, i) => (isInteger(c) ? [i] : [])));
  // Large inputs: an integer column with a range < QUANTILE_BINS gets one histogram bin per value,
  // whose exact counts give its null count, mean, std, distinct count and quantiles: scan 1 skips it.
  // Exact path: the same columns keep their counts and moments in scan 1, but take their distinct
  // count and quantiles from those bins.
  const binned = new Map<number, HistogramPlan>();
  if (counted) {
    for (const i of rangeKnown) {
      const min = num(stat(counted, i, "min"));
      const max = num(stat(counted, i, "max"));
      const column = columns[i] as ColumnInfo;
      const plan = min === null || max === null ? null : planHistogram({ column, min, max, allFinite: true });
      if (plan?.exactBins) binned.set(i, plan);
    }
  }
  const binnedSet = new Set(binned.keys());
  const basePlan: ScanPlan = exact
    ? { rangeKnown, exactBinned: binnedSet, distinctApart: true }
    : { rangeKnown, binned: binnedSet };
  // Values near the largest double overflow avg / stddev_samp: scan 1 runs again with those
  // columns' moments scaled (stats/scaled-moments.ts). Other columns keep the plain statistics.
  const moments = (c: ColumnInfo, i: number) => columnKind(c.type) === "numeric" && !binnedSet.has(i);
  const { result: scanned1, scaled } = await withScaledMomentsOnOverflow(
    async (scaledMoments: ReadonlySet<number>) =>
      (await queryRows(query, compileQualityProfile(spec.source, columns, exact, { ...basePlan, scaledMoments })))[0],
    (scannedRow) =>
      columns.some((c, i) => {
        const mean = num(stat(scannedRow ?? {}, i, "mean"));
        return moments(c, i) && mean !== null && !Number.isFinite(mean);
      }),
    async () => {
      const indices = columns.flatMap((c, i) => (moments(c, i) ? [i] : []));
      const huge = await hugeColumns(
        query,
        spec.source,
        indices.map((i) => (columns[i] as ColumnInfo).name),
      );
      return new Set(indices.filter((i) => huge.has((columns[i] as ColumnInfo).name)));
    },
  );
  const plan: ScanPlan = { ...basePlan, scaledMoments: scaled };
  if (scaled.size > 0) {
    trace.push(
      `Values near the largest double overflowed the mean or std of ${[...scaled].map((i) => JSON.stringify(columns[i]?.name)).join(", ")}: scan 1 ran again with those columns' values scaled by 2^−600 inside avg and stddev_samp, exact for values that large.`,
    );
  }
  const row = scanned1 && counted ? { ...counted, ...scanned1 } : scanned1;
  const rows = num(row?.n_rows) ?? 0;
  if (!row || rows === 0) {
    throw new AuditInputError(
      "empty-table",
      `"${spec.source}" has no rows. Load data or widen the filter, then run again.`,
    );
  }
  const scanned = columns.filter((c, i) => columnKind(c.type) !== "categorical" && !binned.has(i)).length;
  trace.push(
    `Scan 1: one SELECT computed the counts, range and moments of ${scanned} non-categorical columns over ${rows} rows (integer columns' min/max from the row count query)` +
      (exact
        ? `, with exact quantiles (${rows} rows ≤ ${exactUpTo}; distinct counts, and quantiles of narrow integer columns, from the exact queries below).`
        : `; distinct counts and quantiles of numeric/temporal columns come from cheaper scans (${rows} rows > ${exactUpTo}).`),
  );
  trace.push(
    "nullCount counts SQL NULLs only; NaN and ±Inf are counted separately and excluded from min, max, mean, std and quantiles (computed over finite values).",
  );
  trace.push(
    "std is the sample standard deviation (ddof = 1); quantiles use linear interpolation (quantile_cont convention).",
  );
  const profiles = columns.map((c, i) => decodeColumn(row, c, i, rows, plan));

  const dirty = columns
    .map((c, i) => ({ name: c.name, index: i }))
    .filter(({ index }) => (num(stat(row, index, "nonfinite")) ?? 0) > 0);
  if (dirty.length > 0) {
    const [split] = await queryRows(query, compileNonFiniteCounts(spec.source, dirty));
    for (const { index } of dirty) {
      const p = profiles[index];
      if (!p || !split) continue;
      p.posInfCount = num(stat(split, index, "posinf")) ?? 0;
      p.negInfCount = num(stat(split, index, "neginf")) ?? 0;
      p.nanCount = (num(stat(row, index, "nonfinite")) ?? 0) - p.posInfCount - p.negInfCount;
    }
    trace.push(
      `${dirty.length} FLOAT/DOUBLE columns hold non-finite values (count(x) − count(finite x) > 0): one more scan counted their +Inf and −Inf (NaN: the rest).`,
    );
  }

  const categorical = profiles.filter((p) => p.kind === "categorical");
  if (categorical.length > 0) {
    // One GROUP BY per column: DuckDB's aggregate hashes a dictionary-compressed string vector's
    // dictionary instead of every row, which the browser's compressed tables produce, so in
    // DuckDB-WASM per-column groups beat the joint ones of planCategoricalGroups (there, on plain
    // tables) by ~2× and need no cardinality probe; natively the two cost the same.
    const info = categorical.map((p) => ({ name: p.column, type: p.type }));
    const summary = decodeCategoricalSummary(
      info,
      await queryRows(query, compileCategoricalSummary(spec.source, info, TOP_VALUES)),
    );
    categorical.forEach((p, k) => {
      const s = summary[k];
      if (!s) return;
      p.nullCount = s.nullCount;
      p.nullRate = s.nullCount / rows;
      p.distinctCount = s.distinctCount;
      p.min = s.min;
      p.max = s.max;
      p.topValues = s.topValues;
    });
    trace.push(
      `Scan 2: one query (UNION ALL of a GROUP BY per column) gave the exact null and distinct counts, min/max and top ${TOP_VALUES} values of ${categorical.length} categorical columns (ties broken by value).`,
    );
  }
  if (exact) {
    await exactFromBins(
      query,
      spec.source,
      rows,
      [...binned].map(([i, plan]) => ({ profile: profiles[i] as ColumnProfile, plan })),
      trace,
    );
    await exactDistinct(
      query,
      spec.source,
      profiles.filter((p, i) => (p.kind === "numeric" || p.kind === "temporal") && !binned.has(i)),
      trace,
    );
  } else {
    const settled = await largeQuantiles(
      query,
      spec.source,
      rows,
      profiles.filter((p) => p.kind === "numeric"),
      new Map([...binned].map(([i, plan]) => [profiles[i] as ColumnProfile, plan])),
      trace,
    );
    await largeDistinct(
      query,
      spec.source,
      rows,
      profiles.filter((p) => (p.kind === "numeric" || p.kind === "temporal") && !settled.has(p)),
      trace,
    );
  }

  for (const p of profiles) {
    if (p.nullCount === rows) {
      log.warn("all-null", `Column "${p.column}" is entirely null.`, p.column);
    } else if (p.distinctCount === 1) {
      log.warn("constant", `Column "${p.column}" holds a single value; it carries no information.`, p.column);
    }
    const nonFinite = p.nanCount + p.posInfCount + p.negInfCount;
    if (nonFinite > 0) {
      log.warn(
        "non-finite-values",
        `Column "${p.column}" has ${p.nanCount} NaN, ${p.posInfCount} +Inf and ${p.negInfCount} −Inf values; its statistics use the finite values only.`,
        p.column,
      );
    }
  }
  if (profiles.some((p) => p.distinctApproximate || p.quantilesApproximate)) {
    log.warn(
      "approximate-statistics",
      `"${spec.source}" has ${rows} rows (> ${exactUpTo}): some distinct counts and quantiles are estimates; each column says which (distinctApproximate, quantilesApproximate) and how far off they can be (distinctInterval, quantileBound).`,
    );
  }
  return { rows, columns: profiles, trace, warnings: log.items };
}
