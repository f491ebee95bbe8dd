export {
  CANARY_METRICS,
  type CanaryDelta,
  type CanaryMetric,
  type CanaryMetrics,
  type CanaryResult,
  type CanarySpec,
  runCanaryComparison,
  type VersionValue,
} from "./canary";
export {
  type CanarySides,
  compileCanarySummary,
  compileDisagreement,
  predictedPositiveSql,
} from "./canary-sql";
