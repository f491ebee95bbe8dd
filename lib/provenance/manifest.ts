/**
 * The manifest: one SHA-256 over the canonical JSON of the whole file (without `manifest` and
 * `signature`), plus one digest per part (each cell field, dataset field, result field,
 * evidence entry…) so that verification can say *what* was altered, not only that something was.
 */
import { childPath } from "../notebook/format/json-text";
import {
  type AssayNotebookFile,
  CANONICALIZATION,
  type Manifest,
  type NotebookContent,
} from "../notebook/format/types";
import { digestJson } from "./digest";

/** One part of the file: its key in `manifest.parts`, where it is now, and its value. */
interface Part {
  key: string;
  /** Path of the part in the file as it is (`notebook.cells[2].source`). */
  path: string;
  /** What to call it in a message (`cell "q3"`). */
  what: string;
  value: unknown;
}

export interface ManifestMismatch {
  /** Path of the altered part in the file (`notebook.cells[2].source`, `results.c1.resultHash`, `evidence[3]`). */
  part: string;
  message: string;
}

export interface ManifestCheck {
  /** True when the digest and every part match. */
  valid: boolean;
  /** The top-level digest recomputed from the file. */
  digest: string;
  mismatches: ManifestMismatch[];
}

/** The file without its seal: what the manifest digest covers. */
export function contentOf(file: AssayNotebookFile | NotebookContent): NotebookContent {
  const { manifest: _m, signature: _s, ...content } = file as AssayNotebookFile;
  return content;
}

const CELL_FIELDS = ["kind", "name", "source", "params"] as const;
const DATASET_FIELDS = ["fileName", "format", "sizeBytes", "rows", "columns", "sha256"] as const;
const RESULT_FIELDS = [
  "resultHash",
  "ordered",
  "rowCount",
  "columns",
  "summary",
  "verdicts",
  "ranAt",
  "engineVersion",
] as const;

function partsOf(content: NotebookContent): Part[] {
  const parts: Part[] = [
    { key: "format", path: "format", what: "the format and version", value: [content.format, content.version] },
    { key: "createdAt", path: "createdAt", what: "the creation time", value: content.createdAt },
    { key: "app", path: "app", what: "the app name and version", value: content.app },
    { key: "engine", path: "engine", what: "the engine versions", value: content.engine },
    { key: "notebook.title", path: "notebook.title", what: "the title", value: content.notebook.title },
    {
      key: "notebook.cells",
      path: "notebook.cells",
      what: "the list of cells (order or membership)",
      value: content.notebook.cells.map((c) => c.id),
    },
    {
      key: "notebook.datasets",
      path: "notebook.datasets",
      what: "the list of datasets (order or membership)",
      value: content.notebook.datasets.map((d) => d.name),
    },
    { key: "results", path: "results", what: "the set of results", value: Object.keys(content.results).sort() },
    { key: "evidence", path: "evidence", what: "the number of evidence entries", value: content.evidence.length },
  ];
  const cellNames = new Map(content.notebook.cells.map((c) => [c.id, c.name]));
  content.notebook.cells.forEach((cell, i) => {
    for (const field of CELL_FIELDS) {
      parts.push({
        key: `${childPath("notebook.cells", cell.id)}.${field}`,
        path: `notebook.cells[${i}].${field}`,
        what: `the ${field} of cell "${cell.name}"`,
        value: cell[field] ?? null,
      });
    }
  });
  content.notebook.datasets.forEach((dataset, i) => {
    for (const field of DATASET_FIELDS) {
      parts.push({
        key: `${childPath("notebook.datasets", dataset.name)}.${field}`,
        path: `notebook.datasets[${i}].${field}`,
        what: `the ${field} of dataset "${dataset.name}"`,
        value: dataset[field],
      });
    }
    // Only where present, so that the digests of notebooks without streamed datasets are unchanged.
    if (dataset.streamed !== undefined) {
      parts.push({
        key: `${childPath("notebook.datasets", dataset.name)}.streamed`,
        path: `notebook.datasets[${i}].streamed`,
        what: `whether dataset "${dataset.name}" was streamed`,
        value: dataset.streamed,
      });
    }
  });
  for (const [id, result] of Object.entries(content.results)) {
    for (const field of RESULT_FIELDS) {
      parts.push({
        key: `${childPath("results", id)}.${field}`,
        path: `${childPath("results", id)}.${field}`,
        what: `the ${field} of the result of cell "${cellNames.get(id) ?? id}"`,
        value: result[field] ?? null,
      });
    }
  }
  content.evidence.forEach((entry, i) => {
    parts.push({
      key: `evidence[${i}]`,
      path: `evidence[${i}]`,
      what: `evidence entry ${i} (cell "${entry.cellName}" at ${entry.at})`,
      value: entry,
    });
  });
  return parts;
}

async function digestParts(parts: Part[]): Promise<Record<string, string>> {
  const digests = await Promise.all(parts.map((p) => digestJson(p.value)));
  return Object.fromEntries(parts.map((p, i) => [p.key, digests[i] as string]));
}

/** Computes the manifest of some content. */
export async function computeManifest(content: NotebookContent): Promise<Manifest> {
  const [digest, parts] = await Promise.all([digestJson(contentOf(content)), digestParts(partsOf(content))]);
  return { algorithm: "sha-256", canonicalization: CANONICALIZATION, digest, parts };
}

/** Adds a fresh manifest (and drops any signature, which would no longer match). */
export async function sealNotebook(content: NotebookContent): Promise<AssayNotebookFile> {
  const bare = contentOf(content);
  return { ...bare, manifest: await computeManifest(bare) };
}

/** Recomputes the digests and names every part that differs from the manifest. */
export async function verifyManifest(file: AssayNotebookFile): Promise<ManifestCheck> {
  const content = contentOf(file);
  const parts = partsOf(content);
  const [digest, actual] = await Promise.all([digestJson(content), digestParts(parts)]);
  const stored = file.manifest.parts;
  const mismatches: ManifestMismatch[] = [];
  for (const part of parts) {
    const expected = stored[part.key];
    if (expected === undefined) {
      mismatches.push({ part: part.path, message: `${part.what} is not in the manifest: it was added after sealing` });
    } else if (expected !== actual[part.key]) {
      mismatches.push({ part: part.path, message: `${part.what} was altered` });
    }
  }
  for (const key of Object.keys(stored)) {
    if (!Object.hasOwn(actual, key)) {
      mismatches.push({ part: key, message: `${key} is in the manifest but not in the file: it was removed` });
    }
  }
  const digestMatches = digest === file.manifest.digest;
  if (!digestMatches && mismatches.length === 0) {
    mismatches.push({
      part: "manifest.digest",
      message: "the file does not match the manifest digest although every listed part does: the manifest was edited",
    });
  }
  if (digestMatches && mismatches.length > 0) {
    // The content is what was sealed; it is the part list that was changed.
    for (const m of mismatches) m.message = `manifest entry for ${m.part} was edited (the content matches the digest)`;
    for (const m of mismatches) m.part = `manifest.parts[${JSON.stringify(m.part)}]`;
  }
  return { valid: digestMatches && mismatches.length === 0, digest, mismatches };
}
