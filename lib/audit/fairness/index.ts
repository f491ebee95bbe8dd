export {
  AEQUITAS_DIVIDE_BY_ZERO,
  DISPARITY_METRICS,
  type Disparity,
  type DisparityMetric,
  disparities,
  FAIR_LOWER,
  FAIR_UPPER,
  type Spread,
  spread,
} from "./disparity";
export {
  FAIRNESS_CALIBRATION_BINS,
  type FairnessAttributeResult,
  type FairnessResult,
  type FairnessSpec,
  INTERSECTION_SEPARATOR,
  runFairness,
} from "./fairness";
export { compileFairnessCounts, type FairnessSqlSpec, groupingId, thresholdPrediction } from "./fairness-sql";
export { type FairnessConvention, type FairnessGroup, groupRates, RATE_NAMES, type RateName } from "./group-rates";
