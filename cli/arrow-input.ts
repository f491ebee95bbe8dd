/**
 * Arrow IPC input for the CLI. Native DuckDB has no Arrow reader, so the record batches are
 * read with apache-arrow (streamed from disk, file or stream format), re-encoded as Parquet
 * with parquet-wasm (arrow-rs, so types carry over) in parts of about PART_ROWS rows, and
 * DuckDB reads the parts through one `read_parquet([...])` view. Memory is bounded by one
 * part; the parts live in a scratch folder the caller removes.
 */
import { createReadStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RecordBatch, RecordBatchReader, Table, tableToIPC } from "apache-arrow";
import { Table as WasmTable, writeParquet } from "parquet-wasm";

/** Rows per Parquet part. */
export const PART_ROWS = 100_000;

/** Converts the Arrow IPC file at `path` to Parquet parts in `folder`; returns their paths. */
export async function arrowToParquetParts(path: string, folder: string, prefix: string): Promise<string[]> {
  const reader = await RecordBatchReader.from(createReadStream(path));
  const parts: string[] = [];
  let pending: RecordBatch[] = [];
  let pendingRows = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const ipc = tableToIPC(new Table(pending), "stream");
    const wasmTable = WasmTable.fromIPCStream(ipc);
    const file = join(folder, `${prefix}-${String(parts.length).padStart(5, "0")}.parquet`);
    writeFileSync(file, writeParquet(wasmTable));
    parts.push(file);
    pending = [];
    pendingRows = 0;
  };
  for await (const batch of reader) {
    pending.push(batch);
    pendingRows += batch.numRows;
    if (pendingRows >= PART_ROWS) flush();
  }
  flush();
  if (parts.length === 0) {
    // No batches: one empty part keeps the schema.
    const file = join(folder, `${prefix}-00000.parquet`);
    writeFileSync(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table(reader.schema), "stream"))));
    parts.push(file);
  }
  return parts;
}
