/**
 * What the bench scripts share: command-line parsing (Node's own `parseArgs`, strict: an unknown
 * flag is an error) and how times are printed.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";

/**
 * Parses `argv` against `spec` ({ name: { type: "string" | "boolean" } }); `--rows` and
 * `--repeats` become positive integers, `--data` and `--browser-json` absolute paths.
 */
export function benchOptions(argv, spec, defaults) {
  const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
  const out = { ...defaults };
  for (const [name, value] of Object.entries(values)) {
    const key = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (name === "rows" || name === "repeats" || name === "threads") {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
      out[key] = n;
    } else if (name === "data") out.dataDir = resolve(String(value));
    else if (name === "browser-json") out.browserJson = resolve(String(value));
    else out[key] = value;
  }
  return out;
}

/** "812 ms", "1.23 s", or "—". */
export const fmt = (ms) =>
  ms === null || ms === undefined ? "—" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
