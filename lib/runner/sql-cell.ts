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
  const statements = splitStatements(sql);
  const last = statements.pop();
  if (last === undefined) throw new EngineError("The cell has no SQL to run.", undefined, "query");
  for (const statement of statements) await query(statement);
  if (!isQueryStatement(last)) return { table: await query(last), materialized: null };
  if (options.datasets?.has(name)) {
    throw new EngineError(
      `"${name}" is a dataset; rename the cell so its result does not replace the data.`,
      undefined,
      "query",
    );
  }
  const target = quoteIdentifier(name);
  await query(`CREATE OR REPLACE TABLE ${target} AS ${last}`);
  return { table: await query(`SELECT * FROM ${target}`), materialized: name };
}

/** Runs a SQL cell as the app does and returns its full result. */
export async function runSqlCell(
  query: QueryFn,
  sql: string,
  name: string,
  options: SqlCellOptions = {},
): Promise<Table> {
  return (await executeSqlCell(query, sql, name, options)).table;
}
