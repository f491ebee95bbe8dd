/**
 * Arrow table → CSV after RFC 4180: a header row, CRLF between records, a field quoted when it
 * holds a comma, a quote, CR or LF or starts/ends with a space (quotes doubled inside). NULL is
 * an empty unquoted field; an empty string is `""`, so the two stay apart (read it back with
 * DuckDB's `allow_quoted_nulls = false`). Numbers at full precision (NaN, Infinity, -Infinity
 * as text), 64-bit integers as exact decimal text, DATE/TIMESTAMP as ISO-8601 UTC with
 * microseconds, TIME as HH:MM:SS.ffffff, BLOB as `\x` hex, LIST/STRUCT as JSON.
 */
import { makeVector, type Table } from "apache-arrow";
import { Instant, isoFromMicros, type Plain, readValue, TimeOfDay, timeOfDay } from "../provenance/result-values";

const NEEDS_QUOTES = /[",\r\n]|^ | $/;
const LINE_END = "\r\n";

/** One CSV field, quoted when RFC 4180 requires it. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** A nested value as JSON (BigInt as a number literal, instants as ISO strings). */
function nestedJson(value: Plain): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return String(value);
    case "number":
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case "bigint":
      return value.toString();
    case "string":
      return JSON.stringify(value);
    default:
      break;
  }
  if (value instanceof Instant) return JSON.stringify(isoFromMicros(value.micros));
  if (value instanceof TimeOfDay) return JSON.stringify(timeOfDay(value.micros));
  if (value instanceof Uint8Array) return JSON.stringify(`\\x${hex(value)}`);
  if (Array.isArray(value)) return `[${value.map(nestedJson).join(",")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${nestedJson(v)}`)
    .join(",")}}`;
}

/** The text of one value; null for SQL NULL. */
function valueText(value: Plain): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      // String() gives NaN, Infinity, -Infinity and the shortest round-trip form.
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return value.toString();
    case "string":
      return value;
    default:
      break;
  }
  if (value instanceof Instant) return isoFromMicros(value.micros);
  if (value instanceof TimeOfDay) return timeOfDay(value.micros);
  if (value instanceof Uint8Array) return `\\x${hex(value)}`;
  return nestedJson(value);
}

function headerLine(table: Table): string {
  return table.schema.fields.map((f) => csvField(f.name)).join(",") + LINE_END;
}

/**
 * The CSV in pieces of at most `rowsPerChunk` records each (the first piece starts with the
 * header), so a large table can be written to a stream without one giant string.
 */
export function* csvChunks(table: Table, rowsPerChunk = 10_000): Generator<string> {
  if (!(rowsPerChunk >= 1)) throw new RangeError(`rowsPerChunk must be at least 1, got ${rowsPerChunk}`);
  let chunk = headerLine(table);
  let rows = 0;
  for (const batch of table.batches) {
    const columns = batch.data.children.map((data) => ({ data, vector: makeVector(data) }));
    for (let r = 0; r < batch.numRows; r++) {
      let line = "";
      for (let c = 0; c < columns.length; c++) {
        const col = columns[c] as (typeof columns)[number];
        const text = valueText(readValue(col.data, col.vector, r));
        if (c > 0) line += ",";
        if (text !== null) line += text === "" ? '""' : csvField(text);
      }
      chunk += line + LINE_END;
      if (++rows === rowsPerChunk) {
        yield chunk;
        chunk = "";
        rows = 0;
      }
    }
  }
  if (chunk !== "" || rows > 0) yield chunk;
}

/** The whole table as one CSV string. */
export function tableToCsv(table: Table): string {
  let out = "";
  for (const chunk of csvChunks(table, 50_000)) out += chunk;
  return out;
}
