/**
 * Pure SQL compiler for binary classification performance, one statement, in one of two forms
 * with the same results (`ranking`):
 * - `sort`: one sort of the used rows by score (a single window operator) for the ranking metrics
 *   and curves, one ungrouped aggregate over its output for everything per row, one cheap scan of
 *   the source for the null counts. Cost does not depend on ties.
 * - `group`: GROUP BY score first, then windows over the distinct scores: cheap when scores repeat
 *   (rounded scores, a few hundred distinct values), twice the `sort` cost when all are distinct.
 *
 * - Confusion counts at `score >= threshold` (or from a 0/1 prediction column).
 * - Brier = (1/n) Σ (p − y)²; log loss = −(1/n) Σ [y ln p̃ + (1 − y) ln(1 − p̃)] with
 *   p̃ = clip(p, eps, 1 − eps) (sklearn `log_loss`).
 * - `sort` form: with rows sorted by score, highest first, and ties as peers: rk = 1 + #rows with a higher
 *   score, c = #rows with a score ≥ the row's, TP≥ = #positives with a score ≥ the row's.
 * - ROC AUC = Σ_s neg_s · (TP_{>s} + pos_s / 2) / (P · N) over distinct scores s, equal to the
 *   trapezoid over sklearn's `roc_curve` and to Mann–Whitney U with mid-ranks. `sort` form: twice
 *   the sum of the positives' descending mid-ranks is the integer R = Σ_{y=1} (rk + c), and
 *   U = P · N − (R − P(P+1)) / 2. Exact in both forms (integer and half-integer arithmetic).
 * - Average precision = Σ_s (pos_s / P) · TP_{≥s} / (TP_{≥s} + FP_{≥s}) over distinct scores
 *   from the highest down (sklearn `average_precision_score`, step-wise, no trapezoid). `sort`
 *   form: (1/P) Σ_{y=1} TP≥ / c, each positive row adding the precision at its own score.
 * - Curves: one point per distinct score (sklearn 1.2 `roc_curve(drop_intermediate=False)`
 *   and `precision_recall_curve`, which no longer stops at full recall), kept every
 *   `step`-th (k = dense rank of the score) so at most 1000 come back; AUC and AP use every point.
 * `sort` form float sums use `fsum` (compensated), so they barely depend on the order rows arrive in.
 * Reference: scikit-learn 1.2 `sklearn/metrics/_ranking.py` (`_binary_clf_curve`).
 *
 * Cost (DuckDB-WASM, 1M rows): see docs/metrics/performance.md.
 */
import { clampSql } from "../../sql/clamp";
import type { ColumnInfo } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { binaryExpression } from "./binary-label";
import type { RankingStrategy } from "./ranking-strategy";

/** Curve points returned per curve, at most (the first ROC point (0, 0) included). */
export const MAX_CURVE_POINTS = 1000;

export interface BinaryPerformanceSqlSpec {
  source: string;
  label: string;
  score?: string;
  prediction?: string;
  threshold: number;
  logLossEps: number;
  /**
   * How the ranking metrics reach the distinct scores (same results either way): `sort` sorts the
   * rows once (best when most scores are distinct), `group` groups by score first (best with many
   * ties). Default `sort`; `runBinaryPerformance` picks one from a sample (ranking-strategy.ts).
   */
  ranking?: RankingStrategy;
}

/** Compiles the single statement that returns a `summary` row plus `roc` and `pr` rows. */
export function compileBinaryPerformance(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]): string {
  return spec.score !== undefined && spec.ranking === "group"
    ? compileGrouped(spec, columns)
    : compileSorted(spec, columns);
}

/**
 * What every form reads from the source: the row projection, the filters and the count columns
 * (also partitioned-ranking.ts).
 */
