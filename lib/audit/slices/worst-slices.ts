/**
 * Worst slices: the subgroups (one value of a column, or a pair of them) where a model's
 * metric is furthest from its overall value in the worse direction.
 *
 * A slice is a conjunction of conditions on candidate columns: categorical columns by
 * value (NULL is its own value), numeric columns by quantile bin (`numeric-bins.ts`;
 * numeric columns with ≤ numericBins distinct values are sliced by value instead).
 * For each slice: n (rows), value (`slice-metric.ts`), a 95% interval (Wilson for rates,
 * normal for means), gap = value − overall in the worse direction (|value − overall| for
 * selection_rate and mean_score), significant = the interval excludes the overall value.
 * Slices with n < minSupport or an undefined value (0 denominator) are not ranked; both are
 * counted in the trace. No multiple-testing correction is applied to `significant`.
 * Similar in spirit to SliceFinder (Chung et al. 2019) and Fairlearn's MetricFrame over
 * feature groups; checked against a pandas groupby brute force.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { FLOAT64_EPS } from "../performance";
import { num, queryRows, type Row } from "../rows";
import { wilsonInterval, Z_95 } from "../stats/wilson";
import {
  describeRelation,
  isNumericType,
  requireBinaryLabel,
  requireColumns,
  requireNumeric,
  requireModerateScores,
  requireProbabilities,
  requireRows,
} from "../validate";
import type { BatchCheck } from "../streaming/batch-sums";
import { type AuditWarning, WarningLog } from "../warnings";
import { type BlockCandidate, blockLayout, MAX_PACKED_LEVELS, MAX_PART_CODES } from "./slice-blocks";
import { exactQuantiles } from "./exact-quantiles";
import { binInterval, binLabels, distinctEdges, NAN_BIN } from "./numeric-bins";
import {
  gapOf,
  SLICE_METRICS,
  type SliceMetric,
  type SliceMetricSql,
  sliceMetricSql,
  type WorseDirection,
} from "./slice-metric";
import {
  compileSingleSlices,
  compileSliceCandidates,
  compileSliceLevels,
  compileWorstSlices,
  DISTINCT_SAMPLE_ROWS,
  keepPredicate,
  numericRanges,
  type SingleGroup,
  type SliceCandidate,
  type SliceRoles,
  singleGroups,
} from "./worst-slices-sql";

/** Categorical columns with more distinct values than this are not sliced. */
export const MAX_SLICE_LEVELS = 50;

/** Rows the single-column pass of the pruned pair search may return: more than any search has. */
const SINGLE_SLICES_LIMIT = 1_000_000;

export interface WorstSlicesSpec {
  source: string;
  /** 0/1 (or boolean) label column. */
  label: string;
  /** Score column; positive prediction when score ≥ threshold (unless `prediction` is given). */
  score?: string;
  /** 0/1 prediction column; takes precedence over score ≥ threshold. */
  prediction?: string;
  /** Default 0.5. */
  threshold?: number;
  /** Default `error_rate`. */
  metric?: SliceMetric;
  /** Candidate columns; default all but label, score and prediction. */
  columns?: string[];
  /** Quantile bins per numeric column; default 4. */
  numericBins?: number;
  /** Minimum rows in a ranked slice: a count (≥ 1) or a fraction of the rows (< 1); default 30. */
  minSupport?: number;
  /** 1: single columns; 2 (default): also pairs. */
  maxOrder?: 1 | 2;
  /** Slices returned; default 20. */
  limit?: number;
  /**
   * Pruned pair search (maxOrder 2): pairs are formed only among this many candidate columns,
   * those whose best single-column slice (largest gap among slices meeting minSupport; ties by
   * column order) is worst. Default: every pair.
   */
  pairColumns?: number;
}

export interface SliceCondition {
  column: string;
  /** The value as text, a bin label such as "[0.12, 0.48)", "NaN", or null for NULL. */
  value: string | null;
  /** Numeric bins: the bin index and its edges (lower inclusive, upper exclusive; null = open). */
  bin?: number;
  lower?: number | null;
  upper?: number | null;
}

export interface Slice {
  conditions: SliceCondition[];
  description: string;
  n: number;
  value: number;
  ci: { lower: number; upper: number } | null;
  gap: number;
  significant: boolean;
}

