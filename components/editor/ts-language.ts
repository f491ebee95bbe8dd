/**
 * TypeScript in Monaco for TypeScript cells: highlighting, the language service (in its own
 * worker) and the cell API's declarations, so completion knows `sql`, `display`, `check`,
 * `Plot`. Type errors show as markers; they never block a run (cells are compiled by
 * stripping types). Loaded only when a TypeScript cell is shown: the service is large.
 */
import "monaco-editor/languages/definitions/typescript/register";
import * as ts from "monaco-editor/languages/features/typescript/register";
import { TS_CELL_API } from "./ts-cell-api";

type Monaco = typeof import("monaco-editor/editor/editor.api");

/**
 * Each cell is its own script, run as the body of an async function: top-level `return` and
 * `await` are fine, and two cells may declare the same name.
 */
const IGNORED_DIAGNOSTICS = [
  1108, // A 'return' statement can only be used within a function body.
  1375, // 'await' expressions are only allowed at the top level of a file when that file is a module…
  1378, // Top-level 'await' expressions are only allowed when the 'module' option is set to…
  2451, // Cannot redeclare block-scoped variable (the same name in two cells).
  2393, // Duplicate function implementation (idem).
];

let enabled = false;

export function enableTypeScript(_monaco: Monaco): void {
  if (enabled) return;
  enabled = true;
  ts.typescriptDefaults.setCompilerOptions({
    target: ts.ScriptTarget.ES2020,
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
  });
  ts.typescriptDefaults.setDiagnosticsOptions({
    noSemanticValidation: false,
    noSyntaxValidation: false,
    diagnosticCodesToIgnore: IGNORED_DIAGNOSTICS,
  });
  ts.typescriptDefaults.addExtraLib(TS_CELL_API, "file:///assay/cell-api.d.ts");
}
