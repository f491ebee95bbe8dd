/**
 * Mean and standard deviation of columns whose values come near the largest double (~1.8e308).
 *
 * Why: DuckDB's `stddev_pop` / `stddev_samp` accumulate Σ(x − mean)², which overflows once the
 * values' spread passes ~1.3e154, and then the whole statement fails with "Out of Range Error:
 * STDDEV_POP is out of range!"; `avg` overflows its running sum to ±Infinity even when the mean
 * itself is an ordinary double. A column holding such values (a sentinel like 1.7e308, a unit
 * error) is bad input that must not take the audit down.
 *
 * How: the statement runs as usual; only when it fails that way, or returns a non-finite mean from
 * finite values, it runs again with every value multiplied by 2^−600 inside `avg` and `stddev_*`,
 * and the results multiplied back by 2^600. Multiplying by a power of two is exact while the
 * products (and the squares Welford's update forms) stay normal doubles, so there the scaled
 * statistics are the unscaled ones bit for bit. The scaled values are at most 1.8e308 · 2^−600 ≈
 * 4.5e127: their squares times any row count below 2^40 stay below the largest double. The other
 * end is why this is a rerun and not the default: a spread below ~2^89 would square to subnormals
 * and lose its digits (the std of 1, 2, 3, 4 scaled comes out 0). When the rerun happens, the
 * spread is at least ~1e154 / √n (or the sum ~1e308), so the squares that matter stay normal and
 * values below ~1e−143, which lose bits to the scaling, change nothing at double precision. The
 * rerun costs two more scans (which columns are that large, then the statement again with only
 * those scaled), only for tables with such columns.
 */

import type { QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, queryRows } from "../rows";

/** Exponent of the scale: values are multiplied by 2^−SCALE_EXPONENT, results by 2^SCALE_EXPONENT. */
export const SCALE_EXPONENT = 600;

const DOWN = numberLiteral(2 ** -SCALE_EXPONENT);

/**
 * `x` scaled by 2^−SCALE_EXPONENT when `scaled`, for moments of an expression of several columns
 * whose terms must be scaled before they combine (y − ŷ of two values near ±1.7e308 overflows
 * before any `avg` sees it). A mean of it decodes with `unscaleMoment`, a mean of its square with
 * `unscaleMoment(Math.sqrt(·))`.
 */
export function scaleSql(x: string, scaled: boolean): string {
  return scaled ? `(${x}) * ${DOWN}` : x;
}

/** `avg(x)`, or its scaled form when `scaled` (decode with `unscaleMoment`). */
export function avgSql(x: string, scaled: boolean): string {
  return scaled ? `avg((${x}) * ${DOWN})` : `avg(${x})`;
}

/** `stddev_pop(x)` / `stddev_samp(x)`, or the scaled form when `scaled` (decode with `unscaleMoment`). */
export function stddevSql(kind: "pop" | "samp", x: string, scaled: boolean): string {
  return scaled ? `stddev_${kind}((${x}) * ${DOWN})` : `stddev_${kind}(${x})`;
}

/** A value from `avgSql` / `stddevSql` back on the column's scale. */
export function unscaleMoment(value: number | null, scaled: boolean): number | null {
  if (value === null || !scaled) return value;
  // Exact (a power of two) unless the statistic itself exceeds the largest double, e.g. the sample
  // std of ±1.7e308 (2.4e308): then Infinity, which the caller reports as such.
  return value * 2 ** SCALE_EXPONENT;
}

/** Whether an engine error is DuckDB's overflow of a variance-type aggregate. */
export function isMomentOverflow(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /\b(STDDEV_POP|STDDEV_SAMP|VARPOP|VARSAMP|VAR_POP|VAR_SAMP) is out of range/i.test(message);
}

/**
 * Finite values at or beyond this magnitude are what can overflow a variance: Σ(x − mean)² passes
 * the largest double (2^1024) only if some |x − mean| > 2^512 / √n, so some |x| > 2^491 / √n for
 * n ≤ 2^40 rows. Columns below it keep the unscaled statistics even when another column overflows.
 */
export const HUGE_MAGNITUDE = 2 ** 490;

/** The largest |finite value| of DOUBLE expression `d` (NULL when it has none): an aggregate. */
export function finiteMagnitudeSql(d: string): string {
  return `max(abs(CASE WHEN isfinite(${d}) THEN ${d} END))`;
}

/** `max(abs(finite value))` of each column as DOUBLE, aliases `m_{i}`: one scan of `source`. */
export function compileMagnitudes(source: string, columns: readonly string[]): string {
  const parts = columns.map(
    (column, i) => `${finiteMagnitudeSql(`CAST(${quoteIdentifier(column)} AS DOUBLE)`)} AS m_${integerLiteral(i)}`,
  );
  return `SELECT ${parts.join(", ")} FROM ${quoteIdentifier(source)}`;
}

/** The columns of `source` whose finite values reach HUGE_MAGNITUDE (the ones to scale after an overflow). */
export async function hugeColumns(query: QueryFn, source: string, columns: readonly string[]): Promise<Set<string>> {
  const [row] = await queryRows(query, compileMagnitudes(source, columns));
  return new Set(columns.filter((_, i) => (num(row?.[`m_${i}`]) ?? 0) >= HUGE_MAGNITUDE));
}

/**
 * Runs `attempt(∅)`. When it fails with a moment overflow, or `overflowed` says its result holds a
 * non-finite mean of finite values, asks `hugeColumns(first)` which columns (or parts) to scale —
 * `first` is the overflowed result, null when the attempt threw — and runs `attempt(those)`, which
 * scales the moments of those only (a column of ordinary values would lose its digits if scaled;
 * see the header). Returns the result and the scaled set, for the caller's trace.
 */
export async function withScaledMomentsOnOverflow<T, K>(
  attempt: (scaled: ReadonlySet<K>) => Promise<T>,
  overflowed: (result: T) => boolean,
  hugeColumns: (first: T | null) => Promise<ReadonlySet<K>>,
): Promise<{ result: T; scaled: ReadonlySet<K> }> {
  const none: ReadonlySet<K> = new Set();
  let first: T | null = null;
  try {
    first = await attempt(none);
    if (!overflowed(first)) return { result: first, scaled: none };
  } catch (error) {
    if (!isMomentOverflow(error)) throw error;
  }
  const scaled = await hugeColumns(first);
  return { result: await attempt(scaled), scaled };
}
