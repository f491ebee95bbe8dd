import type { CellResult } from "../engine/browser-engine";

/** Rows kept of a result when it is saved or when the engine that held it is gone. */
export const SUMMARY_ROWS = 20;

export interface ResultSummary {
  rowCount: number;
  columns: { name: string; type: string }[];
  rows: unknown[][];
  elapsedMs: number;
}

function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && !(value instanceof Date) && "toJSON" in value) {
    return (value as { toJSON(): unknown }).toJSON();
  }
  return value;
}

/** The shape of a result and its first rows, as plain (structured-cloneable) values. */
export function summarizeResult(result: CellResult): ResultSummary {
  const table = result.kind === "table" ? result.firstPage : result.rows;
  const n = Math.min(SUMMARY_ROWS, table.numRows);
  const rows = Array.from({ length: n }, (_, i) =>
    result.columns.map((_c, ci) => plainValue(table.getChildAt(ci)?.get(i))),
  );
  return { rowCount: result.rowCount, columns: result.columns, rows, elapsedMs: result.elapsedMs };
}
