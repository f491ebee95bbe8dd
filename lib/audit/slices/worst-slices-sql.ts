/**
 * Pure SQL compilers for the worst-slices search. Two statements:
 * 1. `compileSliceCandidates`: one scan counting rows kept/dropped and, per candidate
 *    column, nulls, (numeric) the range, and a distinct-value screen over the first rows;
 *    `compileSliceLevels` then lists the values of the columns the screen could not rule out
 *    (exact counts), and `exact-quantiles.ts` the quantile edges of the binned numeric columns.
 * 2. `compileWorstSlices`: bins every numeric candidate once in a CTE, then one
 *    GROUPING SETS aggregation computes n and the metric for the whole table (the empty
 *    set) and every 1- and 2-column combination of candidates; the slices are ranked by
 *    gap in SQL and only the top `limit` rows, the overall value and the counts return.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { binaryExpression } from "../performance";
import { num, queryRows, type Row } from "../rows";
import { binIndexSql, type NumericBins } from "./numeric-bins";
import { type BlockCandidate, blockLayout, compileBlockedGrouped } from "./slice-blocks";
import { gapSql, type SliceMetricSql } from "./slice-metric";

export interface SliceRoles {
  source: string;
  label: string;
  score?: string;
  prediction?: string;
  threshold: number;
  /**
   * Set once a scan has counted that every row of the source has the roles `keepPredicate` tests
   * (label, score not NaN, prediction): later scans then skip the test.
   */
  everyRowKept?: boolean;
}

/** A column the search slices by: numeric columns by quantile bin, others by value (as text). */
export type SliceCandidate =
  | { column: string; mode: "categorical" }
  | { column: string; mode: "numeric"; bins: NumericBins; labels: string[] };

/** Rows used: label present and, when read, score present and not NaN and prediction present. */
export function keepPredicate(roles: SliceRoles): string {
  if (roles.everyRowKept === true) return "true";
  const parts = [`${quoteIdentifier(roles.label)} IS NOT NULL`];
  if (roles.score !== undefined) {
    const s = `CAST(${quoteIdentifier(roles.score)} AS DOUBLE)`;
    parts.push(`${s} IS NOT NULL AND NOT isnan(${s})`);
  }
  if (roles.prediction !== undefined) parts.push(`${quoteIdentifier(roles.prediction)} IS NOT NULL`);
  return parts.join(" AND ");
}

/** Rows read by the distinct-value screen of `compileSliceCandidates`. */
export const DISTINCT_SAMPLE_ROWS = 10_000;

/**
 * Statement 1: row counts and, per candidate `i`, `z{i}` nulls and `s{i}` the distinct values
 * among the first DISTINCT_SAMPLE_ROWS rows used (a lower bound of the column's distinct count:
 * above a column's limit it settles "too many values" exactly, whichever rows were read);
 * numeric: `lo{i}`, `hi{i}`, `c{i}`, the plain min, max and count of `CAST(x AS DOUBLE)`. DuckDB
 * orders NaN above +Inf, so when lo and hi are both finite the column has no NaN or ±Inf and these
 * are also the non-NaN and finite ranges; otherwise `numericRanges` reads them exactly with
 * `compileNumericRanges` (three plain aggregates per column instead of two CASE projections and
 * six aggregates, which cost ~40 ms per column at 1M rows in DuckDB-WASM). No FILTER clauses
 * (evaluated per aggregate), `approx_count_distinct` or `quantile_cont` (~30 and ~80 ms per column).
 */
export function compileSliceCandidates(
  roles: SliceRoles,
  candidates: readonly ColumnInfo[],
  numeric: readonly boolean[],
): string {
  const projections: string[] = [];
  const sample: string[] = [];
  const distinct: string[] = [];
  const items = [`(SELECT count(*) FROM ${quoteIdentifier(roles.source)}) AS n_all`, "count(*) AS n"];
  candidates.forEach((col, i) => {
    const c = quoteIdentifier(col.name);
    const v = quoteIdentifier(`v${i}`);
    projections.push(numeric[i] ? `CAST(${c} AS DOUBLE) AS ${v}` : `${c} AS ${v}`);
    sample.push(`${c} AS ${v}`);
    distinct.push(`count(DISTINCT ${v}) AS s${i}`);
    items.push(`count(*) - count(${v}) AS z${i}`);
    if (numeric[i]) items.push(`min(${v}) AS lo${i}`, `max(${v}) AS hi${i}`, `count(${v}) AS c${i}`);
  });
  const from = quoteIdentifier(roles.source);
  const select = projections.length > 0 ? projections.join(", ") : "1 AS one";
  const full = `SELECT\n  ${items.join(",\n  ")}\nFROM (SELECT ${select} FROM ${from} WHERE ${keepPredicate(roles)})`;
  if (candidates.length === 0) return full;
  return `SELECT * FROM (${full})
CROSS JOIN (SELECT ${distinct.join(", ")}
  FROM (SELECT ${sample.join(", ")} FROM ${from} WHERE ${keepPredicate(roles)} LIMIT ${integerLiteral(DISTINCT_SAMPLE_ROWS)}))`;
}

