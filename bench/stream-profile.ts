/**
 * Streamed drift profiles (lib/audit/streaming) on DuckDB-WASM, the browser's engine run under
 * Node: each file goes into WASM one batch at a time (a temporary table replaced per batch, as
 * decoded Parquet row groups would), so WASM's heap holds a batch, never the table. Native DuckDB
 * profiles the same files whole, for the ratio. Prints times, WASM heap, and the streamed drift's
 * verdicts with their bounds.
 *
 *   npx tsx bench/stream-profile.ts [--rows 1000000] [--batch 262144] [--sql]
 *
 * Numeric columns are profiled from each batch's Arrow buffers as in the app (arrow-numeric.ts);
 * `--sql` profiles them by SQL statements instead. The time printed as "profile" then includes
 * that JavaScript.
 *
 * Data: bench/data/{reference,current}_<rows>.parquet (`npm run bench:data`). Not part of `npm test`.
 */
import path from "node:path";
import { type Table, tableToIPC } from "apache-arrow";
import { profileStream, type StreamedProfile, streamedDrift, wholeRelation } from "../lib/audit/streaming";
import type { BatchStream } from "../lib/audit/streaming/profile";
import { createNodeEngine } from "../lib/engine/node-engine";
import { SESSION_SETTINGS } from "../lib/engine/session-settings";
import type { ColumnInfo, QueryFn } from "../lib/engine/types";
import { openBlockingWasm, option } from "./wasm-node";

const rows = Number(option("rows", "1000000"));
const batchRows = Number(option("batch", "262144"));
/** `--sql`: profile numeric columns by SQL only, as before the Arrow path (for the comparison). */
const sqlOnly = process.argv.includes("--sql");

const { con, heapBytes } = await openBlockingWasm();
for (const s of SESSION_SETTINGS) con.query(s);
/** Time inside WASM statements only (reading batches with native DuckDB is not the browser's cost). */
let wasmSqlMs = 0;
/** The same time by the profile's statement: summary, deviations, grid histogram, categorical counts. */
const byStatement = new Map<string, number>();
const statementOf = (sql: string) =>
  sql.includes(" AS bin")
    ? "grid"
    : sql.includes(" AS m2")
      ? "deviations"
      : sql.includes(" AS pinf")
        ? "summary"
        : "other";
const wasmQuery: QueryFn = async (sql) => {
  const t = performance.now();
  try {
    return con.query(sql);
  } finally {
    const ms = performance.now() - t;
    wasmSqlMs += ms;
    byStatement.set(statementOf(sql), (byStatement.get(statementOf(sql)) ?? 0) + ms);
  }
};

const native = await createNodeEngine();
const file = (side: string) => path.resolve(`bench/data/${side}_${rows}.parquet`);

/** Batches of a Parquet file read by native DuckDB and inserted into WASM one at a time. */
async function wasmBatches(side: string): Promise<{ stream: BatchStream; insertMs: () => number }> {
  const columns: ColumnInfo[] = (await native.query(`DESCRIBE SELECT * FROM '${file(side)}'`))
    .toArray()
    .map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  let offset = 0;
  let insert = 0;
  let current: Table | null = null;
  return {
    insertMs: () => insert,
    stream: {
      source: `${side}_${rows}.parquet`,
      columns,
      async next() {
        con.query("DROP TABLE IF EXISTS __batch");
        if (offset >= rows) return null;
        const batch = await native.query(
          `SELECT * FROM '${file(side)}' WHERE file_row_number >= ${offset} AND file_row_number < ${offset + batchRows}`
            .replace(`FROM '${file(side)}'`, `FROM read_parquet('${file(side)}', file_row_number = true)`)
            .replace("SELECT *", `SELECT * EXCLUDE (file_row_number)`),
        );
        offset += batchRows;
        current = batch;
        const t = performance.now();
        con.insertArrowFromIPCStream(tableToIPC(batch, "stream"), { name: "__batch", create: true });
        insert += performance.now() - t;
        return "__batch";
      },
      // As the app's streams do: numeric columns are profiled from the batch's Arrow buffers.
      ...(sqlOnly ? {} : { arrow: async () => current }),
    },
  };
}

const profiles: Record<string, StreamedProfile> = {};
let wasmInsertMs = 0;
let peakHeap = heapBytes();
/** The profile's own time: profileStream's wall time less the time spent making batches. */
let profileMs = 0;
for (const side of ["reference", "current"]) {
  const { stream, insertMs } = await wasmBatches(side);
  let batchMs = 0;
  const started = performance.now();
  const { profile } = await profileStream(wasmQuery, {
    ...stream,
    next: async () => {
      peakHeap = Math.max(peakHeap, heapBytes());
      const t = performance.now();
      try {
        return await stream.next();
      } finally {
        batchMs += performance.now() - t;
      }
    },
  });
  profileMs += performance.now() - started - batchMs;
  wasmInsertMs += insertMs();
  profiles[side] = profile;
}
const t1 = performance.now();
const nativeProfiles: StreamedProfile[] = [];
for (const side of ["reference", "current"]) {
  await native.exec(`CREATE OR REPLACE VIEW ${side} AS SELECT * FROM '${file(side)}'`);
  nativeProfiles.push((await profileStream(native.query, await wholeRelation(native.query, side))).profile);
}
const nativeMs = performance.now() - t1;
const wasmProfileMs = profileMs;
const t2 = performance.now();
const result = streamedDrift(profiles.reference as StreamedProfile, profiles.current as StreamedProfile);
const driftMs = performance.now() - t2;

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
console.log(
  `rows ${rows.toLocaleString("en-US")} + ${rows.toLocaleString("en-US")}, batches of ${batchRows.toLocaleString("en-US")}`,
);
console.log(
  `WASM: profile ${(wasmProfileMs / 1000).toFixed(2)} s (both sides; SQL ${(wasmSqlMs / 1000).toFixed(2)} s${sqlOnly ? "" : ", the rest JavaScript on Arrow"}), insert ${(wasmInsertMs / 1000).toFixed(2)} s; heap peak ${mb(peakHeap)}`,
);
console.log(
  `  by statement: ${[...byStatement].map(([kind, ms]) => `${kind} ${(ms / 1000).toFixed(2)} s`).join(", ")}`,
);
console.log(
  `native (whole files, ${nativeProfiles.length} profiles): ${(nativeMs / 1000).toFixed(2)} s; WASM / native ${(wasmProfileMs / nativeMs).toFixed(2)}×`,
);
console.log(`streamed drift from the two profiles: ${driftMs.toFixed(0)} ms, ${result.columns.length} columns`);
for (const c of result.columns) {
  const bound = c.errorBounds
    ? ` (KS +${c.errorBounds.ks.toExponential(1)}, W ±${c.errorBounds.wasserstein.toExponential(1)})`
    : " (exact)";
  console.log(
    `  ${c.column.padEnd(14)} ${c.method.padEnd(14)} ${c.statistic.toPrecision(4)}${bound} ${c.undetermined ? "undetermined" : c.drifted ? "DRIFT" : "ok"}`,
  );
}
await native.close();
