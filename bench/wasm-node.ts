/**
 * Shared set-up of the benches that time DuckDB-WASM (the browser's engine build) inside Node,
 * through its blocking node bundle: one instance, one connection, and the WASM heap's size.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { Table } from "apache-arrow";

/** The blocking connection's calls the benches use. */
export interface WasmConnection {
  query(sql: string): Table;
  insertArrowFromIPCStream(buffer: Uint8Array, options: { name: string; create: boolean }): void;
}

/** `--name value` from the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** A DuckDB-WASM instance opened as the app's worker opens it (BIGINT and DECIMAL as DOUBLE). */
export async function openBlockingWasm(): Promise<{ con: WasmConnection; heapBytes: () => number }> {
  const require = createRequire(import.meta.url);
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const dist = path.resolve("node_modules/@duckdb/duckdb-wasm/dist");
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: `${dist}/duckdb-mvp.wasm`, mainWorker: "" },
      eh: { mainModule: `${dist}/duckdb-eh.wasm`, mainWorker: "" },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate();
  db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  return {
    con: db.connect(),
    heapBytes: () => db._bindings?.mod?.HEAPU8?.length ?? db.mod?.HEAPU8?.length ?? Number.NaN,
  };
}
