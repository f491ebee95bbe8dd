/**
 * Column profile: counts, distinct values, range, moments, quantiles and top values.
 *
 * - nullCount: SQL NULLs. NaN and ±Inf are counted apart (nanCount, posInfCount, negInfCount)
 *   and are NOT nulls.
 * - distinctCount: exact `count(DISTINCT x)` over non-null values; NaN counts as one value
 *   (DuckDB treats NaN as equal to NaN), +Inf and −Inf as one value each.
 * - min, max, mean, std, quantiles (numeric columns): over the FINITE values only, so one NaN
 *   or Inf cannot poison them. std is the sample standard deviation (ddof = 1, pandas
 *   `Series.std()`), null with fewer than two finite values. Quantiles are exact with linear
 *   interpolation (DuckDB `quantile_cont`, numpy `quantile(method="linear")`), never approximate.
 * - min/max of categorical and temporal columns: the type's own ordering, rendered as text.
 * - topValues (categorical columns): the 10 most frequent non-null values with counts, ties
 *   broken by value (byte order); values rendered as text (`true`/`false` for booleans).
 *
 * Cost: one scan computes every statistic of every column; a second query (one GROUPING SETS
 * scan) computes the top values of all categorical columns.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import { describeRelation, requireColumns } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { type ColumnKind, columnKind, holdsNonFinite } from "./column-kind";

export const PROFILE_QUANTILES = {
  p01: 0.01,
  p05: 0.05,
  p25: 0.25,
  p50: 0.5,
  p75: 0.75,
  p95: 0.95,
  p99: 0.99,
} as const;
export type QuantileName = keyof typeof PROFILE_QUANTILES;
const QUANTILE_NAMES = Object.keys(PROFILE_QUANTILES) as QuantileName[];

/** How many top values a categorical column reports. */
export const TOP_VALUES = 10;

export interface QualityProfileSpec {
  /** Table or view to profile. */
  source: string;
  /** Columns to profile, in this order; all columns when omitted. */
  columns?: string[];
}

export interface TopValue {
  value: string;
  count: number;
}

export interface ColumnProfile {
  column: string;
  /** DuckDB type name. */
  type: string;
  kind: ColumnKind;
  nullCount: number;
  nullRate: number;
  nanCount: number;
  posInfCount: number;
  negInfCount: number;
  distinctCount: number;
  min: number | string | null;
  max: number | string | null;
  mean: number | null;
  std: number | null;
  quantiles: Record<QuantileName, number | null> | null;
  topValues: TopValue[] | null;
}

export interface QualityProfileResult {
  rows: number;
  columns: ColumnProfile[];
  trace: string[];
  warnings: AuditWarning[];
}

function alias(i: number, stat: string): string {
  return quoteIdentifier(`a${i}_${stat}`);
}

/**
 * The projections of one column (`v{i}` the value; `f{i}` the finite value as DOUBLE, else
 * NULL) and its aggregates over them, as `expr AS alias` items. Aggregates skip NULLs, so
 * min/max/avg/stddev/quantile over `f{i}` are the finite-only statistics without FILTER
 * clauses, which DuckDB evaluates once per aggregate (several times slower on wide tables).
 */
function columnParts(column: ColumnInfo, i: number): { projections: string[]; aggregates: string[] } {
  const c = quoteIdentifier(column.name);
  const v = quoteIdentifier(`v${i}`);
  const f = quoteIdentifier(`f${i}`);
  const kind = columnKind(column.type);
  const projections = [`${c} AS ${v}`];
  const aggregates = [
    `count(*) - count(${v}) AS ${alias(i, "null")}`,
    `count(DISTINCT ${v}) AS ${alias(i, "distinct")}`,
  ];
  if (kind === "numeric") {
    const d = `CAST(${c} AS DOUBLE)`;
    projections.push(holdsNonFinite(column.type) ? `CASE WHEN isfinite(${d}) THEN ${d} END AS ${f}` : `${d} AS ${f}`);
    if (holdsNonFinite(column.type)) {
      aggregates.push(`count_if(isnan(${v})) AS ${alias(i, "nan")}`);
      aggregates.push(`count_if(isinf(${v}) AND ${v} > 0) AS ${alias(i, "posinf")}`);
      aggregates.push(`count_if(isinf(${v}) AND ${v} < 0) AS ${alias(i, "neginf")}`);
    }
    const qs = QUANTILE_NAMES.map((q) => String(PROFILE_QUANTILES[q])).join(", ");
    aggregates.push(`min(${f}) AS ${alias(i, "min")}`);
    aggregates.push(`max(${f}) AS ${alias(i, "max")}`);
    aggregates.push(`avg(${f}) AS ${alias(i, "mean")}`);
    aggregates.push(`stddev_samp(${f}) AS ${alias(i, "std")}`);
    aggregates.push(`quantile_cont(${f}, [${qs}]) AS ${alias(i, "q")}`);
  } else if (kind === "categorical" || kind === "temporal") {
    aggregates.push(`CAST(min(${v}) AS VARCHAR) AS ${alias(i, "min")}`);
    aggregates.push(`CAST(max(${v}) AS VARCHAR) AS ${alias(i, "max")}`);
  }
  return { projections, aggregates };
}

/** SQL of the single scan that profiles every column. */
export function compileQualityProfile(source: string, columns: readonly ColumnInfo[]): string {
  const parts = columns.map(columnParts);
  const projections = parts.flatMap((p) => p.projections);
  const aggregates = [`count(*) AS ${quoteIdentifier("n_rows")}`, ...parts.flatMap((p) => p.aggregates)];
  const from =
    projections.length > 0
      ? `(SELECT ${projections.join(", ")} FROM ${quoteIdentifier(source)})`
      : quoteIdentifier(source);
  return `SELECT\n  ${aggregates.join(",\n  ")}\nFROM ${from}`;
}

