/**
 * Pure SQL compiler for binary classification performance. One statement, one scan of
 * the source projection: one ungrouped pass for the confusion counts, Brier and log loss, one
 * GROUP BY score for the ranking metrics and curves.
 *
 * - Confusion counts at `score >= threshold` (or from a 0/1 prediction column).
 * - Brier = (1/n) Σ (p − y)²; log loss = −(1/n) Σ [y ln p̃ + (1 − y) ln(1 − p̃)] with
 *   p̃ = clip(p, eps, 1 − eps) (sklearn `log_loss`).
 * - ROC AUC = Σ_s neg_s · (TP_{>s} + pos_s / 2) / (P · N): one point per distinct score,
 *   equal to the trapezoid over sklearn's `roc_curve` and to Mann–Whitney U with mid-ranks.
 * - Average precision = Σ_s (pos_s / P) · TP_{≥s} / (TP_{≥s} + FP_{≥s}) over distinct
 *   scores from the highest down (sklearn `average_precision_score`, step-wise, no trapezoid).
 * - Curves: one point per distinct score (sklearn 1.2 `roc_curve(drop_intermediate=False)`
 *   and `precision_recall_curve`, which no longer stops at full recall), kept every
 *   `step`-th so at most 1000 come back; the AUC and AP above always use every point.
 * Reference: scikit-learn 1.2 `sklearn/metrics/_ranking.py` (`_binary_clf_curve`).
 */
import { clampSql } from "../../sql/clamp";
import type { ColumnInfo } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { binaryExpression } from "./binary-label";

/** Curve points returned per curve, at most (the first ROC point (0, 0) included). */
export const MAX_CURVE_POINTS = 1000;

export interface BinaryPerformanceSqlSpec {
  source: string;
  label: string;
  score?: string;
  prediction?: string;
  threshold: number;
  logLossEps: number;
}

/** Compiles the single statement that returns a `summary` row plus `roc` and `pr` rows. */
export function compileBinaryPerformance(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]): string {
  const hasScore = spec.score !== undefined;
  const score = hasScore ? `CAST(${quoteIdentifier(spec.score as string)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
  const yhat =
    spec.prediction !== undefined
      ? binaryExpression(spec.prediction, columns)
      : `CAST(${score} >= ${numberLiteral(spec.threshold)} AS INTEGER)`;
  const y = binaryExpression(spec.label, columns);
  const eps = numberLiteral(spec.logLossEps);
  // CASE, not least/greatest: ~110 ns a row in DuckDB-WASM (lib/sql/clamp.ts); NULL scores are dropped by `keep`.
  const clipped = clampSql("s", eps, `1 - ${eps}`);
  const keep = ["y IS NOT NULL", "yhat IS NOT NULL", ...(hasScore ? ["s IS NOT NULL"] : [])].join(" AND ");
  const count = (cond: string) => `count_if(${cond})`;
  const budget = integerLiteral(MAX_CURVE_POINTS - 2);

  // Row-level projection, read twice: once ungrouped for the counts and sums, once grouped
  // by score for the ranking metrics (no intermediate GROUP BY over (score, label, prediction):
  // with ~n distinct scores it costs as much as the score grouping itself).
  const ctes = [`r AS (SELECT ${score} AS s, ${y} AS y, ${yhat} AS yhat FROM ${quoteIdentifier(spec.source)})`];
  const summaryFields = [
    `'summary' AS kind`,
    `count(*) AS total_rows`,
    `${count("y IS NULL")} AS null_label`,
    `${count(hasScore ? "y IS NOT NULL AND s IS NULL" : "false")} AS null_score`,
    `${count(`y IS NOT NULL AND yhat IS NULL${hasScore ? " AND s IS NOT NULL" : ""}`)} AS null_prediction`,
    `${count(`${keep} AND y = 1 AND yhat = 1`)} AS tp`,
    `${count(`${keep} AND y = 0 AND yhat = 1`)} AS fp`,
    `${count(`${keep} AND y = 0 AND yhat = 0`)} AS tn`,
    `${count(`${keep} AND y = 1 AND yhat = 0`)} AS fn`,
  ];
  if (hasScore) {
    summaryFields.push(
      `sum(CASE WHEN ${keep} THEN (CASE WHEN y = 1 THEN (1 - s) * (1 - s) ELSE s * s END) END) AS brier_sum`,
      `sum(CASE WHEN ${keep} THEN (CASE WHEN y = 1 THEN -ln(${clipped}) ELSE -ln(1 - ${clipped}) END) END) AS log_loss_sum`,
      `(SELECT sum(CAST(neg AS DOUBLE) * (CAST(tp - pos AS DOUBLE) + 0.5 * pos)) FROM cum) AS auc_sum`,
      `(SELECT sum(CAST(pos AS DOUBLE) * tp / (tp + fp)) FROM cum) AS ap_sum`,
      `(SELECT m FROM tot) AS distinct_scores`,
    );
    ctes.push(
      `d AS (
  SELECT s, count_if(y = 1) AS pos, count_if(y = 0) AS neg
  FROM r WHERE ${keep} GROUP BY s
)`,
      `cum AS MATERIALIZED (
  SELECT s, pos, neg,
         CAST(sum(pos) OVER (ORDER BY s DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS tp,
         CAST(sum(neg) OVER (ORDER BY s DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS fp,
         row_number() OVER (ORDER BY s DESC) AS k
  FROM d
)`,
      `tot AS MATERIALIZED (
  SELECT CAST(sum(pos) AS BIGINT) AS p, CAST(sum(neg) AS BIGINT) AS n, count(*) AS m,
         greatest(1, CAST(ceil(count(*) / ${budget}.0) AS BIGINT)) AS step
  FROM cum
)`,
      `roc AS (
  SELECT 'roc' AS kind, k, CAST(fp AS DOUBLE) / n AS fpr, CAST(tp AS DOUBLE) / p AS tpr, s AS threshold
  FROM cum, tot WHERE p > 0 AND n > 0 AND ((k - 1) % step = 0 OR k = m)
)`,
      `pr AS (
  SELECT 'pr' AS kind, k, CAST(tp AS DOUBLE) / (tp + fp) AS prec, CAST(tp AS DOUBLE) / p AS rec, s AS threshold
  FROM cum, tot
  WHERE p > 0 AND ((k - 1) % step = 0 OR k = m)
)`,
    );
  }
  ctes.push(`summary AS (SELECT ${summaryFields.join(",\n  ")} FROM r)`);
  const body = hasScore
    ? "SELECT * FROM summary UNION ALL BY NAME SELECT * FROM roc UNION ALL BY NAME SELECT * FROM pr"
    : "SELECT * FROM summary";
  return `WITH ${ctes.join(",\n")}\n${body}`;
}
