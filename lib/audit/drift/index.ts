/** Drift audit: reference vs current, per column, with the test chosen by Evidently's rule. */
export { type BinPlan, type NumericBinInputs, planNumericBins, quantileBins } from "./bin-plan";
export {
  compileCategoricalCounts,
  compileOneSideCategoryCounts,
  decodeCategoricalCounts,
  decodeOneSideCategoryCounts,
} from "./categorical-counts-sql";
export { chiSquareContingency, chiSquareGoodnessOfFit, twoProportionZTest } from "./categorical-tests";
export {
  type CategoricalColumnInput,
  categoricalColumnResult,
  type NumericColumnInput,
  numericColumnResult,
  VALUE_LIST_CAP,
} from "./column-result";
export { type PlannedColumn, planColumns } from "./columns";
export { jensenShannon, PSI_EPSILON, psi, psiShares } from "./divergence";
export { doubleLiteral } from "./double-literal";
export { DECILES, distinctEdges, doaneEdges, linspace, sturgesEdges } from "./histogram-edges";
export {
  type BinSpec,
  binIndexSql,
  compileNumericDistribution,
  compileNumericValueCounts,
  compileUnseenSummary,
  decodeNumericDistribution,
  decodeNumericValueCounts,
  decodeUnseenSummary,
  type InlineReference,
  type NumericDistributionSpec,
} from "./numeric-distribution-sql";
export {
  compileNumericSummary,
  compileOneSideSummary,
  compileSkewness,
  decodeNumericSummary,
  decodeOneSideSummary,
} from "./numeric-summary-sql";
export {
  computeReferenceProfile,
  DEFAULT_EXACT_CAP,
  DEFAULT_SKETCH_SIZE,
  type ReferenceProfileOptions,
} from "./reference-profile";
export { type ProfileRow, profileFromRows, profileToRows, profileToSql } from "./profile-rows";
export type {
  ExactDistribution,
  ProfileCategoricalColumn,
  ProfileColumn,
  ProfileNumericColumn,
  QuantileSketch,
  ReferenceProfile,
} from "./reference-profile-types";
export { isReferenceProfile, PROFILE_FORMAT } from "./reference-profile-types";
export {
  compileOrderStatistics,
  decodeOrderStatistics,
  sketchFromOrderStatistics,
  sketchRanks,
} from "./quantile-sketch";
export { type DriftOptions, runDrift } from "./run-drift";
export { DISTANCE_THRESHOLD, P_THRESHOLD, SMALL_REFERENCE, selectTest, type TestChoice } from "./select-test";
export { compileSketchDistribution, decodeSketchDistribution, sketchCdf } from "./sketch-distribution-sql";
export type {
  BinScheme,
  ColumnKind,
  DriftBins,
  DriftColumnResult,
  DriftConvention,
  DriftMethod,
  DriftResult,
  KsMode,
  TestOutcome,
} from "./types";
