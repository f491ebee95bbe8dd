/**
 * Batch streams over relations already in the engine: `tableBatches` reads a table in row ranges
 * (tests use it to check that any batch size gives the one-batch profile), `wholeRelation` hands
 * over the whole relation as one batch (the CLI, and drift in `assay run`: native DuckDB streams
 * and spills by itself).
 */
import type { QueryFn } from "../../engine/types";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, queryRows } from "../rows";
import { describeRelation } from "../validate";
import type { BatchStream } from "./profile";

let streams = 0;

/** Batches of `batchRows` rows of base table `table`, by rowid (so every row is read exactly once). */
export async function tableBatches(query: QueryFn, table: string, batchRows: number): Promise<BatchStream> {
  if (!Number.isInteger(batchRows) || batchRows < 1)
    throw new RangeError(`batchRows must be a positive integer, not ${batchRows}`);
  const columns = await describeRelation(query, table);
  const [bounds] = await queryRows(query, `SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${quoteIdentifier(table)}`);
  const lo = num(bounds?.lo);
  const hi = num(bounds?.hi);
  const view = `__assay_stream_${++streams}`;
  let start = lo;
  return {
    source: table,
    columns,
    async next() {
      if (start === null || hi === null || start > hi) {
        await query(`DROP VIEW IF EXISTS ${quoteIdentifier(view)}`);
        return null;
      }
      const end = start + batchRows;
      await query(
        `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(view)} AS SELECT * FROM ${quoteIdentifier(table)} WHERE rowid >= ${integerLiteral(start)} AND rowid < ${integerLiteral(end)}`,
      );
      start = end;
      return view;
    },
  };
}

/**
 * A whole relation as a single batch: native DuckDB streams and spills by itself, so the CLI
 * profiles a file in one pass per statement and still gets a profile that merges with others.
 */
export async function wholeRelation(query: QueryFn, relation: string, source = relation): Promise<BatchStream> {
  const columns = await describeRelation(query, relation);
  let done = false;
  return {
    source,
    columns,
    async next() {
      if (done) return null;
      done = true;
      return relation;
    },
  };
}