export function rowInputs(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]) {
  const hasScore = spec.score !== undefined;
  const score = hasScore ? `CAST(${quoteIdentifier(spec.score as string)} AS DOUBLE)` : "CAST(NULL AS DOUBLE)";
  const yhat =
    spec.prediction !== undefined
      ? binaryExpression(spec.prediction, columns)
      : `CAST(${score} >= ${numberLiteral(spec.threshold)} AS INTEGER)`;
  const y = binaryExpression(spec.label, columns);
  const eps = numberLiteral(spec.logLossEps);
  const keep = ["y IS NOT NULL", "yhat IS NOT NULL", ...(hasScore ? ["s IS NOT NULL"] : [])].join(" AND ");
  const clipped = clampSql("s", eps, `1 - ${eps}`);
  return {
    hasScore,
    /** Row-level projection (s, y, yhat). */
    rows: `SELECT ${score} AS s, ${y} AS y, ${yhat} AS yhat FROM ${quoteIdentifier(spec.source)}`,
    /** Rows every metric uses. */
    keep,
    // CASE, not least/greatest: ~110 ns a row in DuckDB-WASM (lib/sql/clamp.ts).
    clipped,
    /** Per-row Brier and log-loss terms (the sort and partitioned forms sum them with `fsum`). */
    brierTerm: "(s - y) * (s - y)",
    logLossTerm: `-ln(CASE WHEN y = 1 THEN ${clipped} ELSE 1 - ${clipped} END)`,
    /** The summary's row counts. */
    nulls: [
      `count(*) AS total_rows`,
      `count_if(y IS NULL) AS null_label`,
      `count_if(${hasScore ? "y IS NOT NULL AND s IS NULL" : "false"}) AS null_score`,
      `count_if(y IS NOT NULL AND yhat IS NULL${hasScore ? " AND s IS NOT NULL" : ""}) AS null_prediction`,
    ],
    /** Confusion counts over rows passing `where` (a condition ending in AND, or ""). */
    confusion: (where: string) => [
      `count_if(${where}y = 1 AND yhat = 1) AS tp`,
      `count_if(${where}y = 0 AND yhat = 1) AS fp`,
      `count_if(${where}y = 0 AND yhat = 0) AS tn`,
      `count_if(${where}y = 1 AND yhat = 0) AS fn`,
    ],
  };
}

/**
 * The `sort` form's window over the rows ordered by score, highest first: rk = rank(), k =
 * dense_rank(), c = rows with a score ≥ the row's, TP≥ = positives among them. `above` adds the
 * rows and positives of higher scores kept out of this window (partitioned-ranking.ts's ranges),
 * so rk, c and TP≥ are global; k stays local. Follow with `RANK_WINDOW`.
 */
export function rankColumns(above?: { rows: number; positives: number }): string {
  const plus = (n: number | undefined) => (n ? ` + ${integerLiteral(n)}` : "");
  return `rank() OVER o${plus(above?.rows)} AS rk, dense_rank() OVER o AS k, count(*) OVER o${plus(above?.rows)} AS c,
         count_if(y = 1) OVER o${plus(above?.positives)} AS tp_ge`;
}

/** The window `rankColumns` uses. */
export const RANK_WINDOW = "WINDOW o AS (ORDER BY s DESC)";

/** The `sort` form (and the score-less statement). */
function compileSorted(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]): string {
  const { hasScore, rows, keep, brierTerm, logLossTerm, nulls, confusion } = rowInputs(spec, columns);
  const budget = integerLiteral(MAX_CURVE_POINTS - 2);
  if (!hasScore) {
    return `SELECT 'summary' AS kind,\n  ${[...nulls, ...confusion(`${keep} AND `)].join(",\n  ")}\nFROM (${rows})`;
  }
  // `r` is read twice (the window and the null counts) but not materialized: re-reading the
  // source costs less than copying 1M rows. `w` is materialized: the aggregate and the curve read it;
  // so is `cum`, the curve points (at most MAX_CURVE_POINTS rows), which both curves read.
  return `WITH r AS NOT MATERIALIZED (${rows}),
w AS MATERIALIZED (
  SELECT s, y, yhat, ${rankColumns()}
  FROM r WHERE ${keep}
  ${RANK_WINDOW}
),
tot AS MATERIALIZED (
  SELECT count_if(y = 1) AS p, count_if(y = 0) AS n, max(k) AS m,
         greatest(1, CAST(ceil(max(k) / ${budget}.0) AS BIGINT)) AS step,
         CAST(sum(CASE WHEN y = 1 THEN rk + c END) AS HUGEINT) AS twice_rank_sum,
         fsum(CASE WHEN y = 1 THEN CAST(tp_ge AS DOUBLE) / c END) AS ap_sum,
         ${confusion("").join(", ")},
         fsum(${brierTerm}) AS brier_sum,
         fsum(${logLossTerm}) AS log_loss_sum
  FROM w
),
cum AS MATERIALIZED (
  SELECT k, any_value(s) AS s, any_value(tp_ge) AS cum_tp, any_value(c - tp_ge) AS cum_fp
  FROM w WHERE (k - 1) % (SELECT step FROM tot) = 0 OR k = (SELECT m FROM tot)
  GROUP BY k
),
roc AS (
  SELECT 'roc' AS kind, k, CAST(cum_fp AS DOUBLE) / n AS fpr, CAST(cum_tp AS DOUBLE) / p AS tpr, s AS threshold
  FROM cum, tot WHERE p > 0 AND n > 0
),
pr AS (
  SELECT 'pr' AS kind, k, CAST(cum_tp AS DOUBLE) / (cum_tp + cum_fp) AS prec, CAST(cum_tp AS DOUBLE) / p AS rec,
         s AS threshold
  FROM cum, tot WHERE p > 0
),
summary AS (
  SELECT 'summary' AS kind, nulls.*, tp, fp, tn, fn, brier_sum, log_loss_sum,
         CAST(2 * CAST(p AS HUGEINT) * n - twice_rank_sum + CAST(p AS HUGEINT) * (p + 1) AS DOUBLE) / 2 AS auc_sum,
         ap_sum, m AS distinct_scores
  FROM (SELECT ${nulls.join(", ")} FROM r) AS nulls, tot
)
SELECT * FROM summary UNION ALL BY NAME SELECT * FROM roc UNION ALL BY NAME SELECT * FROM pr`;
}

