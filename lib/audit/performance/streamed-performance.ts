/**
 * Binary performance of a streamed dataset (read batch by batch, lib/audit/streaming), from
 * aggregates that add up over batches:
 *   - confusion counts, Brier and log-loss sums, null counts: sums, so exact;
 *   - per grid bin of the score (bins at most 1/256 of their values wide, streaming/grid.ts): the
 *     positives and negatives, and each label's lowest and highest score.
 * ROC AUC = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻) over positive–negative pairs. Pairs in different bins are
 * ordered by their bins; pairs in one bin are decided by its minima and maxima when the labels'
 * ranges do not overlap (or the bin holds one score), and otherwise lie anywhere in [0, 1]. So
 * AUC ∈ [lo, hi], reported as the midpoint with `errorBounds.rocAuc` the half-width (0 when every
 * bin is decided). The ROC and precision–recall points are the curves' exact points at the bins'
 * lowest scores as thresholds; average precision is summed over those thresholds only, so it is
 * exact when every bin holds a single score and approximate otherwise (the trace says which).
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, type Row } from "../rows";
import { sumOverBatches } from "../streaming/batch-sums";
import { compileGridBins } from "../streaming/grid";
import type { BatchStream } from "../streaming/profile";
import { requireBinaryLabel, requireColumns, requireNumeric, requireProbabilities } from "../validate";
import { WarningLog } from "../warnings";
import {
  type BinaryPerformanceResult,
  type BinaryPerformanceSpec,
  type ConfusionCounts,
  confusionMetrics,
  FLOAT64_EPS,
  type PrPoint,
  type RocPoint,
  reportDropped,
  validateOptions,
} from "./binary-performance";
import { MAX_CURVE_POINTS, rowInputs } from "./binary-performance-sql";
import { createTrace } from "./trace";

const SUMMARY_FIELDS = [
  "total_rows",
  "null_label",
  "null_score",
  "null_prediction",
  "tp",
  "fp",
  "tn",
  "fn",
  "brier_sum",
  "log_loss_sum",
] as const;
const BIN_FIELDS = ["pos", "neg", "pos_lo", "pos_hi", "neg_lo", "neg_hi"] as const;

/** One statement per batch: the summary row (kind 'summary') and one row per score bin (kind 'bin'). */
export function compileStreamedPerformance(
  spec: BinaryPerformanceSpec & { score: string },
  columns: readonly ColumnInfo[],
  relation: string,
): string {
  const inputs = rowInputs(
    {
      ...spec,
      source: relation,
      threshold: spec.threshold ?? 0.5,
      logLossEps: spec.logLossEps ?? FLOAT64_EPS,
      ranking: "group",
    },
    columns,
  );
  const nullBins = BIN_FIELDS.map((f) => `NULL::DOUBLE AS ${f}`).join(", ");
  const summary = [
    ...inputs.nulls,
    ...inputs.confusion(`${inputs.keep} AND `),
    `fsum(CASE WHEN ${inputs.keep} THEN ${inputs.brierTerm} END) AS brier_sum`,
    `fsum(CASE WHEN ${inputs.keep} THEN ${inputs.logLossTerm} END) AS log_loss_sum`,
  ];
  const nullSummary = SUMMARY_FIELDS.map((f) => `NULL::DOUBLE AS ${f}`).join(", ");
  // The grid reads x; s rides along for the bins' minima and maxima.
  const kept = `SELECT s AS x, s, y FROM (${inputs.rows}) WHERE ${inputs.keep}`;
  return `SELECT 'summary' AS kind, NULL::INTEGER AS bin, ${summary.map((s) => s.replace(/ AS (\w+)$/, "::DOUBLE AS $1")).join(", ")}, ${nullBins}
FROM (${inputs.rows})
UNION ALL
SELECT 'bin' AS kind, bin, ${nullSummary},
  count_if(y = 1)::DOUBLE AS pos, count_if(y = 0)::DOUBLE AS neg,
  min(CASE WHEN y = 1 THEN s END) AS pos_lo, max(CASE WHEN y = 1 THEN s END) AS pos_hi,
  min(CASE WHEN y = 0 THEN s END) AS neg_lo, max(CASE WHEN y = 0 THEN s END) AS neg_hi
FROM (${compileGridBins(kept, ["y", "s"])}) GROUP BY bin`;
}

