/**
 * How the quality checks treat a DuckDB column type: which statistics apply and which
 * type family a contract's `type` rule means.
 */
import { isFloatingType, isIntegerType, isNumericType } from "../validate";

/** `numeric`: all statistics; `categorical`: top values; `temporal`: min/max; `other`: counts only. */
export type ColumnKind = "numeric" | "categorical" | "temporal" | "other";

export function columnKind(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (isNumericType(t)) return "numeric";
  if (t === "VARCHAR" || t === "BOOLEAN" || t === "UUID" || t.startsWith("ENUM")) return "categorical";
  if (t === "DATE" || t.startsWith("TIMESTAMP") || t === "TIME" || t.startsWith("TIME ")) return "temporal";
  return "other";
}

/** Whether the type can hold NaN and ±Inf. */
export function holdsNonFinite(type: string): boolean {
  return isFloatingType(type);
}

/**
 * SQL that is true for a finite DOUBLE, false for NaN and ±Inf, NULL for NULL: two comparisons,
 * since DuckDB orders NaN above +Inf (so `NaN < +Inf` is false). In DuckDB-WASM 1.4.3 this costs
 * about half of `isfinite(x)` (56 vs 100 ms over 11 columns × 1M rows, inside a CASE).
 */
export function isFiniteSql(double: string): string {
  return `(${double} > CAST('-inf' AS DOUBLE) AND ${double} < CAST('inf' AS DOUBLE))`;
}

/** Type families a contract may name instead of an exact DuckDB type. */
export const TYPE_FAMILIES = ["numeric", "integer", "string", "boolean", "timestamp"] as const;
export type TypeFamily = (typeof TYPE_FAMILIES)[number];

/** Whether a DuckDB type belongs to a family, or equals an exact type name (case-insensitive). */
export function typeMatches(actual: string, expected: string): boolean {
  const a = actual.toUpperCase();
  switch (expected.toLowerCase()) {
    case "numeric":
      return isNumericType(a);
    case "integer":
      return isIntegerType(a);
    case "string":
      return a === "VARCHAR" || a.startsWith("ENUM");
    case "boolean":
      return a === "BOOLEAN";
    case "timestamp":
      return a.startsWith("TIMESTAMP");
    default:
      return a === expected.toUpperCase();
  }
}
