/**
 * Reads a notebook file from text. Never throws on bad input: a malformed file gives a list
 * of problems, each naming the field (`notebook.cells[2].name`) and what was expected.
 */
import type { JsonValue } from "../../provenance/canonical-json";
import { childPath, parseJsonText } from "./json-text";
import { MIGRATIONS, type Migration } from "./migrate";
import { NOTEBOOK_SPEC } from "./spec";
import { type AssayNotebookFile, type FormatError, NOTEBOOK_FORMAT, NOTEBOOK_FORMAT_VERSION } from "./types";
import { validate } from "./validate";

export type ParseResult = { ok: true; file: AssayNotebookFile } | { ok: false; errors: FormatError[] };

export interface ParseOptions {
  /** Upgrades from older versions (default: MIGRATIONS). */
  migrations?: Readonly<Record<number, Migration>>;
}

const fail = (path: string, message: string): ParseResult => ({ ok: false, errors: [{ path, message }] });

export function parseNotebook(text: string, options: ParseOptions = {}): ParseResult {
  // A byte-order mark added by an editor is not content (verifyNotebookText still reports the changed text).
  const json = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (!json.ok) {
    const { path, message, line, column } = json.error;
    return fail(path, `not valid JSON: ${message} (line ${line}, column ${column})`);
  }
  let raw = json.value;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return fail("", "expected a JSON object (an Assay notebook file)");
  }
  if (raw.format !== NOTEBOOK_FORMAT) {
    return fail(
      "format",
      `expected "${NOTEBOOK_FORMAT}", found ${JSON.stringify(raw.format) ?? "nothing"}: this is not an Assay notebook file`,
    );
  }
  const version = raw.version;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
    return fail("version", `expected a whole number, found ${JSON.stringify(version) ?? "nothing"}`);
  }
  if (version > NOTEBOOK_FORMAT_VERSION) {
    return fail(
      "version",
      `this notebook uses format version ${version}, and this version of Assay reads versions up to ${NOTEBOOK_FORMAT_VERSION}: open it with a newer Assay`,
    );
  }
  const migrations = options.migrations ?? MIGRATIONS;
  for (let v = version; v < NOTEBOOK_FORMAT_VERSION; v++) {
    const step = migrations[v];
    if (!step) return fail("version", `format version ${v} is not supported (no upgrade to version ${v + 1})`);
    raw = step(raw as { [key: string]: JsonValue });
  }
  const errors = validate(raw, NOTEBOOK_SPEC);
  if (errors.length > 0) return { ok: false, errors };
  const file = raw as unknown as AssayNotebookFile;
  const semantic = crossCheck(file);
  return semantic.length > 0 ? { ok: false, errors: semantic } : { ok: true, file };
}

/** Rules a schema cannot say: unique ids and names, results that belong to a cell, rows as wide as their columns. */
function crossCheck(file: AssayNotebookFile): FormatError[] {
  const errors: FormatError[] = [];
  const ids = new Set<string>();
  file.notebook.cells.forEach((cell, i) => {
    if (ids.has(cell.id))
      errors.push({ path: `notebook.cells[${i}].id`, message: `"${cell.id}" is used by two cells` });
    ids.add(cell.id);
  });
  const names = new Set<string>();
  file.notebook.datasets.forEach((d, i) => {
    if (names.has(d.name)) {
      errors.push({ path: `notebook.datasets[${i}].name`, message: `"${d.name}" is used by two datasets` });
    }
    names.add(d.name);
  });
  for (const [id, result] of Object.entries(file.results)) {
    const at = childPath("results", id);
    if (!ids.has(id)) errors.push({ path: at, message: "no cell has this id" });
    result.summary.forEach((row, r) => {
      if (row.length !== result.columns.length) {
        errors.push({
          path: `${at}.summary[${r}]`,
          message: `expected ${result.columns.length} values (one per column), found ${row.length}`,
        });
      }
    });
    if (result.summary.length > result.rowCount) {
      errors.push({ path: `${at}.summary`, message: `holds more rows than rowCount (${result.rowCount})` });
    }
  }
  return errors;
}
