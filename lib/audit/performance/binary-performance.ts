/**
 * Binary classification performance: confusion counts and the rates built from them,
 * ROC AUC, average precision, log loss, Brier score and the ROC / precision–recall
 * curves. Formulas and references are in `binary-performance-sql.ts`; this file checks
 * the input, runs the one statement and turns counts into metrics.
 *
 * Conventions: `assay` (default) reports a ratio whose denominator is 0 as null with a
 * warning; `sklearn` reports 0, as sklearn's `zero_division` default does.
 * Log loss clips with eps = 2.220446049250313e-16 (`np.finfo(float64).eps`), sklearn
 * 1.2's `eps="auto"`; pass `logLossEps: 1e-15` for sklearn ≤ 1.1.
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import {
  describeRelation,
  requireBinaryLabel,
  requireColumns,
  requireNumeric,
  requireProbabilities,
} from "../validate";
import { WarningLog, type AuditWarning } from "../warnings";
import { compileBinaryPerformance, MAX_CURVE_POINTS } from "./binary-performance-sql";
import { PARTITION_ABOVE, PARTITION_ROWS, runPartitionedRanking } from "./partitioned-ranking";
import { chooseRanking, compileRankingProbe, type RankingStrategy } from "./ranking-strategy";
import { safeRatio, type ZeroDivision } from "./ratio";
import { type AuditTrace, createTrace } from "./trace";

/** `np.finfo(np.float64).eps`, the clipping sklearn 1.2's `log_loss(eps="auto")` uses. */
export const FLOAT64_EPS = 2.220446049250313e-16;

export interface BinaryPerformanceSpec {
  /** Table or view name. */
  source: string;
  /** Binary 0/1 or boolean outcome column. */
  label: string;
  /** Score column (a probability in [0, 1] unless `allowRawScores`). */
  score?: string;
  /** Binary 0/1 prediction column; used for the confusion counts instead of the threshold. */
  prediction?: string;
  /** A score at or above the threshold is a positive prediction. Default 0.5. */
  threshold?: number;
  /** Log-loss clipping epsilon. Default `FLOAT64_EPS` (sklearn 1.2). */
  logLossEps?: number;
  /** `assay` (0/0 ⇒ null + warning, default) or `sklearn` (0/0 ⇒ 0). */
  convention?: "assay" | "sklearn";
  /** Accept scores outside [0, 1] (e.g. logits): ranking metrics only, log loss and Brier null. */
  allowRawScores?: boolean;
  /**
   * How the SQL reaches the distinct scores; a speed and memory knob only, the metrics are the
   * same. `auto` (default) samples the scores and picks `sort` or `group` (ranking-strategy.ts),
   * and `partitioned` instead of `sort` above `PARTITION_ABOVE` rows (partitioned-ranking.ts:
   * score ranges sorted one at a time; curves with more than MAX_CURVE_POINTS points are thinned
   * by rank position instead of by distinct score).
   */
  ranking?: "auto" | RankingStrategy | "partitioned";
  /** Rows per score range for `partitioned` (default `PARTITION_ROWS`). */
  partitionRows?: number;
}

export interface RocPoint {
  fpr: number;
  tpr: number;
  /** Lowest score counted positive at this point; null for the (0, 0) start. */
  threshold: number | null;
}

export interface PrPoint {
  precision: number;
  recall: number;
  /** Lowest score counted positive at this point; null for the final (recall 0, precision 1) point. */
  threshold: number | null;
}

export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface BinaryPerformanceResult {
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  specificity: number | null;
  balancedAccuracy: number | null;
  rocAuc: number | null;
  /** Average precision (sklearn `average_precision_score`). */
  prAuc: number | null;
  logLoss: number | null;
  brier: number | null;
  confusion: ConfusionCounts;
  /** Rows used (label, score and prediction all present). */
  n: number;
  positives: number;
  rocCurve: RocPoint[];
  prCurve: PrPoint[];
  trace: AuditTrace;
  warnings: AuditWarning[];
  /** Streamed datasets only (streamed-performance.ts): the exact ROC AUC lies within ± rocAuc. */
  errorBounds?: { rocAuc: number };
}

export function validateOptions(spec: BinaryPerformanceSpec): void {
  if (spec.score === undefined && spec.prediction === undefined) {
    throw new AuditInputError("invalid-option", "Give a score column, a prediction column, or both.");
  }
  const threshold = spec.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) {
    throw new AuditInputError("invalid-option", `The threshold must be a finite number; got ${threshold}.`);
  }
  if (spec.partitionRows !== undefined && !(Number.isSafeInteger(spec.partitionRows) && spec.partitionRows >= 1)) {
    throw new AuditInputError(
      "invalid-option",
      `partitionRows must be a positive whole number of rows; got ${spec.partitionRows}.`,
    );
  }
  const eps = spec.logLossEps ?? FLOAT64_EPS;
  if (!(eps > 0 && eps < 0.5)) {
    throw new AuditInputError("invalid-option", `logLossEps must lie in (0, 0.5); got ${eps}.`);
  }
}