export interface WorstSlicesResult {
  metric: SliceMetric;
  overall: { value: number | null; n: number };
  /** Ranked slices, worst first (at most `limit`). */
  slices: Slice[];
  /** Non-empty slices examined, those under minSupport, and those with a zero denominator. */
  counts: { slices: number; belowSupport: number; undefinedValue: number; minSupport: number };
  /** With `pairColumns`: the candidate columns whose pairs were examined, worst single slice first. */
  pairColumns?: string[];
  trace: string[];
  warnings: AuditWarning[];
}

export interface SliceOptions {
  threshold: number;
  metric: SliceMetric;
  numericBins: number;
  minSupport: number;
  maxOrder: 1 | 2;
  limit: number;
  pairColumns: number | undefined;
}

/** The spec's options with their defaults, checked. */
export function sliceOptions(spec: WorstSlicesSpec): SliceOptions {
  const o: SliceOptions = {
    threshold: spec.threshold ?? 0.5,
    metric: spec.metric ?? "error_rate",
    numericBins: spec.numericBins ?? 4,
    minSupport: spec.minSupport ?? 30,
    maxOrder: spec.maxOrder ?? 2,
    limit: spec.limit ?? 20,
    pairColumns: spec.pairColumns,
  };
  const bad = (message: string) => new AuditInputError("invalid-option", message);
  if (!Number.isFinite(o.threshold)) throw bad(`The threshold must be a finite number; got ${o.threshold}.`);
  if (!SLICE_METRICS.includes(o.metric))
    throw bad(`Unknown metric "${o.metric}"; use one of ${SLICE_METRICS.join(", ")}.`);
  if (!Number.isInteger(o.numericBins) || o.numericBins < 2 || o.numericBins > 100) {
    throw bad(`numericBins must be an integer from 2 to 100; got ${o.numericBins}.`);
  }
  if (!(o.minSupport > 0) || (o.minSupport >= 1 && !Number.isInteger(o.minSupport))) {
    throw bad(`minSupport must be a row count (integer ≥ 1) or a fraction in (0, 1); got ${o.minSupport}.`);
  }
  if (o.maxOrder !== 1 && o.maxOrder !== 2) throw bad(`maxOrder must be 1 or 2; got ${o.maxOrder}.`);
  if (!Number.isInteger(o.limit) || o.limit < 1) throw bad(`limit must be a positive integer; got ${o.limit}.`);
  if (o.pairColumns !== undefined && (!Number.isInteger(o.pairColumns) || o.pairColumns < 1)) {
    throw bad(
      `pairColumns must be a positive integer (the number of columns whose pairs are searched); got ${o.pairColumns}. Leave it unset to search every pair.`,
    );
  }
  if (spec.columns && new Set(spec.columns).size !== spec.columns.length) {
    throw bad("The candidate column list names a column more than once.");
  }
  if (spec.score === undefined && spec.prediction === undefined) {
    throw bad("Give a score column, a prediction column, or both.");
  }
  if ((o.metric === "mean_score" || o.metric === "log_loss") && spec.score === undefined) {
    throw bad(`The ${o.metric} metric needs a score column.`);
  }
  return o;
}

/**
 * The checks of the values a search reads, each runnable on a table or on one batch of a stream:
 * label and prediction binary; for log_loss, scores in [0, 1]; for mean_score, any score, but its
 * per-slice sums and sample variances need finite values well inside double range (NaN makes
 * every mean NaN; ~1.8e308 makes var_samp fail).
 */
export function sliceValueChecks(spec: WorstSlicesSpec, o: SliceOptions): BatchCheck[] {
  const { label, prediction, score } = spec;
  const checks: BatchCheck[] = [(q, relation) => requireBinaryLabel(q, relation, label)];
  if (prediction !== undefined) checks.push((q, relation) => requireBinaryLabel(q, relation, prediction));
  if (score !== undefined && o.metric === "log_loss") checks.push((q, r) => requireProbabilities(q, r, score));
  if (score !== undefined && o.metric === "mean_score") {
    checks.push((q, r) => requireModerateScores(q, r, score, "mean_score"));
  }
  return checks;
}

