"use client";

import dynamic from "next/dynamic";

/**
 * The workbench is browser-only (workers, IndexedDB, WebAssembly): it is not rendered at build
 * time, so nothing of it (nor of DuckDB, Arrow or Monaco) is evaluated outside a browser.
 */
export const WorkbenchLoader = dynamic(() => import("./Workbench").then((m) => m.Workbench), {
  ssr: false,
  loading: () => (
    <div className="loading-shell" data-testid="loading-shell">
      <strong>Assay</strong> is loading…
    </div>
  ),
});