/** Checks the score column; returns false when it holds raw (non-probability) scores that are allowed. */
async function checkScore(query: QueryFn, spec: BinaryPerformanceSpec, score: string): Promise<boolean> {
  try {
    await requireProbabilities(query, spec.source, score);
    return true;
  } catch (error) {
    if (spec.allowRawScores && error instanceof AuditInputError && error.problem === "score-out-of-range") return false;
    throw error;
  }
}

export async function runBinaryPerformance(
  query: QueryFn,
  spec: BinaryPerformanceSpec,
): Promise<BinaryPerformanceResult> {
  validateOptions(spec);
  const threshold = spec.threshold ?? 0.5;
  const logLossEps = spec.logLossEps ?? FLOAT64_EPS;
  const convention = spec.convention ?? "assay";
  const zeroDivision: ZeroDivision = convention === "sklearn" ? "zero" : "null";
  const columns = await describeRelation(query, spec.source);
  const used = [spec.label, spec.score, spec.prediction].filter((c): c is string => c !== undefined);
  requireColumns(columns, used, spec.source);
  await requireBinaryLabel(query, spec.source, spec.label);
  if (spec.prediction !== undefined) await requireBinaryLabel(query, spec.source, spec.prediction);
  let isProbability = false;
  if (spec.score !== undefined) {
    requireNumeric(columns, spec.score, "score");
    isProbability = await checkScore(query, spec, spec.score);
  }

  const ranking = spec.score === undefined ? "sort" : await pickRanking(query, spec, spec.score);
  const sqlSpec = { ...spec, threshold, logLossEps, ranking: ranking === "partitioned" ? "sort" : ranking } as const;
  const warnings = new WarningLog();
  const trace = createTrace();
  let rows: Row[];
  let partitioned: number | null = null;
  if (ranking === "partitioned") {
    const run = await runPartitionedRanking(query, sqlSpec, columns, spec.partitionRows ?? PARTITION_ROWS);
    rows = run.rows;
    trace.sql.push(...run.sql);
    partitioned = run.ranges;
  } else {
    const sql = compileBinaryPerformance(sqlSpec, columns);
    rows = await queryRows(query, sql);
    trace.sql.push(sql);
  }
  const summary = rows.find((r) => r.kind === "summary");
  if (!summary) throw new Error("binary performance: the summary row is missing");
  trace.parameters = {
    convention,
    positiveWhen: spec.prediction !== undefined ? `${spec.prediction} = 1` : `${spec.score} >= ${threshold}`,
    threshold: spec.prediction !== undefined ? null : threshold,
    logLossEps,
    maxCurvePoints: MAX_CURVE_POINTS,
    ...(spec.score === undefined ? {} : { ranking }),
    ...(partitioned === null ? {} : { scoreRanges: partitioned }),
  };
  if (partitioned !== null) {
    trace.steps.push(
      `Sorted in ${partitioned} score range(s) of about ${spec.partitionRows ?? PARTITION_ROWS} rows or fewer, one at a time (one window over all rows needs ~80 bytes a row); ranks, AUC and AP as over one sort.`,
    );
  }

  const count = (key: string) => num(summary[key]) ?? 0;
  const confusion: ConfusionCounts = { tp: count("tp"), fp: count("fp"), tn: count("tn"), fn: count("fn") };
  const { tp, fp, tn, fn } = confusion;
  const n = tp + fp + tn + fn;
  const positives = tp + fn;
  const negatives = tn + fp;
  reportDropped(summary, spec, warnings, trace);
  if (n === 0) {
    throw new AuditInputError(
      "all-null",
      `No row of "${spec.source}" has the label${spec.score ? ", score" : ""}${spec.prediction ? " and prediction" : ""} all present.`,
      spec.label,
    );
  }
  trace.steps.push(
    `Counted ${n} rows: ${positives} positive and ${negatives} negative labels; ${tp + fp} predicted positive (${
      spec.prediction !== undefined ? `"${spec.prediction}" = 1` : `score >= ${threshold}`
    }).`,
  );

  const result: BinaryPerformanceResult = {
    ...confusionMetrics(confusion, zeroDivision, warnings),
    rocAuc: null,
    prAuc: null,
    logLoss: null,
    brier: null,
    confusion,
    n,
    positives,
    rocCurve: [],
    prCurve: [],
    trace,
    warnings: warnings.items,
  };
  if (spec.score !== undefined) {
    if (positives === 0 || negatives === 0) {
      throw new AuditInputError(
        "label-not-binary",
        `The label column "${spec.label}" holds only ${positives === 0 ? "negatives (0)" : "positives (1)"} among the ${n} usable rows; ROC AUC and average precision need both classes. Check the filter or the label mapping.`,
        spec.label,
      );
    }
    fillScoreMetrics(result, rows, summary, isProbability, spec.score, warnings);
  }
  result.warnings = warnings.items;
  return result;
}

