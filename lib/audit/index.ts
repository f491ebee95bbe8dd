/**
 * Every audit family under its own namespace (`drift.runDrift`, `quality.diffSchemas`…), so
 * families may share helper names without clashing, plus the standard audit and the shared
 * error and warning types at the top level.
 */
export * as calibration from "./calibration";
export * as canary from "./canary";
export { AuditInputError, type AuditInputProblem } from "./errors";
export * as drift from "./drift";
export * as fairness from "./fairness";
export * as operational from "./operational";
export * as performance from "./performance";
export * as quality from "./quality";
export * as slices from "./slices";
export * from "./standard-audit";
export * as stats from "./stats";
export { type AuditWarning, WarningLog } from "./warnings";
