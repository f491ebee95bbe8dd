/**
 * Reads the values of an Arrow result and writes each in two forms:
 *  - a **token** for the result hash: numbers rounded to RESULT_HASH_DIGITS significant digits,
 *    temporal values as ISO-8601 UTC with microseconds, strings NFC — the same whatever Arrow
 *    type the engine chose (Int64 or Float64, Date32 or Timestamp);
 *  - a **JSON-safe value** for the stored summary, at full precision (non-finite floats as
 *    `{"$float": "NaN"}`, 64-bit integers beyond 2^53 as decimal strings, bytes as `{"$binary": hex}`).
 * Rules and reasons: docs/notebook-format.md, "Result hash".
 */
import { type Data, DataType, TimeUnit, makeVector, util, type Vector } from "apache-arrow";
import type { JsonValue } from "./canonical-json";

/** Significant digits every number is rounded to before hashing. */
export const RESULT_HASH_DIGITS = 12;

/** A point in time, in microseconds since 1970-01-01T00:00:00Z. */
export class Instant {
  constructor(readonly micros: bigint) {}
}

/** A time of day, in microseconds since midnight. */
export class TimeOfDay {
  constructor(readonly micros: bigint) {}
}

/** A value read from Arrow, before it is written as a token or as JSON. */
export type Plain =
  | null
  | boolean
  | number
  | bigint
  | string
  | Instant
  | TimeOfDay
  | Uint8Array
  | Plain[]
  | { [key: string]: Plain };

const MICROS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1_000n,
  [TimeUnit.MICROSECOND]: 1n,
};

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function toMicros(value: bigint, unit: TimeUnit): bigint {
  return unit === TimeUnit.NANOSECOND ? floorDiv(value, 1000n) : value * (MICROS_PER_UNIT[unit] ?? 1n);
}

/** Reads the value at `index` of one Arrow Data chunk; `vector` is makeVector(data), made once per chunk. */
export function readValue(data: Data, vector: Vector, index: number): Plain {
  if (!data.getValid(index)) return null;
  const type = data.type;
  if (DataType.isTimestamp(type)) return new Instant(toMicros(BigInt(data.values[index] as bigint), type.unit));
  if (DataType.isDate(type)) {
    // Date32 counts days, Date64 milliseconds.
    return type.unit === 0
      ? new Instant(BigInt(data.values[index] as number) * 86_400_000_000n)
      : new Instant(BigInt(data.values[index] as bigint) * 1000n);
  }
  if (DataType.isTime(type)) return new TimeOfDay(toMicros(BigInt(data.values[index] as number | bigint), type.unit));
  if (DataType.isDecimal(type)) return decimalToNumber(vector.get(index), type.scale);
  return fromJs(type, vector.get(index));
}

function decimalToNumber(bn: unknown, scale: number): number {
  const digits = util.bigNumToBigInt(bn as Parameters<typeof util.bigNumToBigInt>[0]);
  const negative = digits < 0n;
  const abs = (negative ? -digits : digits).toString().padStart(scale + 1, "0");
  const text = scale > 0 ? `${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}` : abs;
  // Parsing the exact decimal text rounds once, correctly, to the nearest double.
  return Number(`${negative ? "-" : ""}${text}`);
}

/** Every value of a vector (a nested list's items), chunk by chunk. */
function readAll(vector: Vector): Plain[] {
  const out: Plain[] = [];
  for (const data of vector.data) {
    const chunk = makeVector(data);
    for (let i = 0; i < data.length; i++) out.push(readValue(data, chunk, i));
  }
  return out;
}

/** Converts what arrow-js `get` returned into a Plain value, guided by the type. */
function fromJs(type: DataType, value: unknown): Plain {
  if (value === null || value === undefined) return null;
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return readAll(value as Vector);
  if (DataType.isStruct(type)) {
    const row = value as Record<string, unknown>;
    const out: { [key: string]: Plain } = {};
    for (const field of type.children) out[field.name] = fromJs(field.type, row[field.name]);
    return out;
  }
  if (DataType.isMap(type)) {
    const entries = (value as { toJSON(): Record<string, unknown> }).toJSON();
    const child = type.children[0]?.type as DataType | undefined;
    const valueType = child?.children?.[1]?.type as DataType | undefined;
    return Object.entries(entries).map(([k, v]) => [k, valueType ? fromJs(valueType, v) : plainJs(v)]);
  }
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    // Nested temporal values: arrow-js gives epoch milliseconds.
    return new Instant(BigInt(Math.round(value instanceof Date ? value.getTime() : Number(value))) * 1000n);
  }
  if (DataType.isDictionary(type)) return fromJs(type.dictionary, value);
  return plainJs(value);
}

function plainJs(value: unknown): Plain {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "boolean":
    case "number":
    case "bigint":
    case "string":
      return value;
    default:
      break;
  }
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return new Instant(BigInt(value.getTime()) * 1000n);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plainJs);
  const v = value as { toJSON?: () => unknown };
  if (typeof v.toJSON === "function") return plainJs(v.toJSON());
  return Object.fromEntries(Object.entries(value as object).map(([k, x]) => [k, plainJs(x)]));
}

