/**
 * The result hash: SHA-256 over a canonical text of a query result, equal for equal results
 * whichever engine produced them (DuckDB-WASM or native) and whichever Arrow types it chose.
 *
 *   assay-result-v1\n
 *   {"columns":[<names, NFC, in SQL order>],"ordered":<bool>}\n
 *   [<token>,<token>,…]\n        one line per row (tokens: result-values.ts)
 *
 * Rows are hashed in their order when `ordered`; otherwise lines are sorted by their UTF-8
 * bytes first, so a query without ORDER BY hashes the same however the engine's threads
 * interleaved. Lines are written as bytes into one buffer (row-encoder.ts) and fed to SHA-256
 * in 1 MB slices: ordered hashing streams in constant memory; unordered hashing holds the
 * encoded rows (about the size of the result as CSV) to sort them.
 */
import { type Data, makeVector, type Table, type Vector } from "apache-arrow";
import { createSHA256, type IHasher } from "hash-wasm";
import { canonicalJson, type JsonValue } from "./canonical-json";
import { jsonValue, readValue } from "./result-values";
import { ByteSink, writeBatch } from "./row-encoder";

export const RESULT_HASH_VERSION = "assay-result-v1";

const FLUSH_BYTES = 1 << 20;

export interface HashResultOptions {
  /** Row order is part of the result (the query ends in ORDER BY). Default false: rows are sorted. */
  ordered?: boolean;
}

export interface ResultHash {
  /** SHA-256, hex. */
  hash: string;
  rowCount: number;
  ordered: boolean;
  canonical: { columns: { name: string; type: string }[] };
}

function hashOrdered(table: Table, hasher: IHasher): number {
  const sink = new ByteSink();
  let rows = 0;
  for (const batch of table.batches) {
    writeBatch(sink, batch.data.children as Data[], batch.numRows, () => {
      rows++;
      if (sink.length >= FLUSH_BYTES) {
        hasher.update(sink.bytes.subarray(0, sink.length));
        sink.length = 0;
      }
    });
  }
  hasher.update(sink.bytes.subarray(0, sink.length));
  return rows;
}

/** Compares lines a and b byte by byte from offset `from` (memcmp order; a prefix sorts first). */
function compareFrom(bytes: Uint8Array, starts: readonly number[], a: number, b: number, from: number): number {
  let i = (starts[a] as number) + from;
  let j = (starts[b] as number) + from;
  const ea = starts[a + 1] as number;
  const eb = starts[b + 1] as number;
  for (; i < ea && j < eb; i++, j++) {
    const d = (bytes[i] as number) - (bytes[j] as number);
    if (d !== 0) return d;
  }
  return ea - i - (eb - j);
}

const KEY_BYTES = 5;
const INDEX_BITS = 24;

/**
 * Line indices in the byte order of the lines. The first five bytes after "[" and the line's
 * index are packed into one 64-bit integer and sorted natively; only lines sharing those five
 * bytes are then compared in full. (A comparator sort over a million lines is several times slower.)
 */
function sortLines(bytes: Uint8Array, starts: readonly number[], n: number): number[] {
  const keys = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const s = starts[r] as number;
    const e = starts[r + 1] as number;
    let k = 0;
    for (let j = 1; j <= KEY_BYTES; j++) k = k * 256 + (s + j < e ? (bytes[s + j] as number) : 0);
    keys[r] = k;
  }
  const full = (a: number, b: number) =>
    (keys[a] as number) - (keys[b] as number) || compareFrom(bytes, starts, a, b, KEY_BYTES + 1);
  if (n >= 2 ** INDEX_BITS) return Array.from({ length: n }, (_, r) => r).sort(full);
  const packed = new BigUint64Array(n);
  for (let r = 0; r < n; r++) packed[r] = (BigInt(keys[r] as number) << BigInt(INDEX_BITS)) | BigInt(r);
  packed.sort();
  const mask = BigInt(2 ** INDEX_BITS - 1);
  const order = Array.from(packed, (p) => Number(p & mask));
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && keys[order[j] as number] === keys[order[i] as number]) j++;
    if (j - i > 1) {
      const run = order.slice(i, j).sort(full);
      for (let t = 0; t < run.length; t++) order[i + t] = run[t] as number;
    }
    i = j;
  }
  return order;
}

function hashUnordered(table: Table, hasher: IHasher): number {
  const sink = new ByteSink();
  const starts: number[] = [];
  for (const batch of table.batches)
    writeBatch(sink, batch.data.children as Data[], batch.numRows, (s) => starts.push(s));
  const n = starts.length;
  starts.push(sink.length);
  const bytes = sink.bytes;
  const order = sortLines(bytes, starts, n);
  const chunk = new Uint8Array(FLUSH_BYTES);
  let fill = 0;
  for (const r of order) {
    const from = starts[r] as number;
    const to = starts[r + 1] as number;
    if (fill + (to - from) > chunk.length) {
      hasher.update(chunk.subarray(0, fill));
      fill = 0;
    }
    if (to - from > chunk.length) hasher.update(bytes.subarray(from, to));
    else for (let i = from; i < to; i++) chunk[fill++] = bytes[i] as number;
  }
  hasher.update(chunk.subarray(0, fill));
  return n;
}

export async function hashResult(table: Table, options: HashResultOptions = {}): Promise<ResultHash> {
  const ordered = options.ordered ?? false;
  const names = table.schema.fields.map((f) => f.name.normalize("NFC"));
  const hasher = await createSHA256();
  hasher.init();
  hasher.update(`${RESULT_HASH_VERSION}\n${canonicalJson({ columns: names, ordered })}\n`);
  const rowCount = ordered ? hashOrdered(table, hasher) : hashUnordered(table, hasher);
  return {
    hash: hasher.digest("hex"),
    rowCount,
    ordered,
    canonical: { columns: table.schema.fields.map((f, i) => ({ name: names[i] as string, type: String(f.type) })) },
  };
}

/** The first `limit` rows as JSON-safe values, one array per row (the stored summary). */
export function summarizeResult(table: Table, limit = 20): JsonValue[][] {
  const rows: JsonValue[][] = [];
  for (const batch of table.batches) {
    const columns = batch.data.children as Data[];
    const vectors = columns.map((d) => makeVector(d));
    for (let r = 0; r < batch.numRows && rows.length < limit; r++) {
      rows.push(columns.map((d, c) => jsonValue(readValue(d, vectors[c] as Vector, r))));
    }
    if (rows.length >= limit) break;
  }
  return rows;
}
