/**
 * Pure SQL compiler for fairness counts: ONE statement, one scan, returning the
 * confusion counts (tp, fp, tn, fn) per group of every attribute and of every
 * intersection, split by calibration bin (so per-group ECE comes from the same rows),
 * via GROUPING SETS ((a_i, bin), …, (a_i, a_j, bin), …) plus a () set that counts the
 * rows dropped for a null label, prediction or score.
 * `GROUPING(a_0, …, a_k)` tells the sets apart: bit (k − i) is set when a_i is not grouped.
 */
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { edgeBinExpression } from "../calibration/calibration-sql";

export interface FairnessSqlSpec {
  source: string;
  /** SQL for the 0/1 label. */
  labelSql: string;
  /** SQL for the 0/1 prediction (`score >= threshold` when there is no prediction column). */
  predictionSql: string;
  /** Score column, when there is one (used for per-group calibration). */
  score?: string;
  attributes: readonly string[];
  /** Sets of attribute indexes to group by: single attributes and intersections. */
  sets: readonly (readonly number[])[];
  /** Calibration edges (`np.linspace(0, 1, bins + 1)`); no binning when absent. */
  calibrationEdges?: readonly number[];
}

/** The `GROUPING(a_0, …)` value DuckDB reports for a grouping set. */
export function groupingId(set: readonly number[], attributeCount: number): number {
  let id = 0;
  for (let i = 0; i < attributeCount; i++) {
    if (!set.includes(i)) id |= 1 << (attributeCount - 1 - i);
  }
  return id;
}

/** The `score >= threshold` prediction, as SQL. */
export function thresholdPrediction(score: string, threshold: number): string {
  return `CAST(CAST(${quoteIdentifier(score)} AS DOUBLE) >= ${numberLiteral(threshold)} AS INTEGER)`;
}

export function compileFairnessCounts(spec: FairnessSqlSpec): string {
  const attrs = spec.attributes.map((a, i) => `${quoteIdentifier(a)} AS a${integerLiteral(i)}`);
  const hasScore = spec.score !== undefined;
  const score = hasScore ? `CAST(${quoteIdentifier(spec.score as string)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
  const ok = `y IS NOT NULL AND yhat IS NOT NULL${hasScore ? " AND s IS NOT NULL" : ""}`;
  const bin = spec.calibrationEdges ? `CASE WHEN ok THEN ${edgeBinExpression(spec.calibrationEdges)} END` : "0";
  const names = spec.attributes.map((_, i) => `a${integerLiteral(i)}`);
  const sets = spec.sets.map((set) => `(${[...set.map((i) => `a${integerLiteral(i)}`), "b"].join(", ")})`);
  const count = (cond: string) => `count(*) FILTER (WHERE ok AND ${cond})`;
  return `WITH raw AS (
  SELECT ${spec.labelSql} AS y, ${spec.predictionSql} AS yhat, ${score} AS s, ${attrs.join(", ")}
  FROM ${quoteIdentifier(spec.source)}
),
flagged AS (SELECT *, (${ok}) AS ok FROM raw),
binned AS (SELECT *, ${bin} AS b FROM flagged)
SELECT GROUPING(${names.join(", ")}) AS gid,
  ${names.map((a) => `CAST(${a} AS VARCHAR) AS v_${a}`).join(", ")},
  b AS bin,
  count(*) FILTER (WHERE ok) AS n,
  ${count("y = 1 AND yhat = 1")} AS tp,
  ${count("y = 0 AND yhat = 1")} AS fp,
  ${count("y = 0 AND yhat = 0")} AS tn,
  ${count("y = 1 AND yhat = 0")} AS fn,
  sum(s) FILTER (WHERE ok) AS score_sum,
  sum((s - y) * (s - y)) FILTER (WHERE ok) AS sq_sum,
  count(*) FILTER (WHERE NOT ok) AS dropped
FROM binned
GROUP BY GROUPING SETS (${[...sets, "()"].join(", ")})`;
}
