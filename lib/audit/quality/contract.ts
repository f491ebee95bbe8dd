/**
 * Data contract: per-column rules checked against a table, reported as violations with
 * counts and example rows. Rules and what violates them:
 * - exists: the column is absent (count 1; the other rules of that column are not checked).
 * - type: the DuckDB type is not in the family (`numeric`, `integer`, `string`, `boolean`,
 *   `timestamp`) or differs from the exact type named (count 1, schema-level).
 * - notNull: rows where the value is SQL NULL (NaN is not NULL).
 * - min / max (numeric columns): non-null values below min / above max, and NaN (NaN lies in
 *   no range). ±Inf fall outside any finite bound.
 * - allowed: non-null values not in the list (numeric columns compare numerically, others
 *   compare their text form, e.g. `true`/`false` for booleans).
 * - unique: duplicate non-null values beyond each value's first occurrence:
 *   count(x) − count(DISTINCT x), pandas `s.dropna().duplicated().sum()`. Its examples are
 *   rows whose value occurs more than once.
 * Counts for every rule come from one scan; the examples of every violated rule from one
 * UNION ALL query (LIMIT per rule). `row` in an example is the 1-based position in scan order
 * (insertion order for tables); pass `key` to also report an identifying column.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { describeRelation, isNumericType, requireColumns } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { holdsNonFinite, typeMatches } from "./column-kind";

export interface ColumnRules {
  /** A family (`numeric`, `integer`, `string`, `boolean`, `timestamp`) or an exact DuckDB type name. */
  type?: string;
  notNull?: boolean;
  min?: number;
  max?: number;
  allowed?: (string | number)[];
  unique?: boolean;
}

export interface Contract {
  columns: Record<string, ColumnRules>;
}

export interface ContractSpec {
  source: string;
  contract: Contract;
  /** Example rows per violated rule; default 5. */
  exampleLimit?: number;
  /** Column reported beside the row number in examples (e.g. an id). */
  key?: string;
}

export type ContractRule = "exists" | "type" | "notNull" | "min" | "max" | "allowed" | "unique";

export interface ViolationExample {
  /** 1-based position in scan order. */
  row: number;
  /** The `key` column's value as text, when a key was given. */
  key?: string | null;
  /** The offending value as text (null for a NULL). */
  value: string | null;
}

export interface Violation {
  column: string;
  rule: ContractRule;
  count: number;
  detail: string;
  examples: ViolationExample[];
}

export interface ContractResult {
  rows: number;
  violations: Violation[];
  totalViolations: number;
  passed: boolean;
  trace: string[];
  warnings: AuditWarning[];
}

/** A data rule turned into SQL: `predicate` selects violating rows, or `count` is an aggregate. */
export interface CompiledRule {
  column: string;
  rule: ContractRule;
  detail: string;
  predicate?: string;
  count?: string;
}

function allowedList(values: readonly (string | number)[], numeric: boolean, column: string): string {
  return values
    .map((v) => {
      if (!numeric) return quoteString(String(v));
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new AuditInputError(
          "invalid-option",
          `The allowed values of numeric column "${column}" must be finite numbers; got ${JSON.stringify(v)}.`,
          column,
        );
      }
      return numberLiteral(v);
    })
    .join(", ");
}

function checkBound(value: number | undefined, name: string, column: string): void {
  if (value !== undefined && !Number.isFinite(value)) {
    throw new AuditInputError("invalid-option", `The ${name} of column "${column}" must be a finite number.`, column);
  }
}

/** Turns the data rules (everything but exists/type) of one present column into SQL. */
export function compileColumnRules(column: ColumnInfo, rules: ColumnRules, log: WarningLog): CompiledRule[] {
  const name = column.name;
  const c = quoteIdentifier(name);
  const numeric = isNumericType(column.type);
  const d = `CAST(${c} AS DOUBLE)`;
  const nan = holdsNonFinite(column.type) ? `isnan(${d}) OR ` : "";
  const out: CompiledRule[] = [];
  checkBound(rules.min, "min", name);
  checkBound(rules.max, "max", name);
  if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
    throw new AuditInputError("invalid-option", `Column "${name}": min ${rules.min} exceeds max ${rules.max}.`, name);
  }
  if (rules.notNull) out.push({ column: name, rule: "notNull", detail: "value is NULL", predicate: `${c} IS NULL` });
  for (const bound of ["min", "max"] as const) {
    const value = rules[bound];
    if (value === undefined) continue;
    if (!numeric) {
      log.warn(
        "rule-not-evaluated",
        `The ${bound} rule of "${name}" was not checked: the column has type ${column.type}, not a number.`,
        name,
      );
      continue;
    }
    const op = bound === "min" ? "<" : ">";
    out.push({
      column: name,
      rule: bound,
      detail: `value ${op} ${value} or NaN`,
      predicate: `${c} IS NOT NULL AND (${nan}${d} ${op} ${numberLiteral(value)})`,
    });
  }
  if (rules.allowed) {
    const list = allowedList(rules.allowed, numeric, name);
    const lhs = numeric ? d : `CAST(${c} AS VARCHAR)`;
    out.push({
      column: name,
      rule: "allowed",
      detail: `value not in ${JSON.stringify(rules.allowed)}`,
      predicate: list === "" ? `${c} IS NOT NULL` : `${c} IS NOT NULL AND ${lhs} NOT IN (${list})`,
    });
  }
  if (rules.unique) {
    out.push({
      column: name,
      rule: "unique",
      detail: "duplicate value (beyond its first occurrence)",
      count: `count(${c}) - count(DISTINCT ${c})`,
    });
  }
  return out;
}

