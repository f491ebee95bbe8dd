/**
 * Loads Monaco from the app's own bundle (no CDN loader) with only what the notebook uses:
 * the core editor, SQL and Markdown highlighting, and the editor's own worker.
 */
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/languages/definitions/sql/register";
import "monaco-editor/languages/definitions/markdown/register";

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker: (_id, label) =>
    label === "typescript" || label === "javascript"
      ? new Worker(new URL("../../workers/monaco-ts.worker.ts", import.meta.url), { type: "module" })
      : new Worker(new URL("../../workers/monaco-editor.worker.ts", import.meta.url), { type: "module" }),
};

monaco.editor.defineTheme("assay-dark", {
  base: "vs-dark",
  inherit: true,
  rules: [],
  colors: { "editor.background": "#1d1f1c" },
});

export { monaco };
