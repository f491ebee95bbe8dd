export {
  type ConventionComparison,
  compareDriftConventions,
  compareFairnessConventions,
  DRIFT_CONVENTIONS,
  type DriftConventionComparison,
  FAIRNESS_CONVENTIONS,
  type FairnessConventionComparison,
} from "./conventions";
export { type CheckContext, DEFAULT_THRESHOLDS, defaultCheckParams, FAMILY_TITLES } from "./defaults";
export { type ColumnGuesses, guessColumns } from "./guess-columns";
export { recordingQuery, runCheck } from "./run-check";
export * from "./types";
export { judge, measure, WARN_MARGIN, worstVerdict } from "./verdict";
