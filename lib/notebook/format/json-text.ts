/**
 * A strict JSON reader that knows where it is: a syntax error names the field being read
 * (`notebook.cells[2].source: unterminated string (line 40, column 12)`), and a duplicated key
 * is an error rather than silently keeping the last one (JSON.parse does), so two readers can
 * never see two different notebooks in one file.
 */
import type { JsonValue } from "../../provenance/canonical-json";

export interface JsonTextError {
  /** Field being read when the error happened (`notebook.cells[2].name`), "" at the top. */
  path: string;
  message: string;
  line: number;
  column: number;
}

export type JsonTextResult = { ok: true; value: JsonValue } | { ok: false; error: JsonTextError };

/** Appends a key or an index to a field path. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
  if (plain) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
    readonly path: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 200;

export function parseJsonText(text: string): JsonTextResult {
  let i = 0;
  const raise = (message: string, path: string, at = i): never => {
    throw new JsonSyntaxError(message, at, path);
  };
  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else return;
    }
  };
  const shown = (at: number) => (at >= text.length ? "the end of the file" : `${JSON.stringify(text[at])}`);

  const readString = (path: string): string => {
    const start = i;
    i++; // opening quote
    let out = "";
    let run = i;
    for (;;) {
      if (i >= text.length) raise("unterminated string (the file may be truncated)", path, start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(run, i);
        i++;
        return out;
      }
      if (c < 0x20) raise("control character inside a string (must be escaped)", path);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(run, i);
      const e = text[i + 1];
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        raise("invalid escape sequence in a string", path);
      }
      run = i;
    }
  };

  const readNumber = (path: string): number => {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match) return raise(`unexpected ${shown(i)}, expected a value`, path);
    const value = Number(match[0]);
    if (!Number.isFinite(value)) raise(`number ${match[0]} is out of range`, path);
    i += match[0].length;
    return value;
  };

  const readValue = (path: string, depth: number): JsonValue => {
    if (depth > MAX_DEPTH) raise(`nested deeper than ${MAX_DEPTH} levels`, path);
    skipSpace();
    const c = text[i];
    if (c === "{") {
      i++;
      const obj: Record<string, JsonValue> = {};
      skipSpace();
      if (text[i] === "}") {
        i++;
        return obj;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') raise(`unexpected ${shown(i)}, expected a field name in quotes`, path);
        const key = readString(path);
        const keyPath = childPath(path, key);
        if (Object.hasOwn(obj, key)) raise("field appears twice", keyPath);
        skipSpace();
        if (text[i] !== ":") raise(`unexpected ${shown(i)}, expected ":"`, keyPath);
        i++;
        const value = readValue(keyPath, depth + 1);
        // defineProperty: a "__proto__" key must stay an ordinary field.
        Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return obj;
        }
        raise(`unexpected ${shown(i)}, expected "," or "}"`, path);
      }
    }
    if (c === "[") {
      i++;
      const arr: JsonValue[] = [];
      skipSpace();
      if (text[i] === "]") {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(readValue(childPath(path, arr.length), depth + 1));
        skipSpace();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return arr;
        }
        raise(`unexpected ${shown(i)}, expected "," or "]"`, path);
      }
    }
    if (c === '"') return readString(path);
    if (c === "t" && text.startsWith("true", i)) {
      i += 4;
      return true;
    }
    if (c === "f" && text.startsWith("false", i)) {
      i += 5;
      return false;
    }
    if (c === "n" && text.startsWith("null", i)) {
      i += 4;
      return null;
    }
    return readNumber(path);
  };

  try {
    const value = readValue("", 0);
    skipSpace();
    if (i < text.length) raise(`unexpected ${shown(i)} after the end of the document`, "");
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const before = text.slice(0, error.at);
    const line = before.split("\n").length;
    const column = error.at - before.lastIndexOf("\n");
    return { ok: false, error: { path: error.path, message: error.message, line, column } };
  }
}