/** The `group` form: GROUP BY score, then running sums over the distinct scores (needs a score). */
function compileGrouped(spec: BinaryPerformanceSqlSpec, columns: readonly ColumnInfo[]): string {
  const { rows, keep, clipped, nulls, confusion } = rowInputs(spec, columns);
  const budget = integerLiteral(MAX_CURVE_POINTS - 2);

  // Row-level projection, read twice: once ungrouped for the counts and sums, once grouped
  // by score for the ranking metrics (no intermediate GROUP BY over (score, label, prediction):
  // with ~n distinct scores it costs as much as the score grouping itself). NULL scores are
  // dropped by `keep`. Not materialized: DuckDB would otherwise copy every row to read it twice.
  const ctes = [`r AS NOT MATERIALIZED (${rows})`];
  const summaryFields = [`'summary' AS kind`, ...nulls, ...confusion(`${keep} AND `)];
  summaryFields.push(
    `sum(CASE WHEN ${keep} THEN (CASE WHEN y = 1 THEN (1 - s) * (1 - s) ELSE s * s END) END) AS brier_sum`,
    `sum(CASE WHEN ${keep} THEN (CASE WHEN y = 1 THEN -ln(${clipped}) ELSE -ln(1 - ${clipped}) END) END) AS log_loss_sum`,
    `(SELECT sum(CAST(neg AS DOUBLE) * (CAST(tp - gpos AS DOUBLE) + 0.5 * gpos)) FROM cum) AS auc_sum`,
    `(SELECT sum(CAST(pos AS DOUBLE) * tp / (tp + fp)) FROM cum) AS ap_sum`,
    `(SELECT m FROM tot) AS distinct_scores`,
  );
  ctes.push(
    `d AS (
  SELECT s, count_if(y = 1) AS pos, count_if(y = 0) AS neg
  FROM r WHERE ${keep} GROUP BY s
)`,
    // No step assumes one row of `d` per score: native DuckDB 1.4.3 with threads ≥ 2 was seen to
    // return one GROUP BY key in two rows (docs/performance.md). Running sums take whole tie groups
    // (RANGE frames: peers included), `gpos` is the group's positives however many rows hold them,
    // so each row's AUC and AP terms are linear in its own counts and add up to the group's; k is
    // the dense rank of the score, and the curves take one row per score (`first`).
    `cum AS MATERIALIZED (
  SELECT s, pos, neg,
         CAST(sum(pos) OVER upto AS BIGINT) AS tp,
         CAST(sum(neg) OVER upto AS BIGINT) AS fp,
         CAST(sum(pos) OVER (PARTITION BY s) AS BIGINT) AS gpos,
         dense_rank() OVER (ORDER BY s DESC) AS k,
         row_number() OVER (PARTITION BY s) = 1 AS first
  FROM d
  WINDOW upto AS (ORDER BY s DESC RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)`,
    `tot AS MATERIALIZED (
  SELECT CAST(sum(pos) AS BIGINT) AS p, CAST(sum(neg) AS BIGINT) AS n, max(k) AS m,
         greatest(1, CAST(ceil(max(k) / ${budget}.0) AS BIGINT)) AS step
  FROM cum
)`,
    `roc AS (
  SELECT 'roc' AS kind, k, CAST(fp AS DOUBLE) / n AS fpr, CAST(tp AS DOUBLE) / p AS tpr, s AS threshold
  FROM cum, tot WHERE first AND p > 0 AND n > 0 AND ((k - 1) % step = 0 OR k = m)
)`,
    `pr AS (
  SELECT 'pr' AS kind, k, CAST(tp AS DOUBLE) / (tp + fp) AS prec, CAST(tp AS DOUBLE) / p AS rec, s AS threshold
  FROM cum, tot
  WHERE first AND p > 0 AND ((k - 1) % step = 0 OR k = m)
)`,
  );
  ctes.push(`summary AS (SELECT ${summaryFields.join(",\n  ")} FROM r)`);
  return `WITH ${ctes.join(",\n")}
SELECT * FROM summary UNION ALL BY NAME SELECT * FROM roc UNION ALL BY NAME SELECT * FROM pr`;
}
