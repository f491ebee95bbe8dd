export {
  type HistogramBin,
  type LatencySummary,
  type OperationalResult,
  type OperationalSpec,
  runOperational,
} from "./operational";
export {
  compileOperational,
  type ErrorPredicate,
  errorPredicateSql,
  LATENCY_QUANTILES,
  type OperationalSqlSpec,
} from "./operational-sql";
