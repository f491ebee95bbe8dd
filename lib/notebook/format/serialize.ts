/**
 * Writes a notebook file as text: canonical JSON (sorted keys, shortest numbers) indented by
 * two spaces, ending in one newline. The same file always gives the same bytes, so a reader
 * can tell a reformatted file from an untouched one (verify-notebook.ts, "form").
 */
import { canonicalJson } from "../../provenance/canonical-json";
import type { AssayNotebookFile } from "./types";

export function serializeNotebook(file: AssayNotebookFile): string {
  return `${canonicalJson(file, { indent: 2 })}\n`;
}

/** Turns \r\n and lone \r into \n, so a cell's text hashes the same on every platform. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}
