/**
 * The metrics a slice can be ranked by, as SQL aggregates over per-row columns
 * `y` (label 0/1), `yhat` (predicted 0/1) and `s` (score), and the direction that is worse.
 *
 * - rates (value = num / den, 95% Wilson interval on num of den; undefined when den = 0):
 *   accuracy = mean(yhat = y); error_rate = mean(yhat ≠ y); recall = TP / (y = 1);
 *   precision = TP / (yhat = 1); fpr = FP / (y = 0); selection_rate = mean(yhat).
 * - means (value = sum / n, normal interval mean ± z·sd/√n with the sample sd):
 *   mean_score = mean(s); log_loss = mean(−[y ln p̃ + (1 − y) ln(1 − p̃)]), p̃ = clip(s, eps, 1 − eps),
 *   sklearn `log_loss`.
 * Worse direction: lower for accuracy, recall, precision; higher for error_rate, fpr, log_loss;
 * either way for selection_rate and mean_score (no direction is worse, so the gap is |value − overall|).
 */
import { numberLiteral } from "../../sql/identifiers";

export const SLICE_METRICS = [
  "accuracy",
  "error_rate",
  "recall",
  "precision",
  "fpr",
  "selection_rate",
  "mean_score",
  "log_loss",
] as const;
export type SliceMetric = (typeof SLICE_METRICS)[number];

export type WorseDirection = "lower" | "higher" | "either";

export interface SliceMetricSql {
  kind: "rate" | "mean";
  /** Aggregate for the numerator (rates) or the sum (means). */
  num: string;
  /** Aggregate for the denominator (rates) or the count (means). */
  den: string;
  /** Aggregate for the sample variance of the per-row value (means only). */
  variance?: string;
  /** The per-row value whose mean a mean metric is (means only): streamed slices sum it batch by batch. */
  row?: string;
  direction: WorseDirection;
  /** Whether the metric reads the score column (else it reads the prediction). */
  needsScore: boolean;
}

/** SQL aggregates for `metric`; `eps` clips probabilities for log loss. */
export function sliceMetricSql(metric: SliceMetric, eps: number): SliceMetricSql {
  const rate = (num: string, den: string, direction: WorseDirection): SliceMetricSql => ({
    kind: "rate",
    num: `sum(${num})`,
    den: den === "n" ? "count(*)" : `sum(${den})`,
    direction,
    needsScore: false,
  });
  switch (metric) {
    case "accuracy":
      return rate("CAST(y = yhat AS INTEGER)", "n", "lower");
    case "error_rate":
      return rate("CAST(y <> yhat AS INTEGER)", "n", "higher");
    case "recall":
      return rate("y * yhat", "y", "lower");
    case "precision":
      return rate("y * yhat", "yhat", "lower");
    case "fpr":
      return rate("(1 - y) * yhat", "1 - y", "higher");
    case "selection_rate":
      return rate("yhat", "n", "either");
    case "mean_score":
      return {
        kind: "mean",
        num: "sum(s)",
        den: "count(*)",
        variance: "var_samp(s)",
        row: "s",
        direction: "either",
        needsScore: true,
      };
    case "log_loss": {
      const e = numberLiteral(eps);
      const p = `greatest(least(s, 1 - ${e}), ${e})`;
      const loss = `-(y * ln(${p}) + (1 - y) * ln(1 - ${p}))`;
      return {
        kind: "mean",
        num: `sum(${loss})`,
        den: "count(*)",
        variance: `var_samp(${loss})`,
        row: loss,
        direction: "higher",
        needsScore: true,
      };
    }
  }
}

/** The gap of a slice value against the overall value, as `gapSql` computes it: positive is worse. */
export function gapOf(direction: WorseDirection, value: number, overall: number): number {
  if (direction === "lower") return overall - value;
  if (direction === "higher") return value - overall;
  return Math.abs(value - overall);
}

/** SQL for the gap of a slice value `v` against the overall value `o`: positive is worse. */
export function gapSql(direction: WorseDirection, v: string, o: string): string {
  if (direction === "lower") return `(${o} - ${v})`;
  if (direction === "higher") return `(${v} - ${o})`;
  return `abs(${v} - ${o})`;
}
