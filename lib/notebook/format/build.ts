/**
 * Builds a sealed notebook file from the saved document, the last results and the evidence
 * log: sources get \n line ends, results of cells that no longer exist are dropped, and the
 * manifest is computed. Sign it afterwards with signNotebook when the person has a key.
 */
import type { JsonValue } from "../../provenance/canonical-json";
import { sealNotebook } from "../../provenance/manifest";
import type { DatasetRef } from "../types";
import { normalizeNewlines } from "./serialize";
import {
  type AssayNotebookFile,
  type CellResultRecord,
  type EvidenceEntry,
  NOTEBOOK_FORMAT,
  NOTEBOOK_FORMAT_VERSION,
} from "./types";

/** A cell as the document holds it; any kind, optional JSON params. */
export interface BuildCell {
  id: string;
  kind: string;
  name: string;
  source: string;
  params?: Record<string, unknown>;
}

export interface BuildInput {
  document: { title: string; cells: readonly BuildCell[]; datasets: readonly DatasetRef[] };
  results?: Readonly<Record<string, CellResultRecord>>;
  evidence?: readonly EvidenceEntry[];
  app: { name: string; version: string };
  engine: { version: string; nativeVersion?: string };
  /** ISO-8601 UTC; now when omitted. */
  createdAt?: string;
}

/** Export is not possible yet (e.g. a dataset's hash is still being computed). */
export class NotebookExportError extends Error {
  override name = "NotebookExportError";
}

export async function buildNotebookFile(input: BuildInput): Promise<AssayNotebookFile> {
  const { document } = input;
  const pending = document.datasets.filter((d) => !d.sha256);
  if (pending.length > 0) {
    throw new NotebookExportError(
      `The SHA-256 of ${pending.map((d) => `"${d.fileName}"`).join(", ")} is still being computed; export when it is done.`,
    );
  }
  const cellIds = new Set(document.cells.map((c) => c.id));
  const results = Object.fromEntries(Object.entries(input.results ?? {}).filter(([id]) => cellIds.has(id)));
  return sealNotebook({
    format: NOTEBOOK_FORMAT,
    version: NOTEBOOK_FORMAT_VERSION,
    createdAt: input.createdAt ?? new Date().toISOString(),
    app: { name: input.app.name, version: input.app.version },
    engine: {
      name: "duckdb",
      version: input.engine.version,
      ...(input.engine.nativeVersion ? { nativeVersion: input.engine.nativeVersion } : {}),
    },
    notebook: {
      title: input.document.title,
      cells: document.cells.map((c) => ({
        id: c.id,
        kind: c.kind,
        name: c.name,
        source: normalizeNewlines(c.source),
        ...(c.params ? { params: c.params as { [key: string]: JsonValue } } : {}),
      })),
      datasets: document.datasets.map((d) => ({
        name: d.name,
        fileName: d.fileName,
        format: d.format,
        sizeBytes: d.sizeBytes,
        rows: d.rows,
        columns: d.columns.map(({ name, type }) => ({ name, type })),
        sha256: (d.sha256 as string).toLowerCase(),
        ...(d.streamed ? { streamed: true as const } : {}),
      })),
    },
    results,
    evidence: [...(input.evidence ?? [])],
  });
}
