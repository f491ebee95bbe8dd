"use client";

import { formatValue } from "@/lib/format";
import type { CellRuntime } from "@/lib/store/notebook-store";

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
        <table className="result">
          <thead>
            <tr>
              {r.columns.map((c) => (
                <th key={c.name}>
                  {c.name}
                  <span className="type">{c.type}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {r.rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: saved rows have no identity beyond position.
              <tr key={i}>
                {r.columns.map((c, ci) => (
                  <td key={c.name}>{formatValue(row[ci], c.type)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
