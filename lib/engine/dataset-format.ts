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

export const SUPPORTED_FORMATS_HINT = "Parquet (.parquet), Arrow IPC (.arrow, .feather), CSV/TSV (.csv, .tsv) or JSON/NDJSON";
