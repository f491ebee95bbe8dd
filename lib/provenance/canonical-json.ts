/**
 * Canonical JSON ("assay-jcs-1"), after RFC 8785 (JCS): object keys sorted by UTF-16 code
 * units, no insignificant whitespace, numbers in ECMAScript's shortest round-trip form
 * (`Number.prototype.toString`), strings escaped as `JSON.stringify` escapes them. The same
 * value always gives the same text, so its SHA-256 is a stable digest.
 *
 * Non-finite numbers have no JSON form and are rejected with the path of the value: result
 * values carry them as tagged objects instead (`{"$float": "NaN"}`, see result-summary.ts).
 * `undefined` object members are omitted (as in JSON.stringify); anywhere else they are an error.
 */

/** Any value canonical JSON can represent. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A value that cannot be written as canonical JSON; `path` locates it (`$.results.c1.summary`). */
export class CanonicalJsonError extends Error {
  override name = "CanonicalJsonError";
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${message}`);
  }
}

export interface CanonicalJsonOptions {
  /** Indent with this many spaces (a readable file); canonical hashing input uses none. */
  indent?: number;
}

/** Writes `value` as canonical JSON. Throws CanonicalJsonError on NaN, ±Infinity, bigint, functions… */
export function canonicalJson(value: unknown, options: CanonicalJsonOptions = {}): string {
  const indent = options.indent ?? 0;
  return write(value, "$", indent, "");
}

function write(value: unknown, path: string, indent: number, pad: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(
          `${value} is not a JSON number; encode non-finite values as {"$float": "${value}"}`,
          path,
        );
      }
      // Number#toString is the ECMAScript shortest round-trip form JCS prescribes; -0 prints as 0.
      return String(value);
    case "object":
      break;
    default:
      throw new CanonicalJsonError(`a ${typeof value} cannot be written as JSON`, path);
  }
  const inner = indent > 0 ? `${pad}${" ".repeat(indent)}` : "";
  const open = indent > 0 ? `\n${inner}` : "";
  const sep = indent > 0 ? `,\n${inner}` : ",";
  const close = indent > 0 ? `\n${pad}` : "";
  const colon = indent > 0 ? ": " : ":";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((item, i) => {
      if (item === undefined) throw new CanonicalJsonError("undefined is not a JSON value", `${path}[${i}]`);
      return write(item, `${path}[${i}]`, indent, inner);
    });
    return `[${open}${items.join(sep)}${close}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalJsonError(`a ${proto?.constructor?.name ?? "non-plain"} object cannot be written as JSON`, path);
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  if (keys.length === 0) return "{}";
  const members = keys.map((k) => `${JSON.stringify(k)}${colon}${write(record[k], `${path}.${k}`, indent, inner)}`);
  return `{${open}${members.join(sep)}${close}}`;
}

/** UTF-8 bytes of the canonical JSON of `value`. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
