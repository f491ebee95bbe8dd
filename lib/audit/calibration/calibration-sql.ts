/**
 * Pure SQL compilers for the reliability table. One statement returns per-bin sums (count,
 * Σ score, positives, Σ (p − y)², min and max score) for the whole table and, when grouped,
 * for every group — one aggregate over the usable rows with GROUPING SETS, nothing
 * materialized (not even implicitly: see the CTEs) — plus the number of rows dropped for a null label or score.
 *
 * Bin rule for edge-based strategies (sklearn `calibration_curve`,
 * `np.searchsorted(edges[1:-1], p)` with side='left'): bin k holds (e_k, e_{k+1}], the
 * first bin also holds everything ≤ e_1 (so 0 is included).
 * `nannyml`: rows sorted by score (ties broken by label, negatives first), bin
 * = min(i // width, count − 1) with NannyML's layout computed per partition.
 */
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";

export type CalibrationStrategy = "uniform" | "quantile" | "nannyml";

export interface CalibrationSqlSpec {
  source: string;
  /** SQL for the 0/1 label (see `binaryExpression`). */
  labelSql: string;
  score: string;
  strategy: CalibrationStrategy;
  /** Requested bins. */
  bins: number;
  /** Edges e_0 … e_bins for `uniform` and `quantile`. */
  edges?: readonly number[];
  groupBy?: string;
}

/**
 * Maps `s` to a bin by sklearn's rule over the inner edges: the first k with s ≤ e_{k+1}, else
 * the last bin. For non-decreasing edges that index is the number of inner edges below s, so it
 * is written as a sum of comparisons (vectorises; several times faster than a CASE chain);
 * otherwise as the CASE chain itself.
 */
export function edgeBinExpression(edges: readonly number[], column = "s"): string {
  const inner = edges.slice(1, -1);
  if (inner.length === 0) return "0";
  if (inner.every((e, k) => k === 0 || (inner[k - 1] as number) <= e)) {
    return `(${inner.map((e) => `CAST(${column} > ${numberLiteral(e)} AS INTEGER)`).join(" + ")})`;
  }
  const whens = inner.map((e, k) => `WHEN ${column} <= ${numberLiteral(e)} THEN ${integerLiteral(k)}`).join(" ");
  return `CASE ${whens} ELSE ${integerLiteral(inner.length)} END`;
}

/** NannyML's index bin for row i of a partition of n_p rows (NULL when the partition is too small). */
function nannymlBinExpression(bins: number, partition: string): string {
  const over = `OVER (PARTITION BY ${partition} ORDER BY s, y)`;
  const n = `count(*) OVER (PARTITION BY ${partition})`;
  const b = integerLiteral(bins);
  const binCount = `(CASE WHEN ${n} <= 2 * ${b} THEN ${n} // 2 ELSE ${b} END)`;
  const width = `(${n} // nullif(${binCount}, 0))`;
  return `CASE WHEN ${binCount} >= 2 THEN least((row_number() ${over} - 1) // ${width}, ${n} // ${width} - 1) END`;
}

/** Rows (level, grp, bin, n, score_sum, positives, sq_sum, lo, hi); level 'dropped' carries the dropped count in n. */
export function compileCalibrationBins(spec: CalibrationSqlSpec): string {
  const s = `CAST(${quoteIdentifier(spec.score)} AS DOUBLE)`;
  const grouped = spec.groupBy !== undefined;
  const grp = grouped ? `CAST(${quoteIdentifier(spec.groupBy as string)} AS VARCHAR)` : "CAST(NULL AS VARCHAR)";
  let binAll: string;
  let binGroup: string;
  if (spec.strategy === "nannyml") {
    binAll = nannymlBinExpression(spec.bins, "ok");
    binGroup = nannymlBinExpression(spec.bins, "ok, grp");
  } else {
    if (!spec.edges) throw new Error("calibration: edges are required for the uniform and quantile strategies");
    binAll = edgeBinExpression(spec.edges);
    binGroup = binAll;
  }
  const aggregates = `count(*) AS n, sum(s) AS score_sum, CAST(sum(y) AS BIGINT) AS positives, sum((s - y) * (s - y)) AS sq_sum, min(s) AS lo, max(s) AS hi`;
  // One pass over the usable rows: both groupings as GROUPING SETS of one aggregate (each set
  // sums its rows directly, as separate GROUP BYs would), no materialized intermediate.
  // Edge strategies bin a row the same way overall and within its group: one bin column.
  const sameBins = spec.strategy !== "nannyml";
  const binned = `SELECT s, y, grp, ${binAll} AS b_all${sameBins ? "" : `, ${binGroup} AS b_grp`}
  FROM flagged WHERE ok`;
  const groupBin = sameBins ? "b_all" : "b_grp";
  const bins = grouped
    ? `SELECT CASE WHEN grouping(grp) = 1 THEN 'all' ELSE 'group' END AS level,
  grp, CASE WHEN grouping(grp) = 1 THEN b_all ELSE ${groupBin} END AS bin, ${aggregates}
FROM binned GROUP BY GROUPING SETS ((b_all), (grp, ${groupBin}))`
    : `SELECT 'all' AS level, CAST(NULL AS VARCHAR) AS grp, b_all AS bin, ${aggregates} FROM binned GROUP BY b_all`;
  // NOT MATERIALIZED: `flagged` is read twice (the bins and the dropped count), and DuckDB 1.4
  // would otherwise materialize it, a copy of every row (~250 MB at 10M rows in DuckDB-WASM,
  // whose heap never shrinks); reading the source twice is cheaper.
  return `WITH raw AS NOT MATERIALIZED (
  SELECT ${s} AS s, ${spec.labelSql} AS y, ${grp} AS grp FROM ${quoteIdentifier(spec.source)}
),
flagged AS NOT MATERIALIZED (SELECT s, y, grp, (s IS NOT NULL AND y IS NOT NULL) AS ok FROM raw),
binned AS NOT MATERIALIZED (${binned})
${bins}
UNION ALL
SELECT 'dropped' AS level, CAST(NULL AS VARCHAR) AS grp, NULL AS bin, count(CASE WHEN NOT ok THEN 1 END) AS n,
  NULL AS score_sum, NULL AS positives, NULL AS sq_sum, NULL AS lo, NULL AS hi FROM flagged`;
}

/** The usable row count, then the sorted scores at `positions` (for quantile edges). */
export function compileScoreCount(source: string, score: string, labelSql: string): string {
  const s = quoteIdentifier(score);
  return `SELECT count(*) AS n FROM ${quoteIdentifier(source)} WHERE ${s} IS NOT NULL AND (${labelSql}) IS NOT NULL`;
}

export function compileOrderStatistics(
  source: string,
  score: string,
  labelSql: string,
  positions: readonly number[],
): string {
  const s = quoteIdentifier(score);
  const wanted = positions.map((p) => integerLiteral(p)).join(", ");
  return `SELECT i, s FROM (
  SELECT CAST(${s} AS DOUBLE) AS s, row_number() OVER (ORDER BY ${s}) - 1 AS i
  FROM ${quoteIdentifier(source)} WHERE ${s} IS NOT NULL AND (${labelSql}) IS NOT NULL
) WHERE i IN (${wanted})`;
}
