/**
 * SQL for a binary 0/1 column whatever its storage type: BOOLEAN, an integer or float
 * holding 0/1, or text holding "0"/"1"/"true"/"false" (the values `requireBinaryLabel`
 * accepts). Null stays null, so callers can count and drop missing labels.
 */
import type { ColumnInfo } from "../../engine/types";
import { quoteIdentifier } from "../../sql/identifiers";
import { isNumericType } from "../validate";

/** An INTEGER 0/1 expression for `column`, chosen by its DuckDB type. */
export function binaryExpression(column: string, columns: readonly ColumnInfo[]): string {
  const c = quoteIdentifier(column);
  const type = columns.find((x) => x.name === column)?.type.toUpperCase() ?? "VARCHAR";
  if (type === "BOOLEAN") return `CAST(${c} AS INTEGER)`;
  if (isNumericType(type)) return `CAST(${c} = 1 AS INTEGER)`;
  return `CAST(CAST(${c} AS VARCHAR) IN ('1', '1.0', 'true') AS INTEGER)`;
}