/**
 * SQL of one GROUPING SETS scan that returns the top values of the given columns:
 * rows (k, value, n) where k indexes `columns`.
 */
export function compileTopValues(source: string, columns: readonly ColumnInfo[], limit: number = TOP_VALUES): string {
  const keys = columns.map((_, k) => quoteIdentifier(`k${k}`));
  const casts = columns.map((col, k) => `CAST(${quoteIdentifier(col.name)} AS VARCHAR) AS ${keys[k]}`);
  const which = columns.map((_, k) => `WHEN GROUPING(${keys[k]}) = 0 THEN ${k}`).join(" ");
  const value = columns.map((_, k) => `WHEN ${k} THEN ${keys[k]}`).join(" ");
  return `WITH keyed AS (SELECT ${casts.join(", ")} FROM ${quoteIdentifier(source)}),
grouped AS (
  SELECT CASE ${which} END AS k, ${keys.join(", ")}, count(*) AS n
  FROM keyed GROUP BY GROUPING SETS (${keys.map((key) => `(${key})`).join(", ")})
),
valued AS (SELECT k, CASE k ${value} END AS value, n FROM grouped)
SELECT k, value, n FROM valued
WHERE value IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY k ORDER BY n DESC, value) <= ${integerLiteral(limit)}
ORDER BY k, n DESC, value`;
}

function stat(row: Row, i: number, name: string): unknown {
  return row[`a${i}_${name}`];
}

function decodeColumn(row: Row, column: ColumnInfo, i: number, rows: number): ColumnProfile {
  const kind = columnKind(column.type);
  const nullCount = num(stat(row, i, "null")) ?? 0;
  const textOrNumber = (v: unknown): number | string | null =>
    v === null || v === undefined ? null : kind === "numeric" ? num(v) : String(v);
  let quantiles: ColumnProfile["quantiles"] = null;
  if (kind === "numeric") {
    const list = stat(row, i, "q");
    const values = Array.isArray(list) ? list : [];
    quantiles = Object.fromEntries(QUANTILE_NAMES.map((q, k) => [q, num(values[k])])) as Record<
      QuantileName,
      number | null
    >;
  }
  return {
    column: column.name,
    type: column.type,
    kind,
    nullCount,
    nullRate: rows > 0 ? nullCount / rows : 0,
    nanCount: num(stat(row, i, "nan")) ?? 0,
    posInfCount: num(stat(row, i, "posinf")) ?? 0,
    negInfCount: num(stat(row, i, "neginf")) ?? 0,
    distinctCount: num(stat(row, i, "distinct")) ?? 0,
    min: textOrNumber(stat(row, i, "min")),
    max: textOrNumber(stat(row, i, "max")),
    mean: kind === "numeric" ? num(stat(row, i, "mean")) : null,
    std: kind === "numeric" ? num(stat(row, i, "std")) : null,
    quantiles,
    topValues: kind === "categorical" ? [] : null,
  };
}

/** Profiles the columns of `source`. Throws `empty-table` when it has no rows. */
export async function runQualityProfile(query: QueryFn, spec: QualityProfileSpec): Promise<QualityProfileResult> {
  const all = await describeRelation(query, spec.source);
  let columns = all;
  if (spec.columns) {
    requireColumns(all, spec.columns, spec.source);
    columns = spec.columns.map((name) => all.find((c) => c.name === name) as ColumnInfo);
  }
  const log = new WarningLog();
  const trace: string[] = [];
  const [row] = await queryRows(query, compileQualityProfile(spec.source, columns));
  const rows = num(row?.n_rows) ?? 0;
  if (!row || rows === 0) {
    throw new AuditInputError(
      "empty-table",
      `"${spec.source}" has no rows. Load data or widen the filter, then run again.`,
    );
  }
  trace.push(`Scan 1: one SELECT computed ${columns.length} column profiles over ${rows} rows.`);
  trace.push(
    "nullCount counts SQL NULLs only; NaN and ±Inf are counted separately and excluded from min, max, mean, std and quantiles (computed over finite values).",
  );
  trace.push(
    "std is the sample standard deviation (ddof = 1); quantiles are exact, linear interpolation (quantile_cont).",
  );
  const profiles = columns.map((c, i) => decodeColumn(row, c, i, rows));

  const categorical = profiles.filter((p) => p.kind === "categorical");
  if (categorical.length > 0) {
    const info = categorical.map((p) => ({ name: p.column, type: p.type }));
    const top = await queryRows(query, compileTopValues(spec.source, info));
    for (const r of top) {
      const target = categorical[num(r.k) ?? -1];
      target?.topValues?.push({ value: String(r.value), count: num(r.n) ?? 0 });
    }
    trace.push(
      `Scan 2: one GROUPING SETS query found the top ${TOP_VALUES} values of ${categorical.length} categorical columns (ties broken by value).`,
    );
  }

  for (const p of profiles) {
    if (p.nullCount === rows) {
      log.warn("all-null", `Column "${p.column}" is entirely null.`, p.column);
    } else if (p.distinctCount === 1) {
      log.warn("constant", `Column "${p.column}" holds a single value; it carries no information.`, p.column);
    }
    const nonFinite = p.nanCount + p.posInfCount + p.negInfCount;
    if (nonFinite > 0) {
      log.warn(
        "non-finite-values",
        `Column "${p.column}" has ${p.nanCount} NaN, ${p.posInfCount} +Inf and ${p.negInfCount} −Inf values; its statistics use the finite values only.`,
        p.column,
      );
    }
  }
  return { rows, columns: profiles, trace, warnings: log.items };
}
