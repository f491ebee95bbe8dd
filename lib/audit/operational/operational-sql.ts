/**
 * Pure SQL compilers for operational metrics, three single-scan statements:
 * 1. `compileOperational`: the `stats` row (latency mean, min, max, counts; error count over
 *    rows with a known outcome).
 * 2. `compileLatencyHistogram`: `hist` rows, a fixed-bin latency histogram with numpy
 *    `np.histogram` semantics (k equal-width bins over [min, max], [a, b) except the last,
 *    closed; when min = max the range is [min − 0.5, max + 0.5]), including numpy's edge
 *    corrections so a value lying on an edge lands in the same bin; each row also carries a
 *    fine bin (FINE_BINS equal-width bins, an index that never decreases as the latency grows).
 *    The range comes from step 1 as exact double literals.
 * 3. `compileLatencyOrderStatistics`: percentiles p50/p95/p99 as `quantile_cont` (linear
 *    interpolation, numpy's default `np.percentile`): RN = (n − 1)·q, d = RN − ⌊RN⌋,
 *    value = x₍⌊RN⌋₎·(1 − d) + x₍⌈RN⌉₎·d over the sorted finite latencies. The fine-bin counts
 *    say which bin holds each needed order statistic and its rank inside the bin; this
 *    statement sorts only those bins' values instead of selecting over every row.
 */