async function validateColumns(query: QueryFn, spec: WorstSlicesSpec, o: SliceOptions): Promise<ColumnInfo[]> {
  const columns = await describeRelation(query, spec.source);
  const roles = [spec.label, spec.score, spec.prediction].filter((c): c is string => c !== undefined);
  requireColumns(columns, [...roles, ...(spec.columns ?? [])], spec.source);
  await requireRows(query, spec.source);
  if (spec.score !== undefined) requireNumeric(columns, spec.score, "score");
  for (const check of sliceValueChecks(spec, o)) await check(query, spec.source);
  return columns;
}

export function sliceable(type: string): boolean {
  const t = type.toUpperCase();
  return isNumericType(t) || t === "VARCHAR" || t === "BOOLEAN" || t.startsWith("ENUM");
}

/**
 * Finds the slices of `source` where `metric` is worst. `internal.plan = "direct"` (tests only)
 * counts rate metrics with the plain GROUPING SETS query instead of the blocked plan;
 * `internal.exactLevels` (tests, and the rerun after a failed check) lists categorical values
 * from all rows instead of the screen's rows.
 */
export async function runWorstSlices(
  query: QueryFn,
  spec: WorstSlicesSpec,
  internal: { plan?: "blocked" | "direct"; exactLevels?: boolean } = {},
): Promise<WorstSlicesResult> {
  const o = sliceOptions(spec);
  const columns = await validateColumns(query, spec, o);
  const log = new WarningLog();
  const trace: string[] = [];
  let roles: SliceRoles = { ...spec, threshold: o.threshold };
  const roleNames = new Set([spec.label, spec.score, spec.prediction]);
  const requested = spec.columns ?? columns.map((c) => c.name).filter((n) => !roleNames.has(n));
  const typed: ColumnInfo[] = [];
  for (const name of requested) {
    const info = columns.find((c) => c.name === name) as ColumnInfo;
    if (sliceable(info.type)) typed.push(info);
    else log.warn("skipped-column", `Column "${name}" (${info.type}) cannot be sliced; it was skipped.`, name);
  }

  // Statement 1: distinct counts and quantile edges.
  const numeric = typed.map((c) => isNumericType(c.type));
  const [profile] = await queryRows(query, compileSliceCandidates(roles, typed, numeric));
  // Every row kept (the usual case): the later scans (ranges, quantile edges, value lists, slice
  // counts) need not test label, score and prediction again on every row, ~5-10% of their time.
  if (profile && num(profile.n) === num(profile.n_all)) roles = { ...roles, everyRowKept: true };
  if (profile) await numericRanges(query, roles, typed, numeric, profile);
  const nAll = num(profile?.n_all) ?? 0;
  const n = num(profile?.n) ?? 0;
  if (!profile) throw new Error("worst slices: the candidate statement returned no row");
  const minSupport = rowsUsed(spec, o, n, nAll, log, trace);
  // Statement 2: all slices in one GROUPING SETS pass, ranked in SQL.
  const metric = sliceMetricSql(o.metric, FLOAT64_EPS);
  // The pruned pair search of a rate metric counts every single slice before the pairs, so the
  // values of categorical columns can be listed from the screen's rows and checked then: a value
  // the screen missed is coded with NULL, and the NULL slice then holds more rows than the
  // column's nulls. On a mismatch the search runs again with exact lists.
  const sampleLevels =
    internal.exactLevels !== true &&
    internal.plan !== "direct" &&
    metric.kind === "rate" &&
    o.maxOrder === 2 &&
    o.pairColumns !== undefined &&
    typed.length > o.pairColumns;
  const { candidates, levels, unverified } = await pickCandidates(
    query,
    roles,
    typed,
    numeric,
    profile,
    o,
    log,
    trace,
    sampleLevels,
  );
  const nullsOf = (cand: SliceCandidate) => num(profile[`z${typed.findIndex((c) => c.name === cand.column)}`]) ?? 0;
  trace.push(
    `Metric ${o.metric}; positive prediction = ${spec.prediction !== undefined ? `"${spec.prediction}" = 1` : `"${spec.score}" ≥ ${o.threshold}`}; ${n} of ${nAll} rows used.`,
  );

  const blocked = candidates.map((cand): BlockCandidate => {
    const i = typed.findIndex((c) => c.name === cand.column);
    const nulls = (num(profile[`z${i}`]) ?? 0) > 0;
    if (cand.mode === "numeric") {
      const nans = n - (num(profile[`z${i}`]) ?? 0) - (num(profile[`c${i}`]) ?? 0) > 0;
      return { mode: "numeric", column: cand.column, edges: cand.bins.edges, nulls, nans };
    }
    const values = [...(levels.get(candidates.indexOf(cand))?.entries() ?? [])]
      .map(([hash, text]) => ({ hash, text }))
      .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    const text = (typed[i] as ColumnInfo).type === "VARCHAR";
    return { mode: "categorical", column: cand.column, levels: values, nulls, text };
  });
  const sqlSpec = {
    ...roles,
    candidates,
    metric,
    maxOrder: o.maxOrder,
    minSupport,
    limit: o.limit,
    blocked: internal.plan === "direct" ? undefined : blocked,
  };
  // Pruned pair search: single-column slices first, then pairs among the worst columns only.
  let pairAmong: number[] | undefined;
  let singleCounts: SingleGroup[] | undefined;
  const pruned = o.maxOrder === 2 && o.pairColumns !== undefined && candidates.length > o.pairColumns;
  if (unverified.size > 0 && !(pruned && metric.kind === "rate" && sqlSpec.blocked !== undefined)) {
    return runWorstSlices(query, spec, { ...internal, exactLevels: true });
  }
  if (pruned) {
    let best: { i: number; gap: number }[];
    if (metric.kind === "rate" && sqlSpec.blocked !== undefined) {
      // Counted once: the final statement ranks these counts with the pairs instead of
      // encoding every column again. Columns with sampled value lists get a NULL code for
      // any other value, so a missed value shows as extra rows in the NULL slice.
      const checked = blocked.map((b, i) => (unverified.has(i) ? { ...b, nulls: true } : b));
      const sql = compileSingleSlices({ ...sqlSpec, blocked: checked }, columns);
      singleCounts = singleGroups(await queryRows(query, sql), candidates.length);
      const missed = [...unverified].some((i) => {
        const rows = singleCounts?.find((g) => g.candidate === i && g.key === null)?.n ?? 0;
        return rows !== nullsOf(candidates[i] as SliceCandidate);
      });
      if (missed) return runWorstSlices(query, spec, { ...internal, exactLevels: true });
      best = bestSingleGaps(singleCounts, candidates.length, metric.direction, minSupport);
    } else {
      const singles = await queryRows(
        query,
        compileWorstSlices({ ...sqlSpec, maxOrder: 1, limit: SINGLE_SLICES_LIMIT }, columns),
      );
      best = candidates.map((_, i) => {
        const row = singles.find((r) => r.n !== null && num(r[`g${i}`]) === 0);
        return { i, gap: row ? (num(row.gap) ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY };
      });
    }
    const kept = [...best].sort((x, y) => y.gap - x.gap || x.i - y.i).slice(0, o.pairColumns);
    pairAmong = kept.map((k) => k.i).sort((x, y) => x - y);
    const describe = (k: { i: number; gap: number }) =>
      `"${candidates[k.i]?.column}" (${Number.isFinite(k.gap) ? `best gap ${k.gap}` : "no ranked slice"})`;
    trace.push(
      `Pruned pair search (pairColumns ${o.pairColumns}): one single-column pass ranked the ${candidates.length} candidates by their worst slice's gap (slices meeting minSupport ${minSupport}; ties by column order); pairs are formed among the ${kept.length} worst: ${kept.map(describe).join(", ")}. Left out of pairs: ${best
        .filter((b) => !pairAmong?.includes(b.i))
        .map((b) => `"${candidates[b.i]?.column}"`)
        .join(", ")}.`,
    );
  } else if (o.maxOrder === 2 && o.pairColumns !== undefined) {
    trace.push(
      `Pruned pair search (pairColumns ${o.pairColumns}): ${candidates.length} candidate(s), no more than pairColumns, so every pair is searched.`,
    );
  }
  const sql = compileWorstSlices(
    { ...sqlSpec, pairAmong, ...(singleCounts !== undefined ? { singles: singleCounts } : {}) },
    columns,
  );
  if (metric.kind === "rate" && internal.plan !== "direct") {
    const m = blockLayout(blocked).parts.length;
    const packing = `(≤ ${MAX_PART_CODES} codes each; categorical columns with more than ${MAX_PACKED_LEVELS} codes group by value)`;
    trace.push(
      singleCounts !== undefined
        ? `Counted in blocks: candidates coded as small integers and packed into ${m} parts ${packing}; the single-column pass summed each single slice from a pairing of the parts; the final pass coded only the ${pairAmong?.length ?? 0} pair columns, counted their pairs in part-pair blocks and ranked them with the single slices already counted (exact integer counts).`
        : `Counted in blocks: candidates coded as small integers and packed into ${m} parts ${packing}, one GROUPING SETS pass over the part pairs the slices need, then each slice summed from a block holding its columns (exact integer counts).`,
    );
  }
  const rows = await queryRows(query, sql);
  const first = rows[0];
  const overall = { value: num(first?.overall_value), n: num(first?.overall_n) ?? n };
  const total = num(first?.slices_total) ?? 0;
  const small = num(first?.below_support) ?? 0;
  const undefinedValue = num(first?.undefined_value) ?? 0;
  const paired = pairAmong?.length ?? candidates.length;
  const combos = candidates.length + (o.maxOrder === 2 ? (paired * (paired - 1)) / 2 : 0);
  trace.push(
    `One GROUPING SETS query: ${combos} column combinations (order ≤ ${o.maxOrder}) over ${candidates.length} candidates gave ${total} non-empty slices; ${small} under minSupport ${minSupport} and ${undefinedValue} with an undefined ${o.metric} (zero denominator) were not ranked.`,
  );
  trace.push(intervalsTrace(metric, "sample sd"));
  if (overall.value === null) {
    log.warn("undefined-overall", `The overall ${o.metric} is undefined (zero denominator); no slice can be ranked.`);
  }
  const slices = rows
    .filter((r) => r.n !== null)
    .map((r) => decodeSlice(r, candidates, levels, metric.kind, overall.value ?? 0));
  if (candidates.length === 0)
    log.warn("no-candidates", "No column could be sliced; only the overall value is reported.");
  const counts = { slices: total, belowSupport: small, undefinedValue, minSupport };
  const result: WorstSlicesResult = { metric: o.metric, overall, slices, counts, trace, warnings: log.items };
  if (o.pairColumns !== undefined) {
    result.pairColumns =
      o.maxOrder === 2 ? (pairAmong ?? candidates.map((_, i) => i)).map((i) => candidates[i]?.column ?? "") : [];
  }
  return result;
}

/**
 * Checks that some rows are used (`n` of `nAll`), warns about the rows left out, and returns
 * minSupport as a row count; traces the parameters.
 */
export function rowsUsed(
  spec: WorstSlicesSpec,
  o: SliceOptions,
  n: number,
  nAll: number,
  log: WarningLog,
  trace: string[],
): number {
  if (n === 0) {
    throw new AuditInputError(
      "all-null",
      `No row of "${spec.source}" has the label, score and prediction all present.`,
    );
  }
  if (nAll > n) {
    log.warn(
      "dropped-rows",
      `${nAll - n} of ${nAll} rows lack the label, score or prediction (or have a NaN score) and were left out.`,
    );
  }
  const minSupport = o.minSupport < 1 ? Math.ceil(o.minSupport * n) : o.minSupport;
  trace.push(
    `Parameters: metric ${o.metric}, numericBins ${o.numericBins}, minSupport ${minSupport}${o.minSupport < 1 ? ` (${o.minSupport} of ${n} rows)` : ""}, maxOrder ${o.maxOrder}, limit ${o.limit}.`,
  );
  return minSupport;
}

/** The trace line on intervals, gap and ranking; `sd` says where the means' sample sd comes from. */
export function intervalsTrace(metric: SliceMetricSql, sd: string): string {
  const gap =
    metric.direction === "lower"
      ? "overall − value"
      : metric.direction === "higher"
        ? "value − overall"
        : "|value − overall|";
  return `Intervals: ${metric.kind === "rate" ? "95% Wilson on the rate's numerator and denominator" : `95% normal, mean ± 1.96·sd/√n (${sd})`}; gap = ${gap} (positive is worse); ranked by gap, then n.`;
}

/**
 * Per candidate, the largest gap among its single slices that would be ranked (n ≥ minSupport,
 * defined value), −∞ when none is (or the overall value is undefined): the same IEEE operations
 * as the ranking SQL (value = num / den, gap per `gapSql`).
 */
export function bestSingleGaps(
  groups: readonly SingleGroup[],
  count: number,
  direction: WorseDirection,
  minSupport: number,
): { i: number; gap: number }[] {
  const all = groups.find((g) => g.candidate === null);
  const overall = all && all.den > 0 ? all.num / all.den : null;
  const best = Array.from({ length: count }, (_, i) => ({ i, gap: Number.NEGATIVE_INFINITY }));
  if (overall === null) return best;
  for (const g of groups) {
    if (g.candidate === null || g.n < minSupport || !(g.den > 0)) continue;
    const gap = gapOf(direction, g.num / g.den, overall);
    const entry = best[g.candidate];
    if (entry && gap > entry.gap) entry.gap = gap;
  }
  return best;
}

/** Per candidate index, the value text of each categorical key hash. */
export type Levels = Map<number, Map<string, string>>;

async function pickCandidates(
  query: QueryFn,
  roles: SliceRoles,
  typed: readonly ColumnInfo[],
  numeric: readonly boolean[],
  profile: Row,
  o: SliceOptions,
  log: WarningLog,
  trace: string[],
  sampleLevels: boolean,
): Promise<{ candidates: SliceCandidate[]; levels: Levels; unverified: Set<number> }> {
  const limit = (i: number) => (numeric[i] ? o.numericBins : MAX_SLICE_LEVELS);
  // The screen's count is a lower bound: above the limit the column has too many values for
  // slicing by value; otherwise its values are listed exactly, or (`sampleLevels`, for columns
  // with at least two values in the screen) listed from the screen's rows and checked later.
  const probe = typed.flatMap((col, index) =>
    (num(profile[`s${index}`]) ?? 0) <= limit(index) ? [{ index, column: col.name }] : [],
  );
  const exact = new Map(probe.map((p) => [p.index, new Map<string, string>()]));
  const read = async (full: typeof probe, sampled: typeof probe) => {
    const parts = [
      ...(full.length > 0 ? [compileSliceLevels(roles, full)] : []),
      ...(sampled.length > 0 ? [compileSliceLevels(roles, sampled, DISTINCT_SAMPLE_ROWS)] : []),
    ];
    if (parts.length === 0) return;
    for (const r of await queryRows(query, parts.join("\nUNION ALL\n"))) {
      exact.get(num(r.i) ?? -1)?.set(String(r.h), String(r.v));
    }
  };
  const sampled = sampleLevels ? probe.filter((p) => (num(profile[`s${p.index}`]) ?? 0) >= 2) : [];
  await read(
    probe.filter((p) => !sampled.includes(p)),
    sampled,
  );
  // A sampled list of at most one value would make the column look constant: list it exactly.
  const thin = sampled.filter((p) => (exact.get(p.index)?.size ?? 0) <= 1);
  for (const p of thin) exact.get(p.index)?.clear();
  await read(thin, []);
  const fromSample = new Set(sampled.filter((p) => !thin.includes(p)).map((p) => p.index));
  const picked: (
    | { column: string; mode: "categorical"; index: number }
    | { column: string; mode: "numeric"; index: number }
  )[] = [];
  const levels: Levels = new Map();
  const unverified = new Set<number>();
  const constant: string[] = [];
  typed.forEach((col, i) => {
    const values = exact.get(i);
    const nulls = num(profile[`z${i}`]) ?? 0;
    if (values && values.size + (nulls > 0 ? 1 : 0) <= 1) {
      constant.push(col.name);
      return;
    }
    if (numeric[i] && (!values || values.size > o.numericBins)) {
      picked.push({ column: col.name, mode: "numeric", index: i });
      return;
    }
    if (!values || values.size > MAX_SLICE_LEVELS) {
      log.warn(
        "high-cardinality",
        // Same words whether the screen or the exact list decided, so the result does not depend
        // on which rows the screen read.
        `Column "${col.name}" has more than ${MAX_SLICE_LEVELS} distinct values; it was not sliced. Group its values in a SQL cell to include it.`,
        col.name,
      );
      return;
    }
    levels.set(picked.length, values);
    if (fromSample.has(i)) unverified.add(picked.length);
    picked.push({ column: col.name, mode: "categorical", index: i });
  });
  // Quantile edges of the binned numeric columns: exact, from histograms (exact-quantiles.ts).
  const probs = Array.from({ length: o.numericBins - 1 }, (_, k) => (k + 1) / o.numericBins);
  const binned = picked.filter((p) => p.mode === "numeric");
  const edges = new Map<number, (number | null)[]>();
  if (binned.length > 0) {
    const result = await exactQuantiles(query, {
      source: roles.source,
      where: keepPredicate(roles),
      columns: binned.map((p) => ({
        column: p.column,
        count: num(profile[`fc${p.index}`]) ?? 0,
        min: num(profile[`flo${p.index}`]) ?? 0,
        max: num(profile[`fhi${p.index}`]) ?? 0,
        probs,
        allFinite: (num(profile[`fc${p.index}`]) ?? 0) === (num(profile.n) ?? 0) - (num(profile[`z${p.index}`]) ?? 0),
      })),
    });
    binned.forEach((p, k) => {
      edges.set(p.index, result.quantiles[k] ?? []);
    });
    trace.push(
      `Quantile edges: exact order statistics from ${result.statements} histogram/refinement statement(s) (256-bin histograms, then the values of the bins holding the ranks, sorted in SQL; quantile_cont interpolation)${result.fallback.length > 0 ? `; quantile_cont for ${result.fallback.map((c) => `"${c}"`).join(", ")}` : ""}.`,
    );
  }
  const candidates: SliceCandidate[] = picked.map((p) => {
    if (p.mode === "categorical") return { column: p.column, mode: "categorical" };
    const bins = {
      edges: distinctEdges(edges.get(p.index) ?? []),
      min: num(profile[`lo${p.index}`]) ?? 0,
      max: num(profile[`hi${p.index}`]) ?? 0,
    };
    trace.push(`"${p.column}": ${bins.edges.length + 1} quantile bins, inner edges [${bins.edges.join(", ")}].`);
    return { column: p.column, mode: "numeric", bins, labels: binLabels(bins) };
  });
  if (constant.length > 0) trace.push(`Skipped (a single value): ${constant.map((c) => `"${c}"`).join(", ")}.`);
  return { candidates, levels, unverified };
}

export function decodeSlice(
  row: Row,
  candidates: readonly SliceCandidate[],
  levels: Levels,
  kind: "rate" | "mean",
  overall: number,
): Slice {
  const conditions: SliceCondition[] = [];
  candidates.forEach((cand, i) => {
    if (num(row[`g${i}`]) !== 0) return;
    const key = row[`k${i}`];
    if (cand.mode === "categorical") {
      const value = key === null ? null : levels.get(i)?.get(String(key));
      if (value === undefined) throw new Error(`worst slices: no value for key ${String(key)} of "${cand.column}"`);
      conditions.push({ column: cand.column, value });
      return;
    }
    const bin = num(key);
    if (bin === null) conditions.push({ column: cand.column, value: null });
    else if (bin === NAN_BIN) conditions.push({ column: cand.column, value: "NaN", bin });
    else conditions.push({ column: cand.column, value: cand.labels[bin] ?? null, bin, ...binInterval(cand.bins, bin) });
  });
  const n = num(row.n) ?? 0;
  const value = num(row.value) ?? 0;
  let ci: Slice["ci"] = null;
  if (kind === "rate") ci = wilsonInterval(num(row.num) ?? 0, num(row.den) ?? 0);
  else {
    const variance = num(row.var);
    if (variance !== null && n > 1) {
      const half = Z_95 * Math.sqrt(variance / n);
      ci = { lower: value - half, upper: value + half };
    }
  }
  return {
    conditions,
    description: describeSlice(conditions, candidates),
    n,
    value,
    ci,
    gap: num(row.gap) ?? 0,
    significant: ci !== null && (overall < ci.lower || overall > ci.upper),
  };
}

/** "region = 'EU' ∧ age ∈ [30, 45)". */
export function describeSlice(conditions: readonly SliceCondition[], candidates: readonly SliceCandidate[]): string {
  return conditions
    .map((c) => {
      const numeric = candidates.find((x) => x.column === c.column)?.mode === "numeric";
      if (c.value === null) return `${c.column} is null`;
      if (numeric && c.value === "NaN") return `${c.column} is NaN`;
      if (numeric) return `${c.column} ∈ ${c.value}`;
      return `${c.column} = '${c.value.replaceAll("'", "''")}'`;
    })
    .join(" ∧ ");
}