/** The rates built from the confusion counts; a 0/0 ratio per `zeroDivision`, with a warning. */
export function confusionMetrics(confusion: ConfusionCounts, zeroDivision: ZeroDivision, warnings: WarningLog) {
  const { tp, fp, tn, fn } = confusion;
  const ratio = (a: number, b: number, what: string) =>
    safeRatio(a, b, zeroDivision, warnings, "undefined-ratio", `${what} is undefined (0/0); reported as null.`);
  const precision = ratio(tp, tp + fp, "Precision (no predicted positives)");
  const recall = ratio(tp, tp + fn, "Recall (no positive labels)");
  const specificity = ratio(tn, tn + fp, "Specificity (no negative labels)");
  const f1 = ratio(2 * tp, 2 * tp + fp + fn, "F1 (no positives, predicted or actual)");
  const balancedAccuracy = recall === null || specificity === null ? null : (recall + specificity) / 2;
  return { accuracy: (tp + tn) / (tp + fp + tn + fn), precision, recall, f1, specificity, balancedAccuracy };
}

/**
 * The caller's `ranking`, or, when `auto`, `chooseRanking` over a sample of the scores, with
 * `partitioned` for `sort` above `PARTITION_ABOVE` rows.
 */
async function pickRanking(
  query: QueryFn,
  spec: BinaryPerformanceSpec,
  score: string,
): Promise<RankingStrategy | "partitioned"> {
  if (spec.ranking !== undefined && spec.ranking !== "auto") return spec.ranking;
  const [probe] = await queryRows(query, compileRankingProbe(spec.source, score));
  const rows = num(probe?.n) ?? 0;
  const ranking = chooseRanking(rows, num(probe?.k) ?? 0, num(probe?.d) ?? 0);
  return ranking === "sort" && rows > PARTITION_ABOVE ? "partitioned" : ranking;
}

export function reportDropped(
  summary: Row,
  spec: BinaryPerformanceSpec,
  warnings: WarningLog,
  trace: AuditTrace,
): void {
  const dropped: [string, string | undefined][] = [
    ["null_label", spec.label],
    ["null_score", spec.score],
    ["null_prediction", spec.prediction],
  ];
  for (const [key, column] of dropped) {
    const k = num(summary[key]) ?? 0;
    if (k > 0 && column !== undefined) {
      warnings.warn("dropped-nulls", `${k} rows with a null "${column}" were left out.`, column);
      trace.steps.push(`Dropped ${k} rows where "${column}" is null.`);
    }
  }
}

function fillScoreMetrics(
  result: BinaryPerformanceResult,
  rows: Row[],
  summary: Row,
  isProbability: boolean,
  score: string,
  warnings: WarningLog,
): void {
  const { n, positives } = result;
  const negatives = n - positives;
  result.rocAuc = (num(summary.auc_sum) ?? 0) / (positives * negatives);
  result.prAuc = (num(summary.ap_sum) ?? 0) / positives;
  const distinct = num(summary.distinct_scores) ?? 0;
  result.trace.steps.push(
    `ROC AUC over ${distinct} distinct scores (ties count one half, as Mann–Whitney U / (n+ · n−)); average precision as sklearn's step-wise sum over the same thresholds.`,
  );
  if (isProbability) {
    result.brier = (num(summary.brier_sum) ?? 0) / n;
    result.logLoss = (num(summary.log_loss_sum) ?? 0) / n;
    result.trace.steps.push(
      `Log loss with probabilities clipped to [eps, 1 − eps], eps = ${result.trace.parameters.logLossEps}; Brier = mean (p − y)².`,
    );
  } else {
    warnings.warn(
      "raw-scores",
      `Scores in "${score}" lie outside [0, 1]; log loss and Brier are not computed (ranking metrics only).`,
      score,
    );
  }
  result.rocCurve = [{ fpr: 0, tpr: 0, threshold: null }];
  result.prCurve = [];
  const sorted = rows.filter((r) => r.kind !== "summary").sort((a, b) => (num(a.k) ?? 0) - (num(b.k) ?? 0));
  // One point per (curve, k): a GROUP BY k that DuckDB returned in two rows (threads ≥ 2; see
  // binary-performance-sql.ts) holds the same values twice.
  const seen = new Set<string>();
  for (const r of sorted) {
    const key = `${String(r.kind)}:${num(r.k)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (r.kind === "roc") {
      result.rocCurve.push({ fpr: num(r.fpr) ?? 0, tpr: num(r.tpr) ?? 0, threshold: num(r.threshold) });
    } else if (r.kind === "pr") {
      result.prCurve.push({ precision: num(r.prec) ?? 0, recall: num(r.rec) ?? 0, threshold: num(r.threshold) });
    }
  }
  // sklearn's order: thresholds ascending, then the (recall 0, precision 1) end point.
  result.prCurve.reverse();
  result.prCurve.push({ precision: 1, recall: 0, threshold: null });
  if (distinct > MAX_CURVE_POINTS - 2) {
    result.trace.steps.push(
      `Curves thinned to at most ${MAX_CURVE_POINTS} points for plotting (of ${distinct} thresholds); AUC and AP use all of them.`,
    );
  }
}