import { clampSql } from "../../sql/clamp";
import { avgSql } from "../stats/scaled-moments";
import { integerLiteral, numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";

/** Latency percentiles reported. */
export const LATENCY_QUANTILES = [0.5, 0.95, 0.99] as const;

/** Fine bins that locate the order statistics behind the percentiles. */
export const FINE_BINS = 2048;

/** Comparison that marks a row as failed, for a status column. */
export interface ErrorPredicate {
  op: "=" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";
  value: number | string | readonly (number | string)[];
}

export interface OperationalSqlSpec {
  source: string;
  latency?: string;
  /** SQL giving 1 for a failed row, 0 for a good one, NULL when unknown. */
  errorSql?: string;
  histogramBins: number;
}

function literal(v: number | string): string {
  return typeof v === "number" ? numberLiteral(v) : quoteString(v);
}

/** `CASE` expression: 1 when `column` satisfies the predicate, 0 when not, NULL when the column is null. */
export function errorPredicateSql(column: string, predicate: ErrorPredicate): string {
  const c = quoteIdentifier(column);
  const values = Array.isArray(predicate.value) ? predicate.value : [predicate.value as number | string];
  let test: string;
  if (predicate.op === "in" || predicate.op === "not in") {
    test = `${c} ${predicate.op === "in" ? "IN" : "NOT IN"} (${values.map(literal).join(", ")})`;
  } else {
    if (values.length !== 1) throw new Error(`operator ${predicate.op} takes one value`);
    test = `${c} ${predicate.op} ${literal(values[0] as number | string)}`;
  }
  return `CASE WHEN ${c} IS NULL THEN NULL WHEN ${test} THEN 1 ELSE 0 END`;
}

/** The histogram range: [min, max] of the finite latencies, or [v − 0.5, v + 0.5] when they are all v. */
export interface LatencyRange {
  first: number;
  last: number;
}

export function latencyRange(min: number, max: number): LatencyRange {
  return min === max ? { first: min - 0.5, last: max + 0.5 } : { first: min, last: max };
}

/**
 * Fine bin of a finite latency: ⌊(x − first) / (last − first) · FINE_BINS⌋, at most FINE_BINS − 1.
 * Every step (subtract, divide, multiply by positive numbers, floor) is monotone in IEEE
 * arithmetic, so a larger latency never gets a smaller index.
 */
function fineBinSql(range: LatencyRange): string {
  const first = numberLiteral(range.first);
  const width = `(${numberLiteral(range.last)} - ${first})`;
  // CASE, not least: ~110 ns a row in DuckDB-WASM (lib/sql/clamp.ts).
  return clampSql(
    `CAST(floor((x - ${first}) / ${width} * ${integerLiteral(FINE_BINS)}) AS BIGINT)`,
    null,
    integerLiteral(FINE_BINS - 1),
  );
}

function latencySql(latency: string | undefined): string {
  return latency !== undefined ? `CAST(${quoteIdentifier(latency)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
}

/**
 * The `stats` row. A NaN or ±Inf latency makes the audit stop (`non_finite` > 0), so min,
 * max, mean and the negative count are taken over every non-null latency: when they are
 * used, those are the finite ones.
 */
export function compileOperational(spec: OperationalSqlSpec): string {
  const x = latencySql(spec.latency);
  const err = spec.errorSql ?? "CAST(NULL AS INTEGER)";
  const count = (cond: string) => `count(CASE WHEN ${cond} THEN 1 END)`;
  return `SELECT 'stats' AS kind, avg(x) AS mean, min(x) AS lo, max(x) AS hi, count(x) AS n_latency,
  ${count("NOT isfinite(x)")} AS non_finite, ${count("x < 0")} AS negative, ${count("x IS NULL")} AS null_latency,
  count(e) AS n_error, CAST(coalesce(sum(e), 0) AS BIGINT) AS errors, ${count("e IS NULL")} AS null_error,
  count(*) AS total_rows
FROM (SELECT ${x} AS x, ${err} AS e FROM ${quoteIdentifier(spec.source)})`;
}

/** The mean latency alone (`mean`), scaled when `scaled` (stats/scaled-moments.ts: after avg overflowed). */
export function compileLatencyMean(spec: { source: string; latency: string }, scaled: boolean): string {
  return `SELECT ${avgSql(latencySql(spec.latency), scaled)} AS mean FROM ${quoteIdentifier(spec.source)}`;
}

/** `hist` rows (bin, fine, count) over the finite latencies, for `histogramBins` bins over `range`. */
export function compileLatencyHistogram(
  spec: { source: string; latency: string; histogramBins: number },
  range: LatencyRange,
): string {
  const k = integerLiteral(spec.histogramBins);
  const first = numberLiteral(range.first);
  const last = numberLiteral(range.last);
  // numpy: edges = linspace(first, last, k + 1); index = floor((x − first) · k / (last − first)),
  // then moved down when x < edges[i] and up when x ≥ edges[i + 1] (except in the last bin).
  // When the range is so narrow (subnormal) that k / (last − first) overflows, numpy's product
  // is 0 · ∞ = NaN; dividing first keeps the index finite there and changes nothing elsewhere.
  const edge = (i: string) => `(${i} * ((${last} - ${first}) / ${k}) + ${first})`;
  return `SELECT 'hist' AS kind, bin, fine, count(*) AS count
FROM (
  SELECT fine,
    CASE WHEN x < ${edge("i")} THEN i - 1
         WHEN i <> ${k} - 1 AND x >= ${edge("(i + 1)")} THEN i + 1
         ELSE i END AS bin
  FROM (
    SELECT x, ${fineBinSql(range)} AS fine, ${clampSql(
      `CAST(floor(CASE WHEN isfinite(${k} / (${last} - ${first}))
      THEN (x - ${first}) * (${k} / (${last} - ${first}))
      ELSE (x - ${first}) / (${last} - ${first}) * ${k} END) AS BIGINT)`,
      null,
      `${k} - 1`,
    )} AS i
    FROM (SELECT ${latencySql(spec.latency)} AS x FROM ${quoteIdentifier(spec.source)}) WHERE isfinite(x)
  )
) GROUP BY bin, fine`;
}

/** One order statistic: the value of 0-based rank `local` among the sorted latencies of fine bin `fine`. */
export interface FinePick {
  fine: number;
  local: number;
}

/**
 * Rows (pos, v): the values at 0-based positions `positions` of the sorted latencies that lie in the
 * fine bins `bins`. The bin map never decreases as the latency grows, so those values sorted are the
 * bins' own sorted values one after another, and a pick at `local` in bin j sits at position
 * local + (latencies in the chosen bins below j). One sort and no GROUP BY: a GROUP BY that collects
 * each bin's list could return a bin in two rows, each with part of its values, on native DuckDB
 * 1.4.3 with threads ≥ 2 (docs/performance.md), and read a wrong order statistic.
 */
export function compileLatencyOrderStatistics(
  spec: { source: string; latency: string },
  range: LatencyRange,
  bins: readonly number[],
  positions: readonly number[],
): string {
  if (bins.length === 0 || positions.length === 0) {
    throw new Error("compileLatencyOrderStatistics needs at least one bin and one position");
  }
  return `SELECT pos, x AS v FROM (
  SELECT x, row_number() OVER (ORDER BY x) - 1 AS pos
  FROM (SELECT x, ${fineBinSql(range)} AS fine
        FROM (SELECT ${latencySql(spec.latency)} AS x FROM ${quoteIdentifier(spec.source)}) WHERE isfinite(x))
  WHERE fine IN (${bins.map(integerLiteral).join(", ")})
) WHERE pos IN (${positions.map(integerLiteral).join(", ")})`;
}
