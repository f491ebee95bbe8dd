/**
 * Turns a TypeScript cell's `sql` tagged template into SQL text, app-side. Interpolated values
 * become literals through lib/sql/identifiers (quoteString, numberLiteral…), never raw text, so
 * `${"x' OR 1=1 --"}` is a string and nothing else. `sql.identifier(name)` marks a table or
 * column name, which is quoted with quoteIdentifier. The engine client has no prepared
 * statements, hence literals rather than bound parameters.
 */
import { quoteIdentifier, quoteString } from "../sql/identifiers";
import type { SqlValue } from "./protocol";

function literal(value: SqlValue): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "CAST('NaN' AS DOUBLE)";
    if (!Number.isFinite(value)) return `CAST('${value > 0 ? "Infinity" : "-Infinity"}' AS DOUBLE)`;
    if (Number.isSafeInteger(value)) return String(value);
    return `CAST(${value.toExponential()} AS DOUBLE)`;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error("An invalid Date cannot be used in sql``.");
    return `TIMESTAMP ${quoteString(value.toISOString().replace("T", " ").replace("Z", ""))}`;
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object" && typeof value.$identifier === "string") return quoteIdentifier(value.$identifier);
  throw new Error(`sql\`\` cannot interpolate a value of type ${typeof value}.`);
}

/** The SQL for `sql\`${strings[0]}${values[0]}${strings[1]}…\``. */
export function renderSqlTemplate(strings: readonly string[], values: readonly SqlValue[]): string {
  if (strings.length !== values.length + 1) throw new Error("Malformed sql`` template.");
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += literal(v) + (strings[i + 1] ?? "");
  });
  return out;
}
