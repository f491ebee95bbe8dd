export { type ColumnKind, columnKind, TYPE_FAMILIES, type TypeFamily, typeMatches } from "./column-kind";
export {
  type ColumnRules,
  type CompiledRule,
  type Contract,
  type ContractResult,
  type ContractRule,
  type ContractSpec,
  compileColumnRules,
  compileContractCounts,
  compileContractExamples,
  runContract,
  type Violation,
  type ViolationExample,
} from "./contract";
export {
  type ColumnProfile,
  compileNonFiniteCounts,
  compileQualityProfile,
  compileRowCount,
  PROFILE_QUANTILES,
  type QualityProfileResult,
  type QualityProfileSpec,
  type QuantileName,
  runQualityProfile,
  type ScanPlan,
  type TopValue,
} from "./profile";
export {
  type CategoricalSummary,
  compileCardinalityProbe,
  compileCategoricalSummary,
  planCategoricalGroups,
  TOP_VALUES,
} from "./profile-categorical";
export {
  compileExactDistinct,
  compileHistograms,
  compileSampledDistinct,
  DISTINCT_ALPHA,
  DISTINCT_SAMPLE_RATE,
  type DistinctEstimate,
  distinctEstimate,
  EXACT_PROFILE_ROWS,
  planHistogram,
  QUANTILE_BINS,
  type QuantileEstimate,
  quantilesFromExactBins,
  quantilesFromHistogram,
  SAMPLE_EXACT_BELOW,
} from "./profile-large";
export { compareSchemas, diffSchemas, type SchemaDiff, type SchemaDiffSpec, type TypeChange } from "./schema-diff";
