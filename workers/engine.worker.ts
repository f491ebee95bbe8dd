// Hosts the engine (DuckDB-WASM + parquet-wasm) off the main thread, exposed with Comlink.
// Byte results are transferred, not copied.
import * as Comlink from "comlink";
import { createEngineHost } from "../lib/engine/worker-host";
import type { EngineWorkerApi } from "../lib/engine/protocol";

const host = createEngineHost();

const transferBytes = <T extends Uint8Array>(bytes: T): T => Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);

const api: EngineWorkerApi = {
  ...host,
  query: async (sql, id) => transferBytes(await host.query(sql, id)),
  fetchRows: async (table, offset, limit) => transferBytes(await host.fetchRows(table, offset, limit)),
  exportParquet: async (table) => transferBytes(await host.exportParquet(table)),
  runCell: async (sql, name, id, pageSize) => {
    const result = await host.runCell(sql, name, id, pageSize);
    const bytes = result.kind === "table" ? result.firstPage : result.ipc;
    return Comlink.transfer(result, [bytes.buffer as ArrayBuffer]);
  },
};

Comlink.expose(api);
