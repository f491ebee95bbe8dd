import type { DatasetFormat } from "./protocol";

/**
 * Decides a file's format from its leading bytes first and its name second, so a
 * mis-named file is still read correctly and an unknown one gets a clear message.
 */
export function detectFormat(fileName: string, head: Uint8Array): DatasetFormat | null {
  const ascii = (bytes: Uint8Array) => String.fromCharCode(...bytes);
  if (head.length >= 4 && ascii(head.subarray(0, 4)) === "PAR1") return "parquet";
  if (head.length >= 6 && ascii(head.subarray(0, 6)) === "ARROW1") return "arrow";
  // An Arrow IPC stream starts with a continuation marker 0xFFFFFFFF.
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff) return "arrow";
  const lower = fileName.toLowerCase();
  if (/\.(parquet|pq)$/.test(lower)) return "parquet";
  if (/\.(arrow|feather|ipc|arrows)$/.test(lower)) return "arrow";
  if (/\.(csv|tsv|txt|tab)(\.gz)?$/.test(lower)) return "csv";
  if (/\.(json|ndjson|jsonl)$/.test(lower)) return "json";
  return null;
}

export const SUPPORTED_FORMATS_HINT =
  "Parquet (.parquet), Arrow IPC (.arrow, .feather), CSV/TSV (.csv, .tsv) or JSON/NDJSON";

/**
 * The delimiter of a CSV file, from its header line. DuckDB's sniffer can settle on "one
 * column" when a later row is malformed, which would load garbage silently; naming the
 * delimiter makes such a row an error that says where it is.
 */
export function guessDelimiter(fileName: string, headerLine: string): string | null {
  if (/\.(tsv|tab)$/i.test(fileName)) return "\t";
  let best: string | null = null;
  let bestCount = 0;
  for (const candidate of [",", ";", "\t", "|"]) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
