"use client";

import type { CellRuntime } from "@/lib/store/notebook-store";
import { PreviewTable } from "./PreviewTable";

/** A result kept from an earlier session or an imported file: its first rows, until the cell runs again. */
export function RestoredResult({ restored }: { restored: NonNullable<CellRuntime["restored"]> }) {
  const r = restored;
  return (
    <div data-testid="restored-output">
      <div className="restored-note">
        Recorded {new Date(r.at).toLocaleString()}: {r.rowCount} rows; first {r.rows.length} shown. Run the cell to
        recompute it here.
      </div>
      <div className="result-scroll">
        <PreviewTable columns={r.columns} rows={r.rows} />
      </div>
    </div>
  );
}
