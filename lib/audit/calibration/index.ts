export {
  type IndexBinLayout,
  linearPercentiles,
  nannymlLayout,
  percentilePositions,
  quantileLevels,
  uniformEdges,
} from "./bin-edges";
export {
  type CalibrationGroup,
  type CalibrationResult,
  type CalibrationSpec,
  NULL_GROUP,
  runCalibration,
} from "./calibration";
export {
  type CalibrationSqlSpec,
  type CalibrationStrategy,
  compileCalibrationBins,
  compileOrderStatistics,
  compileScoreCount,
  edgeBinExpression,
} from "./calibration-sql";
export { type BinAggregate, type Reliability, type ReliabilityBin, reliabilityFromBins } from "./reliability";
