/**
 * The saved notebook document. Only this part is hashed, exported and restored; runtime
 * state (status, results, timings) lives in the store and is never part of the document.
 */

/** Stable random id: a cell keeps it when edited or renamed. */
export type CellId = string & { readonly __brand: "CellId" };

import type { CheckParams } from "../audit/checks/types";
import type { CellResultRecord, EvidenceEntry } from "./format/types";

export type CellKind = "sql" | "markdown" | "check" | "ts";

export interface CellData {
  id: CellId;
  kind: CellKind;
  /** For SQL cells: the name later cells use to query the result. For checks: their title. */
  name: string;
  /** SQL, Markdown or TypeScript text; empty for checks. */
  source: string;
  /** For check cells: the family, its datasets and columns, and its thresholds. */
  params?: CheckParams;
}

/** A dataset the notebook uses, as it was loaded. */
export interface DatasetRef {
  name: string;
  fileName: string;
  format: string;
  sizeBytes: number;
  rows: number;
  columns: { name: string; type: string }[];
  /** SHA-256 of the file's bytes (hex); absent while it is being computed. */
  sha256?: string;
  /**
   * Profiled row group by row group instead of loaded (for files larger than memory): there is no
   * table to query; the check families in STREAMABLE_FAMILIES read it, from its streamed profile or by
   * reading the file again row group by row group (lib/audit/streaming).
   */
  streamed?: true;
}

export interface NotebookDocument {
  title: string;
  cells: CellData[];
  datasets: DatasetRef[];
  /** Hash-chained record of every check run (see lib/provenance/evidence-log). */
  evidence?: EvidenceEntry[];
  /** Set when the notebook came from a file: what it was and what verification found. */
  imported?: ImportedFrom;
  /**
   * Whether the person chose to run this notebook's TypeScript cells. Absent for notebooks made
   * here; an imported notebook's TypeScript cells wait until it is true (lib/store/ts-cell).
   */
  trusted?: boolean;
}

/** Where an imported notebook came from, and the results it arrived with. */
export interface ImportedFrom {
  fileName: string;
  at: string;
  /** The results recorded in the file, per cell id, for Re-run and verify. */
  results: Record<string, CellResultRecord>;
  /** One line per verification finding, e.g. "signature valid: 3F2A …". */
  verification: string[];
  valid: boolean;
}

export function createCellId(): CellId {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return `c${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}` as CellId;
}
