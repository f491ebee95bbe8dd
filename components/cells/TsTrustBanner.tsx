"use client";

import { isNotebookTrusted } from "@/lib/store/ts-cell";
import { useNotebookStore } from "@/lib/store/notebook-store";
import { trustNotebook } from "@/lib/store/ts-trust";

/** Shown while an imported notebook with TypeScript cells is not trusted yet. */
export function TrustBanner() {
  const untrusted = useNotebookStore((s) => !isNotebookTrusted(s.doc) && s.doc.cells.some((c) => c.kind === "ts"));
  if (!untrusted) return null;
  return (
    <div className="trust-banner" role="alert" data-testid="trust-banner">
      This notebook came from elsewhere. Its TypeScript cells will not run until you trust it; SQL cells and checks can
      run now (they cannot reach the network or your other notebooks). Read the TypeScript cells first.
      <button type="button" data-testid="trust-notebook" onClick={trustNotebook}>
        Trust this notebook
      </button>
    </div>
  );
}
