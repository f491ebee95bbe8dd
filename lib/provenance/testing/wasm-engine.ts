/**
 * DuckDB-WASM (the browser's engine, same bundle and open options as the app's worker) run
 * inside Node through its blocking node build, for tests that compare it with native DuckDB.
 * Results come back as Arrow IPC bytes with their DECIMAL columns converted to DOUBLE, as they
 * cross the worker boundary in the app.
 */
import { createRequire } from "node:module";
import { type Table, tableFromIPC } from "apache-arrow";
import { decimalIpcToDoubles } from "../../engine/decimal-columns";
import { SESSION_SETTINGS } from "../../engine/session-settings";

interface BlockingConnection {
  _bindings: { runQuery(conn: number, sql: string): Uint8Array };
  _conn: number;
  close(): void;
}

export interface WasmEngine {
  query(sql: string): Table;
  close(): void;
}

export async function openWasmEngine(): Promise<WasmEngine> {
  const require = createRequire(import.meta.url);
  const duckdb = require("@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs");
  const dist = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm").replace(/duckdb-eh\.wasm$/, "");
  const bundles = {
    mvp: { mainModule: `${dist}duckdb-mvp.wasm`, mainWorker: `${dist}duckdb-node-mvp.worker.cjs` },
    eh: { mainModule: `${dist}duckdb-eh.wasm`, mainWorker: `${dist}duckdb-node-eh.worker.cjs` },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  // The same options and result conversion as lib/engine/worker-host.ts.
  db.open({ path: ":memory:", query: { castDecimalToDouble: false, castBigIntToDouble: false } });
  const conn = db.connect() as BlockingConnection;
  const query = (sql: string) => tableFromIPC(decimalIpcToDoubles(conn._bindings.runQuery(conn._conn, sql)));
  for (const statement of SESSION_SETTINGS) query(statement);
  return {
    query,
    close: () => {
      conn.close();
      db.reset?.();
    },
  };
}
