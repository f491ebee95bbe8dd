export { buildNotebookFile, type BuildCell, type BuildInput, NotebookExportError } from "./build";
export { notebookJsonSchema } from "./json-schema";
export { MIGRATIONS, type Migration } from "./migrate";
export { type ParseOptions, type ParseResult, parseNotebook } from "./parse";
export { normalizeNewlines, serializeNotebook } from "./serialize";
export * from "./types";
