/** The person's choice to run an imported notebook's TypeScript cells (see isNotebookTrusted). */
import { useNotebookStore } from "./notebook-store";

export function trustNotebook(): void {
  useNotebookStore.setState((s) => ({ doc: { ...s.doc, trusted: true } }));
}
