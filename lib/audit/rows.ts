import type { Table } from "apache-arrow";
import type { QueryFn } from "../engine/types";

/** A result row with JavaScript values: BIGINT as number, lists as arrays. */
export type Row = Record<string, unknown>;

function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value === null || value === undefined) return null;
  if (typeof value === "object") {
    if (value instanceof Date) return value;
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>, plain);
    // Arrow vectors (lists) and struct rows.
    const v = value as { toArray?: () => unknown; toJSON?: () => unknown };
    if (typeof v.toArray === "function" && !("toJSON" in v && !Array.isArray(v.toJSON?.()))) {
      return Array.from(v.toArray() as ArrayLike<unknown>, plain);
    }
    if (typeof v.toJSON === "function") {
      const json = v.toJSON();
      if (Array.isArray(json)) return json.map(plain);
      return Object.fromEntries(Object.entries(json as object).map(([k, x]) => [k, plain(x)]));
    }
  }
  return value;
}

/** Converts an Arrow table to plain rows. Only for small, aggregated results. */
export function tableRows(table: Table): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i));
  const rows: Row[] = [];
  // Read once: Table.numRows sums the lengths of every record batch (DuckDB returns one per 2048
  // rows), so testing it on every iteration made this loop quadratic in the result size.
  const count = table.numRows;
  for (let r = 0; r < count; r++) {
    const row: Row = {};
    names.forEach((name, i) => {
      row[name] = plain(columns[i]?.get(r));
    });
    rows.push(row);
  }
  return rows;
}

/**
 * A numeric column of a result as a typed array (no per-row objects: a million-row histogram
 * decodes in milliseconds). `what` names the result in the error when the column is missing.
 */
export function numericColumn(table: Table, name: string, what: string): ArrayLike<number | bigint> {
  const child = table.getChild(name);
  if (!child) throw new Error(`${what}: column ${name} missing from the result`);
  return child.toArray() as ArrayLike<number | bigint>;
}

/** Runs SQL and returns plain rows. */
export async function queryRows(query: QueryFn, sql: string): Promise<Row[]> {
  return tableRows(await query(sql));
}

/** Reads a value that must be a number (or null). */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  const n = Number(value);
  return Number.isNaN(n) && value !== "NaN" ? null : n;
}
