/** Drift from profiles streamed batch by batch (see profile.ts and streamed-drift.ts). */
export { GRID_SUB_BITS, gridBinOf, gridBinRange } from "./grid";
export {
  type BatchStream,
  DEFAULT_MAX_CATEGORIES,
  parseStreamedProfile,
  profileStream,
  STREAMED_PROFILE_FORMAT,
  type StreamedColumn,
  type StreamedProfile,
  type StreamedProfileOptions,
} from "./profile";
export { type BatchSumsSpec, sumOverBatches } from "./batch-sums";
export { type StreamedDriftOptions, streamedDrift } from "./streamed-drift";
export {
  operationalFromStreamedProfile,
  type StreamedOperationalResult,
  type StreamedOperationalSpec,
} from "./streamed-operational";
export { qualityFromStreamedProfile, streamedSchema } from "./streamed-quality";
export { tableBatches, wholeRelation } from "./table-batches";
