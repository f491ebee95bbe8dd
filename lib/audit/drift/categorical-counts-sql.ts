/**
 * Per-category counts of R and C for every categorical column, one UNION ALL branch per column
 * (each reads only its column). Values are compared as text (`CAST(x AS VARCHAR)`); numeric columns
 * forced to categorical are cast through DOUBLE so that R and C spell the same number the same way,
 * and their NaN / ±Inf join the nulls. The null category (value NULL) carries the dropped counts.
 */
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, type Row } from "../rows";
import { doubleOf, finiteOf } from "./numeric-summary-sql";

export interface CategoricalColumn {
  column: string;
  /** The column has a numeric type in R or C: cast through DOUBLE and drop NaN / ±Inf. */
  numeric: boolean;
}

export interface CategoricalCountsSpec {
  reference: string;
  current: string;
  columns: readonly CategoricalColumn[];
}

function categoryExpression(col: CategoricalColumn): string {
  if (!col.numeric) return `CAST(${quoteIdentifier(col.column)} AS VARCHAR)`;
  return `CASE WHEN ${finiteOf(col.column)} THEN CAST(${doubleOf(col.column)} AS VARCHAR) END`;
}

export function compileCategoricalCounts(spec: CategoricalCountsSpec): string {
  const branches = spec.columns.map((col, i) => {
    const v = categoryExpression(col);
    return `SELECT ${integerLiteral(i)} AS col, v, CAST(count(*) - sum(s) AS BIGINT) AS r, CAST(sum(s) AS BIGINT) AS c
  FROM (SELECT ${v} AS v, 0 AS s FROM ${quoteIdentifier(spec.reference)}
        UNION ALL SELECT ${v} AS v, 1 AS s FROM ${quoteIdentifier(spec.current)})
  GROUP BY v`;
  });
  return `${branches.join("\nUNION ALL\n")}\nORDER BY col, v NULLS FIRST`;
}

export interface CategoryCount {
  value: string;
  reference: number;
  current: number;
}

export interface CategoricalCounts {
  categories: CategoryCount[];
  nReference: number;
  nCurrent: number;
  droppedReference: number;
  droppedCurrent: number;
}

export function decodeCategoricalCounts(spec: CategoricalCountsSpec, rows: Row[]): CategoricalCounts[] {
  const out: CategoricalCounts[] = spec.columns.map(() => ({
    categories: [],
    nReference: 0,
    nCurrent: 0,
    droppedReference: 0,
    droppedCurrent: 0,
  }));
  for (const row of rows) {
    const target = out[num(row.col) ?? -1];
    if (!target) continue;
    const r = num(row.r) ?? 0;
    const c = num(row.c) ?? 0;
    if (row.v === null) {
      target.droppedReference += r;
      target.droppedCurrent += c;
      continue;
    }
    target.categories.push({ value: String(row.v), reference: r, current: c });
    target.nReference += r;
    target.nCurrent += c;
  }
  return out;
}

export interface OneSideCategoryCountsSpec {
  source: string;
  columns: readonly CategoricalColumn[];
}

/** Counts per value (NULL = dropped) of one table: a reference profile, or the current side of a profile run. */
export function compileOneSideCategoryCounts(spec: OneSideCategoryCountsSpec): string {
  const branches = spec.columns.map(
    (col, i) =>
      // The subquery keeps GROUP BY v on the alias even when the table has a column named v.
      `SELECT ${integerLiteral(i)} AS col, v, count(*) AS n FROM (SELECT ${categoryExpression(col)} AS v FROM ${quoteIdentifier(spec.source)}) GROUP BY v`,
  );
  return `${branches.join("\nUNION ALL\n")}\nORDER BY col, v NULLS FIRST`;
}

export interface OneSideCategoryCounts {
  categories: { value: string; count: number }[];
  n: number;
  dropped: number;
}

export function decodeOneSideCategoryCounts(spec: OneSideCategoryCountsSpec, rows: Row[]): OneSideCategoryCounts[] {
  const out: OneSideCategoryCounts[] = spec.columns.map(() => ({ categories: [], n: 0, dropped: 0 }));
  for (const row of rows) {
    const target = out[num(row.col) ?? -1];
    if (!target) continue;
    const n = num(row.n) ?? 0;
    if (row.v === null) target.dropped += n;
    else {
      target.categories.push({ value: String(row.v), count: n });
      target.n += n;
    }
  }
  return out;
}