/**
 * A number rounded to RESULT_HASH_DIGITS significant digits, written as ECMAScript writes that
 * rounded number (`String(Number(x.toPrecision(12)))`); -0 → "0". Formatted here from the
 * digits directly, which is about three times faster than parsing and printing again.
 */
export function canonicalNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  if (x === 0) return "0";
  if (Number.isInteger(x) && Math.abs(x) < 1e12) return String(x);
  // Subnormals hold fewer than 12 digits: the rounded decimal prints shorter after a round trip.
  if (Math.abs(x) < 2.2250738585072014e-308) return String(Number(x.toPrecision(RESULT_HASH_DIGITS)));
  const text = x.toPrecision(RESULT_HASH_DIGITS);
  const negative = text.charCodeAt(0) === 0x2d;
  const e = text.indexOf("e");
  const mantissa = text.slice(negative ? 1 : 0, e < 0 ? text.length : e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const point = mantissa.indexOf(".");
  const all = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  let lead = 0;
  while (all.charCodeAt(lead) === 0x30) lead++;
  let end = all.length;
  while (end > lead && all.charCodeAt(end - 1) === 0x30) end--;
  const digits = all.slice(lead, end);
  // The value is 0.<digits> × 10^n.
  const n = (point < 0 ? mantissa.length : point) + exponent - lead;
  const k = digits.length;
  let out: string;
  if (k <= n && n <= 21) out = digits + "0".repeat(n - k);
  else if (0 < n && n <= 21) out = `${digits.slice(0, n)}.${digits.slice(n)}`;
  else if (-6 < n && n <= 0) out = `0.${"0".repeat(-n)}${digits}`;
  else {
    const exp = n - 1;
    const tail = `e${exp < 0 ? "-" : "+"}${Math.abs(exp)}`;
    out = k === 1 ? digits + tail : `${digits[0]}.${digits.slice(1)}${tail}`;
  }
  return negative ? `-${out}` : out;
}

/** Largest |milliseconds| a JS Date holds (year ±275760). */
const DATE_LIMIT_MS = 8_640_000_000_000_000n;
/** DuckDB's 'infinity' timestamp (2^63 − 1 µs; larger still once a seconds or milliseconds value is scaled). */
const INFINITY_MICROS = 9_223_372_036_854_775_807n;

/**
 * ISO-8601 UTC with six fractional digits; years outside 0000–9999 as ±YYYYYY. DuckDB's ±infinity
 * as "infinity" / "-infinity" (its own text); other instants past a JS Date's range (DuckDB goes to
 * year 294247) as their microseconds since 1970, e.g. "9000000000000000000µs".
 */
export function isoFromMicros(micros: bigint): string {
  if (micros >= INFINITY_MICROS) return "infinity";
  if (micros <= -INFINITY_MICROS) return "-infinity";
  const ms = floorDiv(micros, 1000n);
  if (ms > DATE_LIMIT_MS || ms < -DATE_LIMIT_MS) return `${micros}µs`;
  const sub = Number(micros - ms * 1000n);
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${String(sub).padStart(3, "0")}Z`;
}

export function timeOfDay(micros: bigint): string {
  const total = Number(micros);
  const frac = total % 1_000_000;
  const seconds = Math.floor(total / 1_000_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(frac, 6)}`;
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

const ASCII = /^[\x20-\x7e]*$/;

/** NFC form of a string (ASCII is already NFC). */
export function nfc(s: string): string {
  return ASCII.test(s) ? s : s.normalize("NFC");
}

/** The hash token of a value (a JSON-like text; see docs/notebook-format.md). */
export function token(value: Plain): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return canonicalNumber(value);
    case "bigint":
      return canonicalNumber(Number(value));
    case "string":
      return JSON.stringify(nfc(value));
    default:
      break;
  }
  if (value instanceof Instant) return JSON.stringify(isoFromMicros(value.micros));
  if (value instanceof TimeOfDay) return JSON.stringify(timeOfDay(value.micros));
  if (value instanceof Uint8Array) return `{"$binary":"${hex(value)}"}`;
  if (Array.isArray(value)) return `[${value.map(token).join(",")}]`;
  const entries = Object.entries(value).map(([k, v]) => [nfc(k), v] as const);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${token(v)}`).join(",")}}`;
}

/** The JSON-safe form of a value, for summaries. Full precision; non-finite floats tagged. */
export function jsonValue(value: Plain): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      if (Number.isFinite(value)) return value === 0 ? 0 : value;
      return { $float: Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity" };
    case "bigint":
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    default:
      break;
  }
  if (value instanceof Instant) return isoFromMicros(value.micros);
  if (value instanceof TimeOfDay) return timeOfDay(value.micros);
  if (value instanceof Uint8Array) return { $binary: hex(value) };
  if (Array.isArray(value)) return value.map(jsonValue);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
}
