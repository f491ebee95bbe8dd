/**
 * Categorical columns of the profile (VARCHAR, BOOLEAN, ENUM, UUID) from ONE GROUPING SETS scan:
 * per column its groups give, exactly,
 * - distinctCount = the number of non-null groups (= `count(DISTINCT x)`),
 * - min / max = the smallest / largest non-null group key in the type's own order (grouping on
 *   the raw value, not its text, so ENUMs keep their declared order), rendered as text,
 * - topValues = the `limit` largest groups, ties broken by the value's text (byte order).
 * One hash aggregate per column over low-cardinality keys replaces a `count(DISTINCT x)` and a
 * `min`/`max` over strings per column in the main scan (each as costly as the grouping itself).
 */
import type { ColumnInfo } from "../../engine/types";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, type Row } from "../rows";

/** How many top values a categorical column reports. */
export const TOP_VALUES = 10;

/**
 * SQL of the grouping scan. Rows `(k, role, value, n)`, k indexing `columns`: role 0 a top value
 * and its count; role 1 the column's min (value) and distinct count (n); role 2 its max.
 */
export function compileCategoricalSummary(
  source: string,
  columns: readonly ColumnInfo[],
  limit: number = TOP_VALUES,
): string {
  const keys = columns.map((_, k) => quoteIdentifier(`k${k}`));
  const raw = columns.map((col, k) => `${quoteIdentifier(col.name)} AS ${keys[k]}`);
  const which = columns.map((_, k) => `WHEN GROUPING(${keys[k]}) = 0 THEN ${k}`).join(" ");
  const text = columns.map((_, k) => `WHEN ${k} THEN CAST(${keys[k]} AS VARCHAR)`).join(" ");
  const present = columns.map((_, k) => `WHEN ${k} THEN ${keys[k]} IS NOT NULL`).join(" ");
  const mins = columns.map((_, k) => `WHEN ${k} THEN CAST(min(${keys[k]}) AS VARCHAR)`).join(" ");
  const maxs = columns.map((_, k) => `WHEN ${k} THEN CAST(max(${keys[k]}) AS VARCHAR)`).join(" ");
  return `WITH grouped AS MATERIALIZED (
  SELECT CASE ${which} END AS k, ${keys.join(", ")}, count(*) AS n
  FROM (SELECT ${raw.join(", ")} FROM ${quoteIdentifier(source)})
  GROUP BY GROUPING SETS (${keys.map((key) => `(${key})`).join(", ")})
),
present AS (SELECT * FROM grouped WHERE CASE k ${present} END),
top AS (
  SELECT k, 0 AS role, CASE k ${text} END AS value, n FROM present
  QUALIFY row_number() OVER (PARTITION BY k ORDER BY n DESC, value) <= ${integerLiteral(limit)}
),
summary AS (
  SELECT k, CASE k ${mins} END AS lo, CASE k ${maxs} END AS hi, count(*) AS d FROM present GROUP BY k
)
SELECT k, role, value, n FROM top
UNION ALL SELECT k, 1, lo, d FROM summary
UNION ALL SELECT k, 2, hi, d FROM summary
ORDER BY k, role, n DESC, value`;
}

export interface CategoricalSummary {
  distinctCount: number;
  min: string | null;
  max: string | null;
  topValues: { value: string; count: number }[];
}

/** Decodes the rows of `compileCategoricalSummary`; a column without non-null values gets zeros. */
export function decodeCategoricalSummary(columns: readonly ColumnInfo[], rows: readonly Row[]): CategoricalSummary[] {
  const out: CategoricalSummary[] = columns.map(() => ({ distinctCount: 0, min: null, max: null, topValues: [] }));
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
  }
  return out;
}
