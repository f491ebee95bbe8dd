/**
 * Opens the CLI's input files in native DuckDB. The format is decided by magic bytes first
 * (`PAR1`, `ARROW1`, the Arrow IPC stream marker), then by the file name, as the app does.
 *
 * - Parquet: a VIEW over `read_parquet` — nothing is copied; DuckDB streams row groups, so a
 *   file larger than memory is fine.
 * - CSV / TSV (optionally .gz): a TABLE from `read_csv` (parsed once, not at every scan);
 *   DuckDB spills it to the temp directory when it outgrows the memory limit.
 * - JSON / NDJSON: a TABLE from `read_json` (the json extension is statically linked in
 *   the native build; nothing is installed).
 * - Arrow IPC: native DuckDB has no Arrow reader; `arrow-input.ts` re-encodes the batches as
 *   Parquet parts in a scratch folder and a VIEW reads them.
 * Each file's SHA-256 is streamed with node:crypto while DuckDB reads it.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { NodeEngine } from "../lib/engine/node-engine";
import { quoteIdentifier, quoteString } from "../lib/sql/identifiers";
import { arrowToParquetParts } from "./arrow-input";
import { CliError, firstLine } from "./errors";

/** Formats the CLI reads. */
export type InputFormat = "parquet" | "csv" | "json" | "arrow";

/** An opened input, as recorded in the JSON. */
export interface InputFile {
  /** The path as given on the command line. */
  path: string;
  format: InputFormat;
  bytes: number;
  rows: number;
  sha256: string;
  /** The table or view that holds it. */
  relation: string;
}

const IPC_STREAM_MARKER = [0xff, 0xff, 0xff, 0xff];

/** The format of a file from its first bytes and its name. */
export function detectFormat(head: Uint8Array, path: string): InputFormat | null {
  const text = new TextDecoder("latin1").decode(head.subarray(0, 6));
  if (text.startsWith("PAR1")) return "parquet";
  if (text === "ARROW1" || IPC_STREAM_MARKER.every((b, i) => head[i] === b)) return "arrow";
  const name = path.toLowerCase().replace(/\.(gz|zst)$/, "");
  if (/\.(parquet|pq)$/.test(name)) return "parquet";
  if (/\.(csv|tsv|txt)$/.test(name)) return "csv";
  if (/\.(json|ndjson|jsonl)$/.test(name)) return "json";
  if (/\.(arrow|feather|ipc|arrows)$/.test(name)) return "arrow";
  return null;
}

async function readHead(path: string, role: string): Promise<{ head: Uint8Array; bytes: number }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new CliError(`The ${role} "${path}" is not a file.`);
    const handle = await open(path, "r");
    try {
      const head = new Uint8Array(8);
      await handle.read(head, 0, 8, 0);
      return { head, bytes: info.size };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code ?? error);
    throw new CliError(`Cannot read the ${role} "${path}": ${why}. Check the path.`);
  }
}

/** Streams a file through SHA-256 (8 MB chunks), so a file larger than memory is never held whole. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path, { highWaterMark: 8 * 1024 * 1024 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

async function loadSql(relation: string, path: string, format: InputFormat, scratch: () => string): Promise<string> {
  const r = quoteIdentifier(relation);
  const p = quoteString(path);
  switch (format) {
    case "parquet":
      return `CREATE VIEW ${r} AS SELECT * FROM read_parquet(${p})`;
    case "csv":
      return `CREATE TABLE ${r} AS SELECT * FROM read_csv(${p}, header = true)`;
    case "json":
      return `CREATE TABLE ${r} AS SELECT * FROM read_json(${p})`;
    case "arrow": {
      const parts = await arrowToParquetParts(path, scratch(), relation);
      return `CREATE VIEW ${r} AS SELECT * FROM read_parquet([${parts.map(quoteString).join(", ")}])`;
    }
  }
}

const FORMAT_NAMES: Record<InputFormat, string> = { parquet: "Parquet", csv: "CSV", json: "JSON", arrow: "Arrow IPC" };

/**
 * Opens `path` as `relation`, hashing it meanwhile; every failure is a one-line CliError (exit 2).
 * `scratch` gives a folder for intermediate files (Arrow input only), removed by the caller.
 */
export async function openInput(
  engine: NodeEngine,
  path: string,
  relation: string,
  role: string,
  scratch: () => string,
): Promise<InputFile> {
  const { head, bytes } = await readHead(path, role);
  const format = detectFormat(head, path);
  if (format === null) {
    throw new CliError(
      `Cannot tell the format of the ${role} "${basename(path)}": use a .parquet, .arrow, .csv, .tsv, .json or .ndjson file.`,
    );
  }
  const hashing = sha256File(path);
  try {
    await engine.exec(await loadSql(relation, path, format, scratch));
    const table = await engine.query(`SELECT count(*) AS n FROM ${quoteIdentifier(relation)}`);
    const rows = Number(table.getChildAt(0)?.get(0) ?? 0);
    return { path, format, bytes, rows, sha256: await hashing, relation };
  } catch (error) {
    await hashing.catch(() => undefined);
    const reason = firstLine(error instanceof Error ? error.message : String(error));
    throw new CliError(
      `Could not read the ${role} "${basename(path)}" as ${FORMAT_NAMES[format]}: ${reason}. Check that the file is complete and in that format.`,
    );
  }
}
