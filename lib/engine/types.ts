import type { Table } from "apache-arrow";

/** Runs one SQL statement and returns its result as an Arrow table. */
export type QueryFn = (sql: string) => Promise<Table>;

/** One column of a table as DuckDB describes it. */
export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. `DOUBLE`, `VARCHAR`, `TIMESTAMP`. */
  type: string;
}

/** Error raised by the engine; `sql` is the statement that failed, when there is one. */
export class EngineError extends Error {
  override name = "EngineError";
  constructor(
    message: string,
    readonly sql?: string,
    readonly kind: "query" | "cancelled" | "load" | "crashed" | "input" = "query",
    /** For `input` errors: the audit input problem and the column it concerns. */
    readonly detail?: { problem?: string; column?: string },
  ) {
    super(message);
  }
}
