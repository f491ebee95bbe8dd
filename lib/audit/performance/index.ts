export { binaryExpression } from "./binary-label";
export {
  type BinaryPerformanceResult,
  type BinaryPerformanceSpec,
  type ConfusionCounts,
  FLOAT64_EPS,
  type PrPoint,
  type RocPoint,
  runBinaryPerformance,
} from "./binary-performance";
export { type BinaryPerformanceSqlSpec, compileBinaryPerformance, MAX_CURVE_POINTS } from "./binary-performance-sql";
export {
  chooseRanking,
  compileRankingProbe,
  estimateDistinct,
  type RankingStrategy,
  SAMPLE_ROWS,
  SORT_ABOVE,
} from "./ranking-strategy";
export { safeRatio, type ZeroDivision } from "./ratio";
export { type AuditTrace, createTrace, type TraceValue } from "./trace";
export {
  type ClassMetrics,
  compileMulticlassCounts,
  MAX_CLASSES,
  type MulticlassPerformanceResult,
  type MulticlassPerformanceSpec,
  runMulticlassPerformance,
} from "./multiclass-performance";
export {
  compileRegressionPerformance,
  type RegressionPerformanceResult,
  type RegressionPerformanceSpec,
  runRegressionPerformance,
} from "./regression-performance";
