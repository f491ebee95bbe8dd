/**
 * Turns a cell's Arrow result into what the notebook stores (CellResultRecord) or what a
 * re-run compares (RecomputedResult): hash, row count, column names and types, first rows.
 */
import type { Table } from "apache-arrow";
import type { ColumnInfo } from "../engine/types";
import type { CellResultRecord, Verdict } from "../notebook/format/types";
import type { RecomputedResult } from "./compare-runs";
import { hashResult, summarizeResult } from "./result-hash";

/** Rows kept in a stored summary. */
export const SUMMARY_ROWS = 20;

export interface ResultRecordOptions {
  /** Row order is part of the result (see hashResult). */
  ordered?: boolean;
  ranAt: string;
  engineVersion: string;
  verdicts?: Verdict[];
  /** DuckDB's column types (describe); Arrow's type names are used when omitted. */
  columns?: readonly ColumnInfo[];
}

export async function resultRecord(table: Table, options: ResultRecordOptions): Promise<CellResultRecord> {
  const hashed = await hashResult(table, { ordered: options.ordered ?? false });
  const columns = hashed.canonical.columns.map((c, i) => ({
    name: table.schema.fields[i]?.name ?? c.name,
    type: options.columns?.[i]?.type ?? c.type,
  }));
  return {
    resultHash: hashed.hash,
    ordered: hashed.ordered,
    rowCount: hashed.rowCount,
    columns,
    summary: summarizeResult(table, SUMMARY_ROWS),
    ...(options.verdicts ? { verdicts: options.verdicts } : {}),
    ranAt: options.ranAt,
    engineVersion: options.engineVersion,
  };
}

/** A re-run's result for compareRuns; use the stored record's `ordered`. */
export async function recomputedResult(table: Table, ordered: boolean): Promise<RecomputedResult> {
  const hashed = await hashResult(table, { ordered });
  return { resultHash: hashed.hash, rowCount: hashed.rowCount, summary: summarizeResult(table, SUMMARY_ROWS) };
}
