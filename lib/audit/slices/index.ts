export {
  binIndexSql,
  binInterval,
  binLabels,
  distinctEdges,
  formatDistinct,
  NAN_BIN,
  type NumericBins,
} from "./numeric-bins";
export {
  gapSql,
  SLICE_METRICS,
  type SliceMetric,
  type SliceMetricSql,
  sliceMetricSql,
  type WorseDirection,
} from "./slice-metric";
export {
  type BlockCandidate,
  type BlockLayout,
  blockLayout,
  compileBlockedGrouped,
  MAX_PACKED_LEVELS,
  MAX_PART_CODES,
} from "./slice-blocks";
export {
  describeSlice,
  MAX_SLICE_LEVELS,
  runWorstSlices,
  type Slice,
  type SliceCondition,
  type WorstSlicesResult,
  type WorstSlicesSpec,
} from "./worst-slices";
export {
  compileSliceCandidates,
  compileWorstSlices,
  groupingSets,
  keepPredicate,
  type SliceCandidate,
  type SliceRoles,
  type WorstSlicesSqlSpec,
} from "./worst-slices-sql";