interface ScoreBin {
  bin: number;
  pos: number;
  neg: number;
  lowest: number;
  posLo: number | null;
  posHi: number | null;
  negLo: number | null;
  negHi: number | null;
}

/** Pairs of one bin where the positive scores higher (plus half the ties), when the bin decides it. */
function decidedPairs(b: ScoreBin): number | null {
  if (b.pos === 0 || b.neg === 0) return 0;
  const { posLo, posHi, negLo, negHi } = b as Required<{ [K in keyof ScoreBin]: number }>;
  if (posLo > negHi) return b.pos * b.neg;
  if (posHi < negLo) return 0;
  if (posLo === posHi && negLo === negHi && posLo === negLo) return 0.5 * b.pos * b.neg;
  return null;
}

/** Binary performance of `spec.source`, read from `batches`. */
export async function runStreamedBinaryPerformance(
  query: QueryFn,
  spec: BinaryPerformanceSpec,
  batches: BatchStream,
): Promise<BinaryPerformanceResult> {
  if (spec.score === undefined) {
    throw new AuditInputError(
      "invalid-option",
      "Performance on a streamed dataset needs a score column (its ROC AUC is the check's measure).",
    );
  }
  if (spec.allowRawScores) {
    throw new AuditInputError(
      "invalid-option",
      "Raw scores (allowRawScores) are not read from a streamed dataset; give probabilities in [0, 1].",
    );
  }
  validateOptions(spec);
  const score = spec.score;
  const columns = batches.columns;
  requireColumns(columns, [spec.label, score, ...(spec.prediction ? [spec.prediction] : [])], spec.source);
  requireNumeric(columns, score, "score");
  const threshold = spec.threshold ?? 0.5;
  const logLossEps = spec.logLossEps ?? FLOAT64_EPS;
  const prediction = spec.prediction;
  const summed = await sumOverBatches(query, batches, {
    checks: [
      (q, relation) => requireBinaryLabel(q, relation, spec.label),
      ...(prediction !== undefined
        ? [(q: QueryFn, relation: string) => requireBinaryLabel(q, relation, prediction)]
        : []),
      (q, relation) => requireProbabilities(q, relation, score),
    ],
    compile: (relation) => compileStreamedPerformance({ ...spec, score }, columns, relation),
    keys: ["kind", "bin"],
    minimum: ["pos_lo", "neg_lo"],
    maximum: ["pos_hi", "neg_hi"],
  });
  const warnings = new WarningLog();
  const trace = createTrace();
  // The statement as it runs on each batch, written against the dataset's name.
  trace.sql.push(compileStreamedPerformance({ ...spec, score }, columns, spec.source));
  trace.parameters = {
    convention: spec.convention ?? "assay",
    positiveWhen: spec.prediction !== undefined ? `${spec.prediction} = 1` : `${score} >= ${threshold}`,
    threshold: spec.prediction !== undefined ? null : threshold,
    logLossEps,
    maxCurvePoints: MAX_CURVE_POINTS,
    batches: summed.batches,
  };
  const summary: Row = summed.rows.find((r) => r.kind === "summary") ?? {};
  const count = (key: string) => num(summary[key]) ?? 0;
  const confusion: ConfusionCounts = { tp: count("tp"), fp: count("fp"), tn: count("tn"), fn: count("fn") };
  const n = confusion.tp + confusion.fp + confusion.tn + confusion.fn;
  const positives = confusion.tp + confusion.fn;
  const negatives = n - positives;
  reportDropped(summary, spec, warnings, trace);
  if (n === 0) {
    throw new AuditInputError(
      "all-null",
      `No row of "${spec.source}" has the label, score${spec.prediction ? " and prediction" : ""} all present.`,
      spec.label,
    );
  }
  if (positives === 0 || negatives === 0) {
    throw new AuditInputError(
      "label-not-binary",
      `The label column "${spec.label}" holds only ${positives === 0 ? "negatives (0)" : "positives (1)"} among the ${n} usable rows; ROC AUC and average precision need both classes. Check the filter or the label mapping.`,
      spec.label,
    );
  }
  trace.steps.push(
    `Streamed: the statement below ran once per batch (row group); counts, sums and per-bin score ranges added up over ${summed.batches} batches of "${spec.source}"; ${n} rows, ${positives} positive and ${negatives} negative labels.`,
  );

  const bins: ScoreBin[] = summed.rows
    .filter((r) => r.kind === "bin")
    .map((r) => {
      const posLo = num(r.pos_lo);
      const negLo = num(r.neg_lo);
      return {
        bin: num(r.bin) ?? 0,
        pos: num(r.pos) ?? 0,
        neg: num(r.neg) ?? 0,
        lowest: Math.min(posLo ?? Number.POSITIVE_INFINITY, negLo ?? Number.POSITIVE_INFINITY),
        posLo,
        posHi: num(r.pos_hi),
        negLo,
        negHi: num(r.neg_hi),
      };
    })
    .sort((a, b) => a.bin - b.bin);

  // AUC: pairs across bins by bin order; within a bin, decided by its ranges or left open.
  let below = 0;
  let decided = 0;
  let open = 0;
  for (const b of bins) {
    decided += b.pos * below;
    const inside = decidedPairs(b);
    if (inside === null) open += b.pos * b.neg;
    else decided += inside;
    below += b.neg;
  }
  const pairs = positives * negatives;
  const rocAuc = (decided + open / 2) / pairs;
  const bound = open / 2 / pairs;

  // Curves and AP from the highest bin down: thresholds at each bin's lowest score.
  const rocCurve: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: null }];
  const prDescending: PrPoint[] = [];
  let tpAbove = 0;
  let fpAbove = 0;
  let ap = 0;
  let previousRecall = 0;
  for (const b of [...bins].reverse()) {
    tpAbove += b.pos;
    fpAbove += b.neg;
    const recall = tpAbove / positives;
    const precision = tpAbove / (tpAbove + fpAbove);
    ap += (recall - previousRecall) * precision;
    previousRecall = recall;
    rocCurve.push({ fpr: fpAbove / negatives, tpr: recall, threshold: b.lowest });
    prDescending.push({ precision, recall, threshold: b.lowest });
  }
  const single = bins.every((b) =>
    [b.posLo, b.posHi, b.negLo, b.negHi].filter((x) => x !== null).every((x) => x === b.lowest),
  );
  const thin = <T>(points: T[]): T[] => {
    if (points.length <= MAX_CURVE_POINTS) return points;
    const step = Math.ceil(points.length / (MAX_CURVE_POINTS - 2));
    return points.filter((_, i) => i % step === 0 || i === points.length - 1);
  };
  const prCurve = [...thin(prDescending)].reverse();
  prCurve.push({ precision: 1, recall: 0, threshold: null });

  trace.steps.push(
    bound > 0
      ? `APPROXIMATE: ROC AUC in [${rocAuc - bound}, ${rocAuc + bound}] (${open} of ${pairs} positive–negative pairs share a score bin with overlapping ranges); reported as the midpoint ± ${bound}.`
      : `ROC AUC exact: every positive–negative pair is ordered by its score bins (${bins.length} bins).`,
    single
      ? "Average precision exact: every bin holds a single score."
      : `Average precision APPROXIMATE: summed over ${bins.length} bin thresholds (each bin's lowest score), not every distinct score.`,
    `Curves: exact (FPR, TPR) and (recall, precision) points at ${bins.length} bin thresholds${bins.length > MAX_CURVE_POINTS ? `, thinned to ${MAX_CURVE_POINTS}` : ""}.`,
    `Log loss with probabilities clipped to [eps, 1 − eps], eps = ${logLossEps}; Brier = mean (p − y)².`,
  );
  const zeroDivision = spec.convention === "sklearn" ? "zero" : "null";
  return {
    ...confusionMetrics(confusion, zeroDivision, warnings),
    rocAuc,
    prAuc: ap,
    logLoss: count("log_loss_sum") / n,
    brier: count("brier_sum") / n,
    confusion,
    n,
    positives,
    rocCurve: thin(rocCurve),
    prCurve,
    trace,
    warnings: warnings.items,
    ...(bound > 0 ? { errorBounds: { rocAuc: bound } } : {}),
  };
}
