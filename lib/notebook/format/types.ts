/**
 * The exported notebook file (`*.assay.json`), format version 1. See docs/notebook-format.md
 * for every field; `spec.ts` is the machine-readable form the validator and the JSON Schema
 * (docs/notebook.schema.json) are both derived from.
 */
import type { JsonValue } from "../../provenance/canonical-json";

export const NOTEBOOK_FORMAT = "assay-notebook";
export const NOTEBOOK_FORMAT_VERSION = 1;
/** Name of the canonical JSON rules every digest in the file is computed over. */
export const CANONICALIZATION = "assay-jcs-1";

/** One cell as saved. `kind` is open ("sql", "markdown", "check", …) and `params` any JSON object. */
export interface FileCell {
  id: string;
  kind: string;
  name: string;
  source: string;
  params?: { [key: string]: JsonValue };
}

export interface FileColumn {
  name: string;
  /** The engine's type name, e.g. `DOUBLE`. */
  type: string;
}

/** A dataset the notebook was run on, identified by the SHA-256 of the file's bytes. */
export interface FileDataset {
  name: string;
  fileName: string;
  format: string;
  sizeBytes: number;
  rows: number;
  columns: FileColumn[];
  sha256: string;
  /** Streamed (read row group by row group) instead of loaded (lib/audit/streaming): every check family reads it. */
  streamed?: true;
}

export type VerdictStatus = "pass" | "warn" | "fail" | "error";

/** One verdict of a check cell. */
export interface Verdict {
  label: string;
  status: VerdictStatus;
  detail?: JsonValue;
}

/** What a cell produced when it was last run. */
export interface CellResultRecord {
  /** `hashResult` over the full result (docs/notebook-format.md, "Result hash"). */
  resultHash: string;
  /** Whether row order is part of the hash (the query orders its rows) or rows were sorted first. */
  ordered: boolean;
  rowCount: number;
  columns: FileColumn[];
  /** The first ≤ 20 rows, one array per row aligned with `columns`, as JSON-safe values. */
  summary: JsonValue[][];
  verdicts?: Verdict[];
  /** ISO-8601 UTC time the cell finished. */
  ranAt: string;
  engineVersion: string;
}

/** One hash-chained entry of the evidence log. */
export interface EvidenceEntry {
  at: string;
  cellId: string;
  cellName: string;
  inputs: { name: string; sha256: string }[];
  verdict: VerdictStatus | null;
  resultHash: string;
  /** `hash` of the previous entry; 64 zeros for the first. */
  prev: string;
  /** SHA-256 of the canonical JSON of this entry without `hash`. */
  hash: string;
}

export interface Manifest {
  algorithm: "sha-256";
  canonicalization: typeof CANONICALIZATION;
  /** SHA-256 of the canonical JSON of the file without `manifest` and `signature`. */
  digest: string;
  /** Digest per part (`notebook.cells["c1"].source` → hex), used to name what was altered. */
  parts: Record<string, string>;
}

export type SignatureAlgorithm = "ECDSA-P256-SHA256" | "Ed25519";

/** Public key as a JWK (only the members that define the key). */
export interface PublicKeyJwk {
  kty: string;
  crv: string;
  x: string;
  y?: string;
}

export interface NotebookSignature {
  algorithm: SignatureAlgorithm;
  publicKeyJwk: PublicKeyJwk;
  /** RFC 7638 thumbprint (SHA-256, hex) of `publicKeyJwk`. */
  fingerprint: string;
  /** base64url signature over the canonical JSON of the file without `signature`. */
  value: string;
}

export interface AssayNotebookFile {
  format: typeof NOTEBOOK_FORMAT;
  version: typeof NOTEBOOK_FORMAT_VERSION;
  createdAt: string;
  app: { name: string; version: string };
  engine: { name: "duckdb"; version: string; nativeVersion?: string };
  notebook: { title: string; cells: FileCell[]; datasets: FileDataset[] };
  results: Record<string, CellResultRecord>;
  evidence: EvidenceEntry[];
  manifest: Manifest;
  signature?: NotebookSignature;
}

/** A file before it is sealed: everything the manifest covers. */
export type NotebookContent = Omit<AssayNotebookFile, "manifest" | "signature">;

/** A problem found when reading a file; `path` names the field (`notebook.cells[2].name`). */
export interface FormatError {
  path: string;
  message: string;
}