/**
 * Statement 1a, only for numeric candidates whose plain range in statement 1 was not finite (NaN
 * or ±Inf present): `lo{i}`, `hi{i}`, `c{i}` (min, max and count of the non-NaN values) and
 * `flo{i}`, `fhi{i}`, `fc{i}` (of the finite values, for `exact-quantiles.ts`).
 */
export function compileNumericRanges(roles: SliceRoles, columns: readonly { index: number; column: string }[]): string {
  const projections: string[] = [];
  const items: string[] = [];
  for (const { index: i, column } of columns) {
    const d = `CAST(${quoteIdentifier(column)} AS DOUBLE)`;
    const f = quoteIdentifier(`f${i}`);
    const o = quoteIdentifier(`o${i}`);
    projections.push(
      `CASE WHEN isfinite(${d}) THEN ${d} END AS ${f}`,
      `CASE WHEN NOT isnan(${d}) THEN ${d} END AS ${o}`,
    );
    items.push(
      `min(${o}) AS lo${i}`,
      `max(${o}) AS hi${i}`,
      `count(${o}) AS c${i}`,
      `min(${f}) AS flo${i}`,
      `max(${f}) AS fhi${i}`,
      `count(${f}) AS fc${i}`,
    );
  }
  return `SELECT ${items.join(", ")}
FROM (SELECT ${projections.join(", ")} FROM ${quoteIdentifier(roles.source)} WHERE ${keepPredicate(roles)})`;
}

/**
 * Completes statement 1's numeric fields in place: columns with a finite plain range get the
 * finite range and count copied (no NaN or ±Inf exist); the others are read by `compileNumericRanges`.
 */
export async function numericRanges(
  query: QueryFn,
  roles: SliceRoles,
  candidates: readonly ColumnInfo[],
  numeric: readonly boolean[],
  profile: Row,
): Promise<void> {
  const exact: { index: number; column: string }[] = [];
  candidates.forEach((col, i) => {
    if (!numeric[i]) return;
    const lo = num(profile[`lo${i}`]);
    const hi = num(profile[`hi${i}`]);
    if (lo === null || (Number.isFinite(lo) && hi !== null && Number.isFinite(hi))) {
      profile[`flo${i}`] = lo;
      profile[`fhi${i}`] = hi;
      profile[`fc${i}`] = profile[`c${i}`];
    } else exact.push({ index: i, column: col.name });
  });
  if (exact.length === 0) return;
  const [row] = await queryRows(query, compileNumericRanges(roles, exact));
  for (const { index: i } of exact) {
    for (const field of ["lo", "hi", "c", "flo", "fhi", "fc"]) profile[`${field}${i}`] = row?.[`${field}${i}`] ?? null;
  }
}

/**
 * Group key of a categorical candidate: the 64-bit hash of the value (NULL stays NULL).
 * GROUPING SETS over hundreds of sets probes every set's hash table with every row; integer
 * keys make that about twice as fast as text keys. `compileSliceLevels` maps hashes back.
 */
