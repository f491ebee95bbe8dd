"use client";

import { formatValue } from "@/lib/format";

/**
 * A few rows held in memory (a restored result, a TypeScript cell's returned table), drawn like a
 * SQL cell's page but without paging. `rows[i][j]` is column j of row i.
 */
export function PreviewTable({
  columns,
  rows,
}: {
  columns: readonly { name: string; type: string }[];
  rows: readonly (readonly unknown[])[];
}) {
  return (
    <table className="result">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.name}>
              {c.name}
              <span className="type">{c.type}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity beyond position.
          <tr key={i}>
            {columns.map((c, ci) => (
              <td key={c.name}>{formatValue(row[ci], c.type)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
