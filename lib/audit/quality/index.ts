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
  compileQualityProfile,
  compileTopValues,
  PROFILE_QUANTILES,
  type QualityProfileResult,
  type QualityProfileSpec,
  type QuantileName,
  runQualityProfile,
  TOP_VALUES,
  type TopValue,
} from "./profile";
export { compareSchemas, diffSchemas, type SchemaDiff, type SchemaDiffSpec, type TypeChange } from "./schema-diff";
