/**
 * Pure SQL for the canary comparison. Both compilers read two relations (baseline `b`,
 * candidate `c`) that hold the same columns.
 * - Side summary: rows, positive rate = mean(ŷ) over rows with a prediction, mean score over
 *   finite scores. ŷ = prediction column (0/1) or score ≥ threshold; a NULL or NaN score has no ŷ.
 * - Disagreement: rows of b and c joined on the id column (inner join, NULL ids never match);
 *   rate = share of joined pairs whose ŷ differ, over pairs where both ŷ exist.
 */
import type { ColumnInfo } from "../../engine/types";
import { numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { binaryExpression } from "../performance";

export interface CanarySides {
  baseline: string;
  candidate: string;
  score: string;
  prediction?: string;
  threshold: number;
}

/** ŷ of one row as INTEGER 0/1 or NULL. */
export function predictedPositiveSql(sides: CanarySides, columns: readonly ColumnInfo[]): string {
  if (sides.prediction !== undefined) return binaryExpression(sides.prediction, columns);
  const s = `CAST(${quoteIdentifier(sides.score)} AS DOUBLE)`;
  return `CASE WHEN ${s} IS NULL OR isnan(${s}) THEN NULL ELSE CAST(${s} >= ${numberLiteral(sides.threshold)} AS INTEGER) END`;
}

/** One scan of each side: rows `side` ∈ {baseline, candidate} with n, n_pred, positive_rate, n_score, mean_score. */
export function compileCanarySummary(sides: CanarySides, columns: readonly ColumnInfo[]): string {
  const s = `CAST(${quoteIdentifier(sides.score)} AS DOUBLE)`;
  const yhat = predictedPositiveSql(sides, columns);
  const side = (name: string, source: string) =>
    `SELECT '${name}' AS side, ${s} AS s, ${yhat} AS yhat FROM ${quoteIdentifier(source)}`;
  return `SELECT side, count(*) AS n, count(yhat) AS n_pred, avg(yhat) AS positive_rate,
  count(*) FILTER (WHERE isfinite(s)) AS n_score, avg(s) FILTER (WHERE isfinite(s)) AS mean_score
FROM (${side("baseline", sides.baseline)} UNION ALL ${side("candidate", sides.candidate)})
GROUP BY side ORDER BY side`;
}

/** Prediction disagreement between rows of b and c that share an id. */
export function compileDisagreement(sides: CanarySides, idColumn: string, columns: readonly ColumnInfo[]): string {
  const id = quoteIdentifier(idColumn);
  const yhat = predictedPositiveSql(sides, columns);
  return `WITH b AS (SELECT ${id} AS id, ${yhat} AS p FROM ${quoteIdentifier(sides.baseline)}),
c AS (SELECT ${id} AS id, ${yhat} AS p FROM ${quoteIdentifier(sides.candidate)})
SELECT
  (SELECT count(id) - count(DISTINCT id) FROM b) AS duplicate_baseline,
  (SELECT count(id) - count(DISTINCT id) FROM c) AS duplicate_candidate,
  count(*) AS matched,
  count(*) FILTER (WHERE b.p IS NOT NULL AND c.p IS NOT NULL) AS compared,
  count(*) FILTER (WHERE b.p <> c.p) AS differ
FROM b JOIN c ON b.id = c.id`;
}
