/**
 * Pure SQL for the canary comparison. Both compilers read two relations (baseline `b`,
 * candidate `c`) that hold the same columns.
 * - Side summary: rows, positive rate = mean(ŷ) over rows with a prediction, mean score over
 *   finite scores. ŷ = prediction column (0/1) or score ≥ threshold; a NULL or NaN score has no ŷ.
 * - Labelled counts (with a label), as the performance family's `runBinaryPerformance` counts
 *   them: y = label as 0/1, ŷ as above; rows with y, ŷ and the score all non-null are used
 *   (confusion counts tp, fp, tn, fn); rows left out are counted by the first missing column.
 * - ROC AUC by ranks (Mann–Whitney): over the used rows of one side, sorted by score,
 *   mid-rank(row) = (#rows with a lower score + #rows with a score ≤ its own + 1) / 2 and
 *   U = Σ_{y=1} mid-rank − P(P+1)/2 = #(positive, negative) pairs ordered correctly + ½ #ties,
 *   AUC = U / (P·N) (sklearn `roc_auc_score`). 2·Σ mid-rank is an integer (`rank()` plus
 *   `cume_dist()`·n, rounded), so the sum is exact and does not depend on the scan order.
 * - Disagreement: rows of b and c joined on the id column (inner join, NULL ids never match);
 *   rate = share of joined pairs whose ŷ differ, over pairs where both ŷ exist.
 */
import type { ColumnInfo } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { binaryExpression } from "../performance";
import { avgSql } from "../stats/scaled-moments";

export interface CanarySides {
  baseline: string;
  candidate: string;
  score: string;
  prediction?: string;
  threshold: number;
  /** Binary label; the summary then also returns the labelled counts. */
  label?: string;
}

/** ŷ of one row as INTEGER 0/1 or NULL. */
export function predictedPositiveSql(sides: CanarySides, columns: readonly ColumnInfo[]): string {
  if (sides.prediction !== undefined) return binaryExpression(sides.prediction, columns);
  const s = `CAST(${quoteIdentifier(sides.score)} AS DOUBLE)`;
  return `CASE WHEN ${s} IS NULL OR isnan(${s}) THEN NULL ELSE CAST(${s} >= ${numberLiteral(sides.threshold)} AS INTEGER) END`;
}

/**
 * One scan of each side: rows `side` ∈ {baseline, candidate} with n, n_pred, positive_rate,
 * n_score, mean_score and, with a label, null_label, null_score, null_prediction, tp, fp, tn, fn.
 * The sides in `scaled` take mean_score over scores scaled by 2^−600 (stats/scaled-moments.ts:
 * after scores near the largest double overflowed `avg`; decode with `unscaleMoment`).
 */
export function compileCanarySummary(
  sides: CanarySides,
  columns: readonly ColumnInfo[],
  scaled: ReadonlySet<"baseline" | "candidate"> = new Set(),
): string {
  const s = `CAST(${quoteIdentifier(sides.score)} AS DOUBLE)`;
  const yhat = predictedPositiveSql(sides, columns);
  const label = sides.label;
  const y = label === undefined ? "" : `, ${binaryExpression(label, columns)} AS y`;
  const count = (cond: string) => `count(CASE WHEN ${cond} THEN 1 END)`;
  const keep = "y IS NOT NULL AND yhat IS NOT NULL AND s IS NOT NULL";
  const labelled =
    label === undefined
      ? ""
      : `,
  ${count("y IS NULL")} AS null_label, ${count("y IS NOT NULL AND s IS NULL")} AS null_score,
  ${count("y IS NOT NULL AND yhat IS NULL AND s IS NOT NULL")} AS null_prediction,
  ${count(`${keep} AND y = 1 AND yhat = 1`)} AS tp, ${count(`${keep} AND y = 0 AND yhat = 1`)} AS fp,
  ${count(`${keep} AND y = 0 AND yhat = 0`)} AS tn, ${count(`${keep} AND y = 1 AND yhat = 0`)} AS fn`;
  // One ungrouped aggregate per side (no hash table over the union of both).
  const side = (
    name: "baseline" | "candidate",
    source: string,
  ) => `SELECT '${name}' AS side, count(*) AS n, count(yhat) AS n_pred,
  avg(yhat) AS positive_rate, ${count("isfinite(s)")} AS n_score,
  ${avgSql("CASE WHEN isfinite(s) THEN s END", scaled.has(name))} AS mean_score${labelled}
FROM (SELECT ${s} AS s, ${yhat} AS yhat${y} FROM ${quoteIdentifier(source)})`;
  return `${side("baseline", sides.baseline)}
UNION ALL
${side("candidate", sides.candidate)}`;
}

/**
 * Rank sums for ROC AUC on both sides in one statement: rows `side` with n, positives and
 * twice_rank_sum = Σ_{y=1} (rank + #rows with score ≤ own) = 2·Σ_{y=1} mid-rank.
 * `used` holds each side's number of used rows (from the summary), which turns
 * `cume_dist()` back into an exact count. Needs `sides.label`.
 */
export function compileRankSums(
  sides: CanarySides,
  columns: readonly ColumnInfo[],
  used: { baseline: number; candidate: number },
): string {
  if (sides.label === undefined) throw new Error("compileRankSums needs a label");
  const s = `CAST(${quoteIdentifier(sides.score)} AS DOUBLE)`;
  const y = binaryExpression(sides.label, columns);
  const yhat = predictedPositiveSql(sides, columns);
  // One window per side without PARTITION BY: two plain sorts are faster than a partitioned one.
  const side = (name: string, source: string, n: number) => `SELECT '${name}' AS side, count(*) AS n,
  count(CASE WHEN y = 1 THEN 1 END) AS positives,
  CAST(sum(CASE WHEN y = 1 THEN lower_plus_one + CAST(round(le_share * ${integerLiteral(n)}) AS BIGINT) END) AS BIGINT) AS twice_rank_sum
FROM (
  SELECT y, rank() OVER w AS lower_plus_one, cume_dist() OVER w AS le_share
  FROM (SELECT ${s} AS s, ${y} AS y, ${yhat} AS yhat FROM ${quoteIdentifier(source)})
  WHERE y IS NOT NULL AND yhat IS NOT NULL AND s IS NOT NULL
  WINDOW w AS (ORDER BY s)
)`;
  return `${side("baseline", sides.baseline, used.baseline)}
UNION ALL
${side("candidate", sides.candidate, used.candidate)}`;
}

/** Prediction disagreement between rows of b and c that share an id. */
export function compileDisagreement(sides: CanarySides, idColumn: string, columns: readonly ColumnInfo[]): string {
  const id = quoteIdentifier(idColumn);
  const yhat = predictedPositiveSql(sides, columns);
  // Each side is read twice (duplicates, join); NOT MATERIALIZED spares a copy of every row.
  return `WITH b AS NOT MATERIALIZED (SELECT ${id} AS id, ${yhat} AS p FROM ${quoteIdentifier(sides.baseline)}),
c AS NOT MATERIALIZED (SELECT ${id} AS id, ${yhat} AS p FROM ${quoteIdentifier(sides.candidate)})
SELECT
  (SELECT count(id) - count(DISTINCT id) FROM b) AS duplicate_baseline,
  (SELECT count(id) - count(DISTINCT id) FROM c) AS duplicate_candidate,
  count(*) AS matched,
  count(CASE WHEN b.p IS NOT NULL AND c.p IS NOT NULL THEN 1 END) AS compared,
  count(CASE WHEN b.p <> c.p THEN 1 END) AS differ
FROM b JOIN c ON b.id = c.id`;
}
