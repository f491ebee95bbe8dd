/**
 * Per-group rates from confusion counts, each with a 95% Wilson interval
 * (`lib/audit/stats/wilson.ts`):
 * selection rate = (tp + fp) / n, TPR = tp / (tp + fn), FPR = fp / (fp + tn),
 * FNR = fn / (tp + fn), TNR = tn / (fp + tn), precision = tp / (tp + fp),
 * accuracy = (tp + tn) / n.
 * A rate with a zero denominator is null in the `assay` and `aequitas` conventions (with
 * a warning) and 0 in the `fairlearn` convention (Fairlearn's rates come from sklearn's
 * normalised confusion matrix, whose 0/0 cells become 0).
 */
import type { ConfusionCounts } from "../performance/binary-performance";
import { safeRatio } from "../performance/ratio";
import { type Interval, wilsonInterval } from "../stats/wilson";
import type { WarningLog } from "../warnings";

export type FairnessConvention = "assay" | "fairlearn" | "aequitas";

/** The rates compared across groups, by result field name. */
export const RATE_NAMES = ["selectionRate", "tpr", "fpr", "fnr", "tnr", "precision", "accuracy"] as const;
export type RateName = (typeof RATE_NAMES)[number];

export interface FairnessGroup {
  /** The group's value(s) as text; null values show as "(null)", intersections join with " × ". */
  group: string;
  count: number;
  selectionRate: number | null;
  selectionRateCi: Interval | null;
  tpr: number | null;
  tprCi: Interval | null;
  fpr: number | null;
  fprCi: Interval | null;
  fnr: number | null;
  fnrCi: Interval | null;
  tnr: number | null;
  tnrCi: Interval | null;
  precision: number | null;
  precisionCi: Interval | null;
  accuracy: number | null;
  accuracyCi: Interval | null;
  /** Rows with a positive label. */
  positives: number;
  /** Rows with a negative label. */
  negatives: number;
  predictedPositives: number;
  confusion: ConfusionCounts;
  /** Expected calibration error within the group (null without a probability score). */
  ece: number | null;
  /** Fewer rows than `minGroupSize`: reported, flagged, never dropped. */
  small: boolean;
}

/** Rates and intervals for one group. */
export function groupRates(
  attribute: string,
  group: string,
  c: ConfusionCounts,
  convention: FairnessConvention,
  warnings: WarningLog,
): Omit<FairnessGroup, "ece" | "small"> {
  const n = c.tp + c.fp + c.tn + c.fn;
  const positives = c.tp + c.fn;
  const negatives = c.fp + c.tn;
  const predictedPositives = c.tp + c.fp;
  const zeroDivision = convention === "fairlearn" ? "zero" : "null";
  const rate = (k: number, d: number, what: string, why: string): [number | null, Interval | null] => [
    safeRatio(
      k,
      d,
      zeroDivision,
      warnings,
      "undefined-rate",
      `${attribute} = ${group}: ${what} is undefined (${why}); reported as null.`,
    ),
    wilsonInterval(k, d),
  ];
  const [selectionRate, selectionRateCi] = rate(predictedPositives, n, "selection rate", "no rows");
  const [tpr, tprCi] = rate(c.tp, positives, "TPR", "no positive labels");
  const [fpr, fprCi] = rate(c.fp, negatives, "FPR", "no negative labels");
  const [fnr, fnrCi] = rate(c.fn, positives, "FNR", "no positive labels");
  const [tnr, tnrCi] = rate(c.tn, negatives, "TNR", "no negative labels");
  const [precision, precisionCi] = rate(c.tp, predictedPositives, "precision", "no predicted positives");
  const [accuracy, accuracyCi] = rate(c.tp + c.tn, n, "accuracy", "no rows");
  return {
    group,
    count: n,
    selectionRate,
    selectionRateCi,
    tpr,
    tprCi,
    fpr,
    fprCi,
    fnr,
    fnrCi,
    tnr,
    tnrCi,
    precision,
    precisionCi,
    accuracy,
    accuracyCi,
    positives,
    negatives,
    predictedPositives,
    confusion: c,
  };
}
