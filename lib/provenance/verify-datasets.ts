/** Checks re-attached data files against the SHA-256 the notebook recorded for each dataset. */
import type { FileDataset } from "../notebook/format/types";

export type DatasetStatus = "match" | "mismatch" | "missing";

export interface DatasetCheck {
  name: string;
  fileName: string;
  expected: string;
  /** SHA-256 of the attached file; null when none was attached. */
  actual: string | null;
  status: DatasetStatus;
  message: string;
}

/**
 * `attached` maps dataset name → SHA-256 (hex) of the file the reviewer attached for it
 * (computed with sha256OfBlob). One check per dataset of the notebook, in its order.
 */
export function verifyDatasets(
  datasets: readonly FileDataset[],
  attached: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): DatasetCheck[] {
  const lookup = (name: string): string | undefined =>
    attached instanceof Map
      ? attached.get(name)
      : Object.hasOwn(attached, name)
        ? (attached as Record<string, string>)[name]
        : undefined;
  return datasets.map((d) => {
    const actual = lookup(d.name)?.toLowerCase() ?? null;
    const base = { name: d.name, fileName: d.fileName, expected: d.sha256, actual };
    if (actual === null) {
      return { ...base, status: "missing", message: `No file attached for "${d.name}" (expected ${d.fileName}).` };
    }
    if (actual !== d.sha256) {
      return {
        ...base,
        status: "mismatch",
        message: `The file attached for "${d.name}" is not the audited ${d.fileName}: its SHA-256 differs.`,
      };
    }
    return { ...base, status: "match", message: `"${d.name}" is byte-for-byte the audited ${d.fileName}.` };
  });
}
