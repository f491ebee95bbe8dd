/**
 * Categorical columns of the profile (VARCHAR, BOOLEAN, ENUM, UUID): one GROUP BY per column on
 * the raw value, all in ONE query (UNION ALL). Per column its groups give, exactly,
 * - nullCount = the size of the NULL group,
 * - distinctCount = the number of non-null groups (= `count(DISTINCT x)`),
 * - min / max = the smallest / largest non-null group key in the type's own order (grouping on
 *   the raw value, not its text, so ENUMs keep their declared order), rendered as text,
 * - topValues = the `limit` largest groups, ties broken by the value's text (byte order).
 * One hash aggregate per column over low-cardinality keys replaces a `count(DISTINCT x)`, a
 * string `min`/`max` and a null count per column in the main scan (each about as costly as the
 * grouping itself). A UNION ALL of plain GROUP BYs costs ~25 % less than one GROUPING SETS
 * query in DuckDB-WASM 1.4.3 (536 vs 689 ms for 10 string columns × 1M rows), and the main scan
 * no longer reads the string columns at all (~13 ns a value in WASM).
 */
import type { ColumnInfo } from "../../engine/types";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, type Row } from "../rows";

/** How many top values a categorical column reports. */
export const TOP_VALUES = 10;

/** Rows of one column: its top values (role 0), min + distinct count (1), max (2), null count (3). */
function columnSummary(source: string, column: ColumnInfo, k: number, limit: number): string {
  const key = integerLiteral(k);
  const g = quoteIdentifier(`g${k}`);
  return `SELECT * FROM (
  WITH ${g} AS MATERIALIZED (SELECT x, count(*) AS n FROM (SELECT ${quoteIdentifier(column.name)} AS x FROM ${quoteIdentifier(source)}) GROUP BY x)
  SELECT * FROM (SELECT ${key} AS k, 0 AS role, CAST(x AS VARCHAR) AS value, n FROM ${g} WHERE x IS NOT NULL ORDER BY n DESC, value LIMIT ${integerLiteral(limit)})
  UNION ALL SELECT ${key}, 1, CAST(min(x) AS VARCHAR), count(x) FROM ${g}
  UNION ALL SELECT ${key}, 2, CAST(max(x) AS VARCHAR), count(x) FROM ${g}
  UNION ALL SELECT ${key}, 3, NULL, CAST(coalesce(sum(CASE WHEN x IS NULL THEN n END), 0) AS BIGINT) FROM ${g}
)`;
}

/**
 * SQL of the grouping query. Rows `(k, role, value, n)`, k indexing `columns`: role 0 a top value
 * and its count; role 1 the column's min (value) and distinct count (n); role 2 its max; role 3
 * its null count (n).
 */
export function compileCategoricalSummary(
  source: string,
  columns: readonly ColumnInfo[],
  limit: number = TOP_VALUES,
): string {
  const parts = columns.map((column, k) => columnSummary(source, column, k, limit));
  return `${parts.join("\nUNION ALL\n")}\nORDER BY k, role, n DESC, value`;
}

export interface CategoricalSummary {
  nullCount: number;
  distinctCount: number;
  min: string | null;
  max: string | null;
  topValues: { value: string; count: number }[];
}

/** Decodes the rows of `compileCategoricalSummary`; a column without non-null values gets zeros. */
export function decodeCategoricalSummary(columns: readonly ColumnInfo[], rows: readonly Row[]): CategoricalSummary[] {
  const out: CategoricalSummary[] = columns.map(() => ({
    nullCount: 0,
    distinctCount: 0,
    min: null,
    max: null,
    topValues: [],
  }));
  for (const r of rows) {
    const target = out[num(r.k) ?? -1];
    if (!target) continue;
    const role = num(r.role);
    const value = r.value === null || r.value === undefined ? null : String(r.value);
    if (role === 0 && value !== null) target.topValues.push({ value, count: num(r.n) ?? 0 });
    else if (role === 1) {
      target.min = value;
      target.distinctCount = num(r.n) ?? 0;
    } else if (role === 2) target.max = value;
    else if (role === 3) target.nullCount = num(r.n) ?? 0;
  }
  return out;
}
