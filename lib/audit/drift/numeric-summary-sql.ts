/**
 * Scan 1 of the numeric drift pipeline: per column and side, the finite count, min, max, and for the
 * reference also mean and population std (deciles come from order statistics, stats/order-statistics.ts).
 * One query reads each table once for every column; nulls, NaN and ±Inf are left out through
 * `isfinite`, and their number is n_rows − n.
 * An optional second query gives the reference's population skewness g1 = mean(((x − mean) / std)³)
 * for Doane's rule (NannyML convention), in a second pass so that it does not lose digits.
 */
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { avgSql, stddevSql, unscaleMoment } from "../stats/scaled-moments";
import { doubleLiteral } from "./double-literal";
import { num, type Row } from "../rows";

export interface NumericSummarySpec {
  reference: string;
  current: string;
  columns: readonly string[];
  /**
   * Columns whose reference mean and std are taken over values scaled by 2^−600, after values near
   * the largest double overflowed them (stats/scaled-moments.ts); decode with the same spec.
   */
  scaled?: ReadonlySet<string>;
}

/** DOUBLE expression of a column. */
export function doubleOf(column: string): string {
  return `CAST(${quoteIdentifier(column)} AS DOUBLE)`;
}

/** Predicate: not null, not NaN, not ±Inf. */
export function finiteOf(column: string): string {
  return `isfinite(${doubleOf(column)})`;
}

/** x where finite, else NULL: aggregates skip it. Cheaper in DuckDB 1.4 than `FILTER (WHERE …)`. */
export function finiteValueOf(column: string): string {
  return `CASE WHEN ${finiteOf(column)} THEN ${doubleOf(column)} END`;
}

/** Counts, min, max for both sides; mean and std for the reference. No quantiles (no sort). */
export function compileNumericSummary(spec: NumericSummarySpec): string {
  const ref = spec.columns.flatMap((column, i) => {
    const x = finiteValueOf(column);
    return [
      `count(${x}) AS r_n_${i}`,
      `min(${x}) AS r_min_${i}`,
      `max(${x}) AS r_max_${i}`,
      `${avgSql(x, spec.scaled?.has(column) === true)} AS r_mean_${i}`,
      `${stddevSql("pop", x, spec.scaled?.has(column) === true)} AS r_std_${i}`,
    ];
  });
  const cur = spec.columns.flatMap((column, i) => {
    const x = finiteValueOf(column);
    return [`count(${x}) AS c_n_${i}`, `min(${x}) AS c_min_${i}`, `max(${x}) AS c_max_${i}`];
  });
  return `SELECT * FROM
  (SELECT count(*) AS r_rows, ${ref.join(", ")} FROM ${quoteIdentifier(spec.reference)}) AS r,
  (SELECT count(*) AS c_rows, ${cur.join(", ")} FROM ${quoteIdentifier(spec.current)}) AS c`;
}

export interface SideSummary {
  n: number;
  dropped: number;
  min: number | null;
  max: number | null;
}

export interface NumericSummary {
  column: string;
  reference: SideSummary & { mean: number | null; std: number | null };
  current: SideSummary;
}

export function decodeNumericSummary(spec: NumericSummarySpec, row: Row): NumericSummary[] {
  const rRows = num(row.r_rows) ?? 0;
  const cRows = num(row.c_rows) ?? 0;
  return spec.columns.map((column, i) => {
    const rn = num(row[`r_n_${i}`]) ?? 0;
    const cn = num(row[`c_n_${i}`]) ?? 0;
    return {
      column,
      reference: {
        n: rn,
        dropped: rRows - rn,
        min: num(row[`r_min_${i}`]),
        max: num(row[`r_max_${i}`]),
        mean: unscaleMoment(num(row[`r_mean_${i}`]), spec.scaled?.has(column) === true),
        std: unscaleMoment(num(row[`r_std_${i}`]), spec.scaled?.has(column) === true),
      },
      current: { n: cn, dropped: cRows - cn, min: num(row[`c_min_${i}`]), max: num(row[`c_max_${i}`]) },
    };
  });
}

export interface SkewnessSpec {
  source: string;
  columns: readonly { column: string; mean: number; std: number }[];
}

/** Population skewness per column, given mean and std from the summary (std > 0). */
export function compileSkewness(spec: SkewnessSpec): string {
  const parts = spec.columns.map(({ column, mean, std }, i) => {
    const z = `((${doubleOf(column)} - ${doubleLiteral(mean)}) / ${doubleLiteral(std)})`;
    return `avg(CASE WHEN ${finiteOf(column)} THEN ${z} * ${z} * ${z} END) AS g1_${integerLiteral(i)}`;
  });
  return `SELECT ${parts.join(", ")} FROM ${quoteIdentifier(spec.source)}`;
}

export interface OneSideSummarySpec {
  source: string;
  columns: readonly string[];
  /** Also mean, std and distinct count (reference profile; deciles come from order statistics). */
  profile?: boolean;
  /** Columns whose mean and std are taken over scaled values (as in `NumericSummarySpec`). */
  scaled?: ReadonlySet<string>;
}

/** One table's numeric summary (current side of a profile-based run, or the profile itself). */
export function compileOneSideSummary(spec: OneSideSummarySpec): string {
  const parts = spec.columns.flatMap((column, i) => {
    const x = finiteValueOf(column);
    const base = [`count(${x}) AS n_${i}`, `min(${x}) AS min_${i}`, `max(${x}) AS max_${i}`];
    if (!spec.profile) return base;
    const scaled = spec.scaled?.has(column) === true;
    return [
      ...base,
      `${avgSql(x, scaled)} AS mean_${i}`,
      `${stddevSql("pop", x, scaled)} AS std_${i}`,
      `count(DISTINCT ${x}) AS distinct_${i}`,
    ];
  });
  return `SELECT count(*) AS n_rows, ${parts.join(", ")} FROM ${quoteIdentifier(spec.source)}`;
}

export interface OneSideSummary extends SideSummary {
  mean: number | null;
  std: number | null;
  nDistinct: number;
}

export function decodeOneSideSummary(spec: OneSideSummarySpec, row: Row): OneSideSummary[] {
  const rows = num(row.n_rows) ?? 0;
  return spec.columns.map((_, i) => {
    const n = num(row[`n_${i}`]) ?? 0;
    return {
      n,
      dropped: rows - n,
      min: num(row[`min_${i}`]),
      max: num(row[`max_${i}`]),
      mean: unscaleMoment(num(row[`mean_${i}`]), spec.scaled?.has(spec.columns[i] as string) === true),
      std: unscaleMoment(num(row[`std_${i}`]), spec.scaled?.has(spec.columns[i] as string) === true),
      nDistinct: num(row[`distinct_${i}`]) ?? 0,
    };
  });
}