/** SQL of the one scan that counts the violations of every data rule: columns n, v0, v1, … */
export function compileContractCounts(source: string, rules: readonly CompiledRule[]): string {
  const items = rules.map(
    (r, k) => `${r.count ?? `count(*) FILTER (WHERE ${r.predicate})`} AS ${quoteIdentifier(`v${k}`)}`,
  );
  return `SELECT count(*) AS n${items.map((i) => `,\n  ${i}`).join("")}\nFROM ${quoteIdentifier(source)}`;
}

/** SQL of the one UNION ALL query returning up to `limit` examples of each listed rule: (k, row, key, value). */
export function compileContractExamples(
  source: string,
  rules: readonly { index: number; rule: CompiledRule }[],
  limit: number,
  key?: string,
): string {
  const row = quoteIdentifier("__assay_row");
  const needed = [...new Set([...rules.map((r) => r.rule.column), ...(key ? [key] : [])])];
  const keyExpr = key ? `CAST(${quoteIdentifier(key)} AS VARCHAR)` : "CAST(NULL AS VARCHAR)";
  const parts = rules.map(({ index, rule }) => {
    const c = quoteIdentifier(rule.column);
    const select = `SELECT ${integerLiteral(index)} AS k, ${row} AS "row", ${keyExpr} AS "key", CAST(${c} AS VARCHAR) AS "value"`;
    const from =
      rule.rule === "unique"
        ? `(SELECT *, count(*) OVER (PARTITION BY ${c}) AS "__assay_dup" FROM numbered WHERE ${c} IS NOT NULL) WHERE "__assay_dup" > 1`
        : `numbered WHERE ${rule.predicate}`;
    // `SELECT * FROM (…)` rather than a bare `(…)`: DuckDB's parser rejects a lone parenthesised
    // SELECT followed by ORDER BY ("exprLocation NOT IMPLEMENTED").
    return `SELECT * FROM (${select} FROM ${from} ORDER BY ${row} LIMIT ${integerLiteral(limit)})`;
  });
  return `WITH numbered AS MATERIALIZED (
  SELECT row_number() OVER () AS ${row}, ${needed.map(quoteIdentifier).join(", ")} FROM ${quoteIdentifier(source)}
)
${parts.join("\nUNION ALL\n")}
ORDER BY k, "row"`;
}

/** Checks `source` against a contract. A missing column is a violation, not an error. */
export async function runContract(query: QueryFn, spec: ContractSpec): Promise<ContractResult> {
  const limit = spec.exampleLimit ?? 5;
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new AuditInputError("invalid-option", `exampleLimit must be a non-negative integer; got ${limit}.`);
  }
  const columns = await describeRelation(query, spec.source);
  if (spec.key !== undefined) requireColumns(columns, [spec.key], spec.source);
  const log = new WarningLog();
  const trace: string[] = [];
  const schemaViolations: Violation[] = [];
  const dataRules: CompiledRule[] = [];
  for (const [name, rules] of Object.entries(spec.contract.columns)) {
    const column = columns.find((c) => c.name === name);
    if (!column) {
      schemaViolations.push({
        column: name,
        rule: "exists",
        count: 1,
        detail: `column "${name}" is missing from "${spec.source}"`,
        examples: [],
      });
      continue;
    }
    if (rules.type !== undefined && !typeMatches(column.type, rules.type)) {
      schemaViolations.push({
        column: name,
        rule: "type",
        count: 1,
        detail: `expected ${rules.type}, found ${column.type}`,
        examples: [],
      });
    }
    dataRules.push(...compileColumnRules(column, rules, log));
  }

  const [counts] = await queryRows(query, compileContractCounts(spec.source, dataRules));
  const rows = num(counts?.n) ?? 0;
  if (rows === 0) {
    throw new AuditInputError(
      "empty-table",
      `"${spec.source}" has no rows. Load data or widen the filter, then run again.`,
    );
  }
  trace.push(`Scan 1: counted ${dataRules.length} data rules over ${rows} rows in one SELECT.`);
  if (schemaViolations.length > 0) {
    trace.push(`${schemaViolations.length} schema-level violations (exists/type) found from the column list.`);
  }

  const dataViolations: Violation[] = [];
  const violated: { index: number; rule: CompiledRule }[] = [];
  dataRules.forEach((rule, index) => {
    const count = num(counts?.[`v${index}`]) ?? 0;
    if (count === 0) return;
    violated.push({ index, rule });
    dataViolations.push({ column: rule.column, rule: rule.rule, count, detail: rule.detail, examples: [] });
  });
  if (violated.length > 0 && limit > 0) {
    const examples = await queryRows(query, compileContractExamples(spec.source, violated, limit, spec.key));
    for (const e of examples) {
      const at = violated.findIndex((v) => v.index === num(e.k));
      const example: ViolationExample = {
        row: num(e.row) ?? 0,
        value: e.value === null ? null : String(e.value),
      };
      if (spec.key !== undefined) example.key = e.key === null ? null : String(e.key);
      dataViolations[at]?.examples.push(example);
    }
    trace.push(
      `Query 2: up to ${limit} examples for each of ${violated.length} violated rules (one UNION ALL); row = 1-based scan position.`,
    );
  }
  const order = new Map(Object.keys(spec.contract.columns).map((name, i) => [name, i]));
  const ruleOrder: ContractRule[] = ["exists", "type", "notNull", "min", "max", "allowed", "unique"];
  const violations = [...schemaViolations, ...dataViolations].sort(
    (a, b) =>
      (order.get(a.column) ?? 0) - (order.get(b.column) ?? 0) || ruleOrder.indexOf(a.rule) - ruleOrder.indexOf(b.rule),
  );
  const totalViolations = violations.reduce((s, v) => s + v.count, 0);
  return { rows, violations, totalViolations, passed: violations.length === 0, trace, warnings: log.items };
}
