/**
 * A SQL cell run headlessly, with the app's semantics (lib/engine/worker-host.ts `runCell`):
 * every statement of the cell runs in order; the last one, when it returns rows, is
 * materialised as `CREATE OR REPLACE TABLE "<cell name>" AS …` so later cells can query it
 * by name, and the cell's result is that table. A last statement that is not a query
 * (DESCRIBE, PRAGMA, DDL, …) runs as it is and its own output is the result.
 */
import type { Table } from "apache-arrow";
import { EngineError, type QueryFn } from "../engine/types";
import { quoteIdentifier } from "../sql/identifiers";
import { isQueryStatement, splitStatements } from "../sql/statements";

export interface SqlCellOptions {
  /** Dataset tables; a cell's result may never replace one (as in the app). */
  datasets?: ReadonlySet<string>;
}

/** The cell's result, and the table it was materialised as (null when the last statement is not a query). */
export interface SqlCellResult {
  table: Table;
  materialized: string | null;
}

/** Runs a SQL cell and says whether its result was materialised under the cell's name. */
export async function executeSqlCell(
  query: QueryFn,
  sql: string,
  name: string,
  options: SqlCellOptions = {},
): Promise<SqlCellResult> {
  const plan = planSqlCell(sql, name, options);
  for (const statement of plan.setup) await query(statement);
  if (!plan.materialize) return { table: await query(plan.last), materialized: null };
  await query(plan.materialize);
  return { table: await query(`SELECT * FROM ${quoteIdentifier(name)}`), materialized: name };
}

/** How a SQL cell runs, shared by the app's engine worker and the CLI so both mean the same. */
export interface SqlCellPlan {
  /** Every statement but the last, run as they are. */
  setup: string[];
  /** The last statement as written. */
  last: string;
  /** `CREATE OR REPLACE TABLE "<name>" AS <last>` when the last statement returns rows; else null (run `last`). */
  materialize: string | null;
}

/** Plans a cell: throws an EngineError when it is empty or its result would replace a dataset. */
export function planSqlCell(sql: string, name: string, options: SqlCellOptions = {}): SqlCellPlan {
  const setup = splitStatements(sql);
  const last = setup.pop();
  if (last === undefined) throw new EngineError("The cell has no SQL to run.", undefined, "query");
  if (!isQueryStatement(last)) return { setup, last, materialize: null };
  if (options.datasets?.has(name)) {
    throw new EngineError(
      `"${name}" is a dataset; rename the cell so its result does not replace the data.`,
      undefined,
      "query",
    );
  }
  return { setup, last, materialize: `CREATE OR REPLACE TABLE ${quoteIdentifier(name)} AS ${last}` };
}

export async function runSqlCell(
  query: QueryFn,
  sql: string,
  name: string,
  options: SqlCellOptions = {},
): Promise<Table> {
  return (await executeSqlCell(query, sql, name, options)).table;
}
