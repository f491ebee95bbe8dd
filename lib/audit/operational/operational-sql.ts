/**
 * Pure SQL compiler for operational metrics. One statement returns a `stats` row
 * (latency p50/p95/p99 with `quantile_cont` — linear interpolation, numpy's default
 * `np.percentile` — mean, min, max, counts; error count over rows with a known outcome)
 * and `hist` rows: a fixed-bin latency histogram with numpy `np.histogram` semantics
 * (k equal-width bins over [min, max], [a, b) except the last, closed; when min = max the
 * range is [min − 0.5, max + 0.5]), including numpy's edge corrections so a value lying
 * on an edge lands in the same bin.
 */
import { integerLiteral, numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";

/** Latency percentiles reported. */
export const LATENCY_QUANTILES = [0.5, 0.95, 0.99] as const;

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

export function compileOperational(spec: OperationalSqlSpec): string {
  const x = spec.latency !== undefined ? `CAST(${quoteIdentifier(spec.latency)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
  const err = spec.errorSql ?? "CAST(NULL AS INTEGER)";
  const k = integerLiteral(spec.histogramBins);
  const qs = LATENCY_QUANTILES.map((q) => numberLiteral(q)).join(", ");
  const stats = `SELECT 'stats' AS kind,
    quantile_cont(x, [${qs}]) FILTER (WHERE isfinite(x)) AS q,
    avg(x) FILTER (WHERE isfinite(x)) AS mean,
    min(x) FILTER (WHERE isfinite(x)) AS lo,
    max(x) FILTER (WHERE isfinite(x)) AS hi,
    count(x) FILTER (WHERE isfinite(x)) AS n_latency,
    count(*) FILTER (WHERE x IS NOT NULL AND NOT isfinite(x)) AS non_finite,
    count(*) FILTER (WHERE isfinite(x) AND x < 0) AS negative,
    count(*) FILTER (WHERE x IS NULL) AS null_latency,
    count(e) AS n_error, CAST(coalesce(sum(e), 0) AS BIGINT) AS errors,
    count(*) FILTER (WHERE e IS NULL) AS null_error,
    count(*) AS total_rows
  FROM base`;
  // numpy: edges = linspace(first, last, k + 1); index = floor((x − first) · k / (last − first)),
  // then moved down when x < edges[i] and up when x ≥ edges[i + 1] (except in the last bin).
  // When the range is so narrow (subnormal) that k / (last − first) overflows, numpy's product
  // is 0 · ∞ = NaN; dividing first keeps the index finite there and changes nothing elsewhere.
  const edge = (i: string) => `(${i} * ((last - first) / ${k}) + first)`;
  const hist = `SELECT 'hist' AS kind, bin, count(*) AS count, any_value(first) AS first, any_value(last) AS last
  FROM (
    SELECT first, last,
      CASE WHEN x < ${edge("i")} THEN i - 1
           WHEN i <> ${k} - 1 AND x >= ${edge("(i + 1)")} THEN i + 1
           ELSE i END AS bin
    FROM (
      SELECT x, first, last, least(CAST(floor(CASE WHEN isfinite(${k} / (last - first))
        THEN (x - first) * (${k} / (last - first))
        ELSE (x - first) / (last - first) * ${k} END) AS BIGINT), ${k} - 1) AS i
      FROM base, range_ WHERE isfinite(x)
    )
  ) GROUP BY bin`;
  return `WITH base AS MATERIALIZED (
  SELECT ${x} AS x, ${err} AS e FROM ${quoteIdentifier(spec.source)}
),
range_ AS (
  SELECT CASE WHEN min(x) = max(x) THEN min(x) - 0.5 ELSE min(x) END AS first,
         CASE WHEN min(x) = max(x) THEN max(x) + 0.5 ELSE max(x) END AS last
  FROM base WHERE isfinite(x)
)
${stats}
UNION ALL BY NAME
${hist}`;
}
