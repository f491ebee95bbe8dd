/**
 * The evidence bundle: one zip holding the notebook (`notebook.assay.json`), the data files it
 * ran on (`data/<file name>`) and a README saying how to open and verify it offline. Built in
 * memory (fflate), so the browser holds the whole bundle at once: see bundleSizeWarning.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from "fflate";

export const BUNDLE_NOTEBOOK = "notebook.assay.json";
export const BUNDLE_README = "README.txt";
export const BUNDLE_DATA_DIR = "data/";
/** Above this total size an export warns first: the bundle is built in memory. */
export const BUNDLE_WARN_BYTES = 200 * 1024 * 1024;

export interface BundleFile {
  /** The original file name (no folders). */
  name: string;
  data: Uint8Array;
}

export interface Bundle {
  notebookText: string;
  files: BundleFile[];
}

/** A bundle that cannot be written or read; the message says what is wrong. */
export class BundleError extends Error {
  override name = "BundleError";
}

const README = `Assay evidence bundle
=====================

notebook.assay.json  the notebook: cells, last results, evidence log, manifest (and signature, if signed)
data/                the data files the notebook ran on, byte for byte as they were loaded

Open it offline
  In Assay, choose "Open notebook" and pick notebook.assay.json, then attach the files in data/
  when it asks for them. Nothing is uploaded: Assay runs in the browser, with no server.

Verify it
  Unzip the bundle, then in the unzipped folder run:
    npx assay verify notebook.assay.json
  It checks that the notebook was not changed since it was written (manifest digest and signature)
  and that the evidence log is intact. The SHA-256 of each file in data/ must match the one the
  notebook records (notebook.datasets[].sha256); e.g. sha256sum data/* shows them.
`;

/** Rejects names that would escape `data/` or collide in the zip. */
function checkName(name: string, seen: Set<string>): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new BundleError(`Data file name ${JSON.stringify(name)} is not a plain file name; rename the file.`);
  }
  if (seen.has(name)) throw new BundleError(`Two data files are named ${JSON.stringify(name)}; rename one of them.`);
  seen.add(name);
}

/** The bundle as zip bytes. Data files are stored without compression when already compressed. */
export function createBundle(input: Bundle): Uint8Array {
  const seen = new Set<string>();
  const zip: Zippable = {
    [BUNDLE_NOTEBOOK]: [strToU8(input.notebookText), { level: 6 }],
    [BUNDLE_README]: [strToU8(README), { level: 6 }],
  };
  for (const file of input.files) {
    checkName(file.name, seen);
    // Parquet and zipped files gain nothing from deflate; store them to save time.
    const level = /\.(parquet|zip|gz|zst|arrow|feather)$/i.test(file.name) ? 0 : 6;
    zip[`${BUNDLE_DATA_DIR}${file.name}`] = [file.data, { level }];
  }
  return zipSync(zip, { mtime: new Date("2000-01-01T00:00:00Z") });
}

let CRC_TABLE: Uint32Array | undefined;

function crc32(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (CRC_TABLE[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * CRC-32 of each entry as the zip's central directory records it (fflate does not check them
 * on unzip). Empty when the directory cannot be read this simply (e.g. ZIP64 offsets).
 */
function recordedCrcs(bytes: Uint8Array): Map<string, number> {
  const crcs = new Map<string, number>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return crcs;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return new Map();
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    crcs.set(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)), view.getUint32(at + 16, true));
    at += 46 + nameLength + skip;
  }
  return crcs;
}

/** Reads a bundle written by createBundle (or by hand, with the same layout). */
export function readBundle(bytes: Uint8Array): Bundle {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new BundleError(
      `This is not a readable Assay bundle (the zip is damaged or truncated: ${reason}). Download or copy it again.`,
    );
  }
  for (const [path, crc] of recordedCrcs(bytes)) {
    const data = entries[path];
    if (data && crc32(data) !== crc) {
      throw new BundleError(
        `"${path}" in the bundle is damaged (its CRC-32 does not match the zip's record). Download or copy the bundle again.`,
      );
    }
  }
  const notebook = entries[BUNDLE_NOTEBOOK];
  if (!notebook) {
    const names = Object.keys(entries);
    throw new BundleError(
      `The zip has no ${BUNDLE_NOTEBOOK} at its top level (it holds ${names.length === 0 ? "nothing" : names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}); is it an Assay bundle?`,
    );
  }
  let notebookText: string;
  try {
    notebookText = strFromU8(notebook);
  } catch {
    throw new BundleError(`${BUNDLE_NOTEBOOK} in the bundle is not UTF-8 text.`);
  }
  const files = Object.entries(entries)
    .filter(([path]) => path.startsWith(BUNDLE_DATA_DIR) && path.length > BUNDLE_DATA_DIR.length && !path.endsWith("/"))
    .map(([path, data]) => ({ name: path.slice(BUNDLE_DATA_DIR.length), data }));
  return { notebookText, files };
}

function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A warning to show before building a bundle of `totalBytes` (notebook + data), or null. */
export function bundleSizeWarning(totalBytes: number): string | null {
  if (totalBytes <= BUNDLE_WARN_BYTES) return null;
  return `The bundle will be about ${formatBytes(totalBytes)}. It is built in memory, so the browser needs roughly twice that free; a tab may run out of memory. Export the notebook alone (its datasets are identified by SHA-256) and share the data files separately if this fails.`;
}
