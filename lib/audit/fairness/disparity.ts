/**
 * Between-group comparisons for one attribute.
 *
 * Fairlearn (`fairlearn/metrics/_fairness_metrics.py`, method 'between_groups'):
 * demographic parity difference = max − min of selection rates, ratio = min / max;
 * equal opportunity = the same on TPR; equalized odds difference = max(TPR difference,
 * FPR difference), ratio = min(TPR ratio, FPR ratio). Groups whose rate is undefined
 * (null) are left out of the comparison; fewer than two defined rates, or a ratio with
 * max = 0, give null. Equalized odds is null when either part is.
 *
 * Aequitas (`src/aequitas/bias.py`): disparity = metric_group / metric_reference, the
 * reference being the largest group unless named; a zero reference gives 10 in the
 * `aequitas` convention when the group's metric is positive (0/0 stays undefined) and
 * null with a warning otherwise. Fair when 0.8 ≤ disparity ≤ 1.25 (the four-fifths rule
 * read both ways). `ppr` is the group's share of all predicted positives.
 */
import type { WarningLog } from "../warnings";
import type { FairnessConvention, FairnessGroup, RateName } from "./group-rates";

/** Aequitas's value for x / 0 with x > 0. */
export const AEQUITAS_DIVIDE_BY_ZERO = 10;
/** Four-fifths band. */
export const FAIR_LOWER = 0.8;
export const FAIR_UPPER = 1.25;

export interface Spread {
  difference: number | null;
  ratio: number | null;
}

/** max − min and min / max over the defined values. */
export function spread(values: readonly (number | null)[]): Spread {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length < 2) return { difference: null, ratio: null };
  const max = Math.max(...defined);
  const min = Math.min(...defined);
  return { difference: max - min, ratio: max === 0 ? null : min / max };
}

export type DisparityMetric = RateName | "predictedPositiveShare";

/** Metrics compared with the reference group (Aequitas's pprev, ppr, tpr, fpr, fnr, tnr, precision). */
export const DISPARITY_METRICS: readonly DisparityMetric[] = [
  "selectionRate",
  "predictedPositiveShare",
  "tpr",
  "fpr",
  "fnr",
  "tnr",
  "precision",
];

export interface Disparity {
  group: string;
  metric: DisparityMetric;
  /** metric_group / metric_reference; null when undefined. */
  ratio: number | null;
  /** 0.8 ≤ ratio ≤ 1.25; null when the ratio is. */
  fourFifthsPass: boolean | null;
}

function metricOf(group: FairnessGroup, metric: DisparityMetric, totalPredictedPositives: number): number | null {
  if (metric === "predictedPositiveShare") {
    return totalPredictedPositives === 0 ? null : group.predictedPositives / totalPredictedPositives;
  }
  return group[metric];
}

/** Aequitas-style disparities of every non-reference group. */
export function disparities(
  attribute: string,
  groups: readonly FairnessGroup[],
  reference: FairnessGroup,
  convention: FairnessConvention,
  warnings: WarningLog,
): Disparity[] {
  const totalPp = groups.reduce((acc, g) => acc + g.predictedPositives, 0);
  const out: Disparity[] = [];
  for (const metric of DISPARITY_METRICS) {
    const ref = metricOf(reference, metric, totalPp);
    for (const g of groups) {
      if (g === reference) continue;
      const value = metricOf(g, metric, totalPp);
      let ratio: number | null = null;
      if (value !== null && ref !== null) {
        if (ref !== 0) ratio = value / ref;
        else if (convention === "aequitas" && value > 0) ratio = AEQUITAS_DIVIDE_BY_ZERO;
        else {
          warnings.warn(
            "undefined-disparity",
            `${attribute}: the ${metric} disparity of "${g.group}" is undefined (reference "${reference.group}" has ${metric} 0).`,
          );
        }
      }
      out.push({
        group: g.group,
        metric,
        ratio,
        fourFifthsPass: ratio === null ? null : ratio >= FAIR_LOWER && ratio <= FAIR_UPPER,
      });
    }
  }
  return out;
}
