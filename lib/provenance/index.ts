export { CanonicalJsonError, canonicalBytes, canonicalJson, type JsonValue } from "./canonical-json";
export {
  type RecomputedResult,
  type RunComparison,
  type RunStatus,
  compareRuns,
  type ValueDifference,
} from "./compare-runs";
export { digestJson, sha256Hex } from "./digest";
export {
  appendEvidence,
  type EvidenceCheck,
  type EvidenceInput,
  GENESIS_HASH,
  entryHash,
  verifyEvidence,
} from "./evidence-log";
export { HASH_CHUNK_BYTES, type HashWorkerApi, sha256OfBlob } from "./file-hash";
export { computeManifest, type ManifestCheck, type ManifestMismatch, sealNotebook, verifyManifest } from "./manifest";
export {
  type HashResultOptions,
  hashResult,
  RESULT_HASH_VERSION,
  type ResultHash,
  summarizeResult,
} from "./result-hash";
export { canonicalNumber, isoFromMicros, RESULT_HASH_DIGITS } from "./result-values";
export {
  exportSigningKey,
  fingerprint,
  formatFingerprint,
  generateSigningKey,
  importSigningKey,
  type SignatureCheck,
  type SignatureStatus,
  type SigningKey,
  signNotebook,
  verifySignature,
} from "./signature";
export { type DatasetCheck, type DatasetStatus, verifyDatasets } from "./verify-datasets";
export { type FormCheck, type NotebookVerification, type Problem, verifyNotebookText } from "./verify-notebook";
export { recomputedResult, type ResultRecordOptions, resultRecord, SUMMARY_ROWS } from "./result-record";