export function categoricalKeySql(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN NULL ELSE hash(${column}) END`;
}

/**
 * Statement 1b: (i, h, v) = candidate index, key hash as text, value as text, per distinct value,
 * of every row used, or (`sampleRows`) of the first `sampleRows` rows used only.
 */
export function compileSliceLevels(
  roles: SliceRoles,
  columns: readonly { index: number; column: string }[],
  sampleRows?: number,
): string {
  const source = quoteIdentifier(roles.source);
  return columns
    .map(({ index, column }) => {
      const c = quoteIdentifier(column);
      const rows =
        sampleRows === undefined
          ? `SELECT DISTINCT ${c} AS x FROM ${source} WHERE ${keepPredicate(roles)} AND ${c} IS NOT NULL`
          : `SELECT DISTINCT x FROM (SELECT ${c} AS x FROM ${source} WHERE ${keepPredicate(roles)} LIMIT ${integerLiteral(sampleRows)}) WHERE x IS NOT NULL`;
      // DISTINCT on the raw value first: hashing and casting then touch each value once.
      return `SELECT ${integerLiteral(index)} AS i, CAST(hash(x) AS VARCHAR) AS h, CAST(x AS VARCHAR) AS v
  FROM (${rows})`;
    })
    .join("\nUNION ALL\n");
}

export interface WorstSlicesSqlSpec extends SliceRoles {
  candidates: readonly SliceCandidate[];
  metric: SliceMetricSql;
  maxOrder: 1 | 2;
  minSupport: number;
  limit: number;
  /**
   * Per candidate, the codes the blocked plan needs (`slice-blocks.ts`); when given and the
   * metric is a rate, the slices are counted by the blocked plan instead of one GROUPING SETS
   * query over every combination (same counts).
   */
  blocked?: readonly BlockCandidate[];
  /** Candidate indices whose pairs are formed (maxOrder 2); default every candidate. */
  pairAmong?: readonly number[];
  /**
   * With `blocked` (rate metrics): the overall and single-column counts, already counted by
   * `compileSingleSlices`. The statement then scans for the pairs among `pairAmong` only and
   * ranks them together with these (same counts as counting everything again).
   */
  singles?: readonly SingleGroup[];
}

/** Counts of one single-column slice (`candidate` and its key as text) or of all rows (`candidate` null). */
export interface SingleGroup {
  candidate: number | null;
  /** Numeric: bin index; categorical: the UBIGINT value hash; as text; null for the NULL slice. */
  key: string | null;
  n: number;
  num: number;
  den: number;
}

/** Per-row SQL of the label (y), the positive prediction (yhat) and the score as DOUBLE (s). */
export function rateSources(roles: SliceRoles, columns: readonly ColumnInfo[]): { y: string; yhat: string; s: string } {
  const s = roles.score !== undefined ? `CAST(${quoteIdentifier(roles.score)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
  const yhat =
    roles.prediction !== undefined
      ? binaryExpression(roles.prediction, columns)
      : `CAST(${s} >= ${numberLiteral(roles.threshold)} AS INTEGER)`;
  return { y: binaryExpression(roles.label, columns), yhat, s };
}

/** `WITH base AS (...), <blocked CTEs>,` counting `sets` of `roles.source` with the blocked plan (rate metrics). */
function blockedHead(
  roles: SliceRoles,
  metric: SliceMetricSql,
  columns: readonly ColumnInfo[],
  blocked: readonly BlockCandidate[],
  sets: readonly number[][],
  among?: readonly number[],
  name = "grouped",
): string {
  const { y, yhat } = rateSources(roles, columns);
  const layout = blockLayout(blocked, among);
  const plan = compileBlockedGrouped(blocked, layout, sets, metric.num, metric.den, name);
  return `WITH base AS (
  SELECT ${y} AS y, ${yhat} AS yhat${plan.parts.map((x) => `,\n    ${x}`).join("")}
  FROM ${quoteIdentifier(roles.source)}
  WHERE ${keepPredicate(roles)}
),
${plan.ctes},`;
}

/**
 * The blocked plan's counts of `sets` over `roles.source` (a rate metric), as rows g{i}, k{i}
 * (numeric bin index, or a categorical value's hash as text), n, num, den.
 */
export function compileBlockedCounts(
  roles: SliceRoles,
  metric: SliceMetricSql,
  columns: readonly ColumnInfo[],
  blocked: readonly BlockCandidate[],
  sets: readonly number[][],
): string {
  const keys = blocked.map((cand, i) => {
    const k = quoteIdentifier(`k${i}`);
    return cand.mode === "categorical" ? `CAST(${k} AS VARCHAR) AS ${k}` : k;
  });
  const flags = blocked.map((_, i) => quoteIdentifier(`g${i}`));
  return `${blockedHead(roles, metric, columns, blocked, sets).replace(/,$/, "")}
SELECT ${[...flags, ...keys].map((x) => `${x}, `).join("")}n, num, den FROM grouped`;
}

/**
 * Statement 2a of the pruned pair search (rate metrics, blocked plan): the counts of every
 * single-column slice and of all rows, as rows g{i}, k{i} (categorical hash keys as text), n,
 * num, den, read by `singleGroups`. One scan; the candidates' codes are packed into parts and
 * summed from a disjoint pairing of the parts.
 */
export function compileSingleSlices(spec: WorstSlicesSqlSpec, columns: readonly ColumnInfo[]): string {
  const blocked = spec.blocked;
  if (blocked === undefined || spec.metric.kind !== "rate") {
    throw new Error("compileSingleSlices needs the blocked plan and a rate metric.");
  }
  return compileBlockedCounts(spec, spec.metric, columns, blocked, groupingSets(spec.candidates.length, 1));
}

/** Decodes `compileSingleSlices` rows, merging rows of one slice (a group may come back split). */
export function singleGroups(rows: readonly Row[], count: number): SingleGroup[] {
  const merged = new Map<string, SingleGroup>();
  for (const r of rows) {
    let candidate: number | null = null;
    for (let i = 0; i < count; i++) if (num(r[`g${i}`]) === 0) candidate = i;
    const raw = candidate === null ? null : r[`k${candidate}`];
    const key = raw === null || raw === undefined ? null : String(raw);
    const id = JSON.stringify([candidate, key]);
    const had = merged.get(id);
    const part = { n: num(r.n) ?? 0, num: num(r.num) ?? 0, den: num(r.den) ?? 0 };
    if (had) {
      had.n += part.n;
      had.num += part.num;
      had.den += part.den;
    } else merged.set(id, { candidate, key, ...part });
  }
  return [...merged.values()];
}

/** SQL rows of `grouped` (g{i}, k{i}, n, num, den, var) holding the given counts. */
function singlesSql(spec: WorstSlicesSqlSpec, singles: readonly SingleGroup[]): string {
  const literal = (x: number) => (Number.isInteger(x) ? `CAST(${integerLiteral(x)} AS DOUBLE)` : numberLiteral(x));
  const values = singles.map(
    (s) =>
      `(${s.candidate === null ? "CAST(NULL AS INTEGER)" : integerLiteral(s.candidate)}, ${
        s.key === null ? "CAST(NULL AS VARCHAR)" : quoteString(s.key)
      }, CAST(${integerLiteral(s.n)} AS BIGINT), ${literal(s.num)}, ${literal(s.den)})`,
  );
  const cols: string[] = [];
  spec.candidates.forEach((_, i) => {
    cols.push(`CASE WHEN c = ${integerLiteral(i)} THEN 0 ELSE 1 END AS ${quoteIdentifier(`g${i}`)}`);
  });
  spec.candidates.forEach((cand, i) => {
    const type = cand.mode === "numeric" ? "INTEGER" : "UBIGINT";
    cols.push(`CASE WHEN c = ${integerLiteral(i)} THEN CAST(k AS ${type}) END AS ${quoteIdentifier(`k${i}`)}`);
  });
  return `SELECT ${cols.map((x) => `${x}, `).join("")}n, num, den, CAST(NULL AS DOUBLE) AS var
  FROM (VALUES ${values.join(", ")}) AS t(c, k, n, num, den)`;
}

/**
 * The grouping sets: (), each candidate, and (when maxOrder = 2) each pair, or only the pairs
 * of the candidates listed in `pairAmong` (candidate indices) when given.
 */
export function groupingSets(count: number, maxOrder: 1 | 2, pairAmong?: readonly number[]): number[][] {
  const sets: number[][] = [[]];
  for (let i = 0; i < count; i++) sets.push([i]);
  if (maxOrder !== 2) return sets;
  const inPairs = (i: number) => pairAmong === undefined || pairAmong.includes(i);
  for (let i = 0; i < count; i++) {
    if (!inPairs(i)) continue;
    for (let j = i + 1; j < count; j++) if (inPairs(j)) sets.push([i, j]);
  }
  return sets;
}

/**
 * Statement 2. Returns one row per top slice (or one row with null slice fields when none
 * qualifies), each carrying overall_value, overall_n, slices_total, below_support, undefined_value.
 * Slice columns: g{i} (0 when candidate i is a condition), k{i} (bin index or value text),
 * n, num, den, var, value, gap.
 */
export function compileWorstSlices(spec: WorstSlicesSqlSpec, columns: readonly ColumnInfo[]): string {
  const { y, yhat, s: score } = rateSources(spec, columns);
  const k = (i: number) => quoteIdentifier(`k${i}`);
  const g = (i: number) => quoteIdentifier(`g${i}`);
  const keys = spec.candidates.map((cand, i) => {
    const c = quoteIdentifier(cand.column);
    return cand.mode === "numeric"
      ? `${binIndexSql(`CAST(${c} AS DOUBLE)`, cand.bins.edges)} AS ${k(i)}`
      : `${categoricalKeySql(c)} AS ${k(i)}`;
  });
  const count = spec.candidates.length;
  const flags = spec.candidates.map((_, i) => `GROUPING(${k(i)}) AS ${g(i)}`);
  const keyList = spec.candidates.map((_, i) => k(i));
  const m = spec.metric;
  const support = integerLiteral(spec.minSupport);
  const isTotal = count === 0 ? "true" : `(${spec.candidates.map((_, i) => g(i)).join(" + ")}) = ${count}`;
  const categorical = spec.candidates.flatMap((cand, i) => (cand.mode === "categorical" ? [k(i)] : []));
  // Hash keys are UBIGINT: return them as text so they match `compileSliceLevels` exactly.
  const textKeys =
    categorical.length > 0
      ? ` REPLACE (${categorical.map((key) => `CAST(${key} AS VARCHAR) AS ${key}`).join(", ")})`
      : "";
  const sets = groupingSets(count, spec.maxOrder, spec.pairAmong);
  const blocked = spec.blocked !== undefined && m.kind === "rate" ? spec.blocked : undefined;
  let head: string;
  if (blocked && spec.singles !== undefined) {
    // The overall and single-column counts are given: scan only for the pairs.
    const pairs = sets.filter((set) => set.length === 2);
    const given = singlesSql(spec, spec.singles);
    head =
      pairs.length === 0
        ? `WITH grouped AS (\n${given}\n),`
        : `${blockedHead(spec, spec.metric, columns, blocked, pairs, spec.pairAmong, "paired")}
grouped AS (
SELECT * FROM paired
UNION ALL
${given}
),`;
  } else if (blocked) {
    head = blockedHead(spec, spec.metric, columns, blocked, sets);
  } else {
    head = `WITH base AS (
  SELECT ${y} AS y, ${yhat} AS yhat, ${score} AS s${keys.map((x) => `,\n    ${x}`).join("")}
  FROM ${quoteIdentifier(spec.source)}
  WHERE ${keepPredicate(spec)}
),
grouped AS MATERIALIZED (
  SELECT ${[...flags, ...keyList].map((x) => `${x}, `).join("")}count(*) AS n,
    CAST(${m.num} AS DOUBLE) AS num, CAST(${m.den} AS DOUBLE) AS den, ${m.variance ?? "CAST(NULL AS DOUBLE)"} AS var
  FROM base
  GROUP BY GROUPING SETS (${sets.map((set) => `(${set.map(k).join(", ")})`).join(", ")})
),`;
  }
  const order = ["gap DESC", "n DESC", ...spec.candidates.flatMap((_, i) => [g(i), k(i)])].join(", ");
  return `${head}
valued AS MATERIALIZED (
  SELECT *, CASE WHEN den > 0 THEN num / den END AS value, ${isTotal} AS is_total FROM grouped
),
overall AS MATERIALIZED (
  SELECT value AS overall_value, n AS overall_n, num AS overall_num, den AS overall_den FROM valued WHERE is_total
),
slices AS MATERIALIZED (
  SELECT v.*, ${gapSql(m.direction, "v.value", "overall.overall_value")} AS gap
  FROM valued v, overall WHERE NOT v.is_total
),
counts AS (
  SELECT count(*) AS slices_total, count(*) FILTER (WHERE n < ${support}) AS below_support,
    count(*) FILTER (WHERE n >= ${support} AND value IS NULL) AS undefined_value
  FROM slices
),
top AS (
  SELECT *${textKeys} FROM slices WHERE n >= ${support} AND value IS NOT NULL
  ORDER BY ${order} LIMIT ${integerLiteral(spec.limit)}
)
SELECT * FROM overall CROSS JOIN counts LEFT JOIN top ON true
ORDER BY ${order}`;
}
