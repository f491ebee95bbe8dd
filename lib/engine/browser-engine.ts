/**
 * The app's handle on the engine worker. Starts it once (single flight), decodes Arrow
 * bytes on arrival, turns worker errors back into `EngineError`s, and restarts the worker
 * when it dies. Knows nothing of React: the UI reads `status` through `onStatus`.
 */
import * as Comlink from "comlink";
import { type Table, tableFromIPC } from "apache-arrow";
import type { HashWorkerApi } from "../provenance/file-hash";
import {
  type CellRunResult,
  type DatasetInfo,
  ENGINE_ERROR_TAG,
  type EngineAssets,
  type EngineWorkerApi,
  type LoadOptions,
  type LoadProgress,
  type SerializedEngineError,
} from "./protocol";
import type { CheckOutcome, CheckParams, ConventionComparison } from "../audit/checks";
import type { CellResultRecord } from "../notebook/format/types";
import { type ColumnInfo, EngineError, type QueryFn } from "./types";

export type EngineStatus =
  | { state: "idle" }
  | { state: "starting" }
  | { state: "ready"; version: string }
  | { state: "failed"; message: string };

export type CellResult =
  | { kind: "table"; table: string; rowCount: number; columns: ColumnInfo[]; firstPage: Table; elapsedMs: number }
  | { kind: "rows"; rows: Table; rowCount: number; columns: ColumnInfo[]; elapsedMs: number };

export interface BrowserEngine {
  start(): Promise<string>;
  query: QueryFn;
  runCell(sql: string, resultName: string, queryId: string, pageSize?: number): Promise<CellResult>;
  fetchRows(table: string, offset: number, limit: number): Promise<Table>;
  cancel(queryId: string): Promise<boolean>;
  insertTable(name: string, ipc: Uint8Array): Promise<number>;
  runCheck(params: CheckParams, queryId: string): Promise<CheckOutcome>;
  distinctValues(table: string, column: string, limit: number): Promise<string[]>;
  recordResult(table: string, ordered: boolean, ranAt: string): Promise<CellResultRecord>;
  exportParquet(table: string): Promise<Uint8Array>;
  compareConventions(params: CheckParams, queryId: string): Promise<ConventionComparison>;
  loadFile(
    file: File,
    name: string,
    onProgress?: (p: LoadProgress) => void,
    options?: LoadOptions,
  ): Promise<DatasetInfo>;
  sha256(file: Blob, onProgress?: (fraction: number) => void): Promise<string>;
  renameTable(from: string, to: string): Promise<void>;
  dropTable(name: string): Promise<void>;
  describe(name: string): Promise<ColumnInfo[]>;
  close(): Promise<void>;
}

export interface BrowserEngineOptions {
  /** Base URL the app is served from; engine assets live under `engine/` below it. */
  baseUrl: string;
  onStatus?: (status: EngineStatus) => void;
  /**
   * Called when the engine worker died (out of memory, a crash, or it stopped answering).
   * Calls in flight reject with an EngineError of kind `crashed`; the next call starts a
   * fresh worker, with no tables: the caller reloads its datasets.
   */
  onCrash?: (reason: string) => void;
}

/** The engine worker beats every HEARTBEAT_MS; this much silence means it is gone. */
const HEARTBEAT_MS = 500;
const SILENCE_LIMIT_MS = 10_000;

/** Rebuilds an EngineError from what crossed the worker boundary. */
export function reviveError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(ENGINE_ERROR_TAG);
  if (at >= 0) {
    const payload = JSON.parse(message.slice(at + ENGINE_ERROR_TAG.length)) as SerializedEngineError;
    return new EngineError(payload.message, payload.sql, payload.kind, {
      ...(payload.problem ? { problem: payload.problem } : {}),
      ...(payload.column ? { column: payload.column } : {}),
    });
  }
  return error instanceof Error ? error : new Error(message);
}

let queryCounter = 0;
/** A fresh id for a query, so it can be cancelled. */
export function createQueryId(): string {
  queryCounter += 1;
  return `q${Date.now().toString(36)}-${queryCounter}`;
}

export function createBrowserEngine(options: BrowserEngineOptions): BrowserEngine {
  const assets: EngineAssets = {
    duckdbWasm: new URL("engine/duckdb-eh.wasm", options.baseUrl).href,
    duckdbWorker: new URL("engine/duckdb-browser-eh.worker.js", options.baseUrl).href,
    parquetWasm: new URL("engine/parquet_wasm_bg.wasm", options.baseUrl).href,
  };
  let worker: Worker | null = null;
  let remote: Comlink.Remote<EngineWorkerApi> | null = null;
  let hashRemote: Comlink.Remote<HashWorkerApi> | null = null;
  let started: Promise<string> | null = null;
  // Rejects every call in flight when the current worker dies; replaced on each start.
  let died: { promise: Promise<never>; reject: (e: Error) => void } | null = null;
  let lastBeat = 0;
  let watchdog: ReturnType<typeof setInterval> | null = null;

  const setStatus = (status: EngineStatus) => options.onStatus?.(status);

  function crash(reason: string) {
    if (!started) return;
    generation += 1;
    if (watchdog) clearInterval(watchdog);
    watchdog = null;
    worker?.terminate();
    worker = null;
    remote = null;
    started = null;
    const pending = died;
    died = null;
    setStatus({ state: "failed", message: reason });
    // The app hears first (so it can say which cell was running), then the calls in flight fail.
    options.onCrash?.(reason);
    pending?.reject(new EngineError(`The engine stopped: ${reason}`, undefined, "crashed"));
  }

  let generation = 0;

  async function call<T>(work: () => Promise<T>): Promise<T> {
    const gen = generation;
    try {
      return await (died ? Promise.race([work(), died.promise]) : work());
    } catch (error) {
      const revived = reviveError(error);
      // A crash the worker reported itself; one from an earlier worker was handled already.
      if (revived instanceof EngineError && revived.kind === "crashed" && started && gen === generation) {
        crash(revived.message);
      }
      throw revived;
    }
  }

  function start(): Promise<string> {
    started ??= (async () => {
      setStatus({ state: "starting" });
      let reject: (e: Error) => void = () => undefined;
      const promise = new Promise<never>((_, r) => {
        reject = r;
      });
      promise.catch(() => undefined);
      died = { promise, reject };
      worker = new Worker(new URL("../../workers/engine.worker.ts", import.meta.url), {
        type: "module",
        name: "assay-engine",
      });
      worker.addEventListener("error", (e) => crash(e.message || "the engine worker failed"));
      remote = Comlink.wrap<EngineWorkerApi>(worker);
      try {
        const version = await call(() => (remote as Comlink.Remote<EngineWorkerApi>).start(assets));
        const channel = new MessageChannel();
        lastBeat = performance.now();
        channel.port1.onmessage = () => {
          lastBeat = performance.now();
        };
        await remote.heartbeat(Comlink.transfer(channel.port2, [channel.port2]), HEARTBEAT_MS);
        watchdog = setInterval(() => {
          if (performance.now() - lastBeat > SILENCE_LIMIT_MS) crash("the engine worker stopped responding");
        }, 1000);
        setStatus({ state: "ready", version });
        return version;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setStatus({ state: "failed", message });
        started = null;
        worker?.terminate();
        throw error;
      }
    })();
    return started;
  }

  async function api(): Promise<Comlink.Remote<EngineWorkerApi>> {
    await start();
    return remote as Comlink.Remote<EngineWorkerApi>;
  }

  function hasher(): Comlink.Remote<HashWorkerApi> {
    hashRemote ??= Comlink.wrap<HashWorkerApi>(
      new Worker(new URL("../../workers/hash.worker.ts", import.meta.url), { type: "module" }),
    );
    return hashRemote;
  }

  return {
    start,
    query: async (sql) => tableFromIPC(await call(async () => (await api()).query(sql, createQueryId()))),
    async runCell(sql, resultName, queryId, pageSize = 100) {
      const result: CellRunResult = await call(async () => (await api()).runCell(sql, resultName, queryId, pageSize));
      if (result.kind === "table") {
        const { firstPage, ...rest } = result;
        return { ...rest, firstPage: tableFromIPC(firstPage) };
      }
      const { ipc, ...rest } = result;
      return { ...rest, rows: tableFromIPC(ipc) };
    },
    fetchRows: async (table, offset, limit) =>
      tableFromIPC(await call(async () => (await api()).fetchRows(table, offset, limit))),
    cancel: async (queryId) => call(async () => (await api()).cancel(queryId)),
    insertTable: async (name, ipc) =>
      call(async () => (await api()).insertTable(name, Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]))),
    runCheck: async (params, queryId) => call(async () => (await api()).runCheck(params, queryId)),
    distinctValues: async (table, column, limit) =>
      call(async () => (await api()).distinctValues(table, column, limit)),
    recordResult: async (table, ordered, ranAt) => call(async () => (await api()).recordResult(table, ordered, ranAt)),
    exportParquet: async (table) => call(async () => (await api()).exportParquet(table)),
    compareConventions: async (params, queryId) => call(async () => (await api()).compareConventions(params, queryId)),
    loadFile: async (file, name, onProgress, options) =>
      call(async () => (await api()).loadFile(file, name, onProgress ? Comlink.proxy(onProgress) : undefined, options)),
    sha256: (file, onProgress) => hasher().sha256(file, onProgress ? Comlink.proxy(onProgress) : undefined),
    renameTable: async (from, to) => call(async () => (await api()).renameTable(from, to)),
    dropTable: async (name) => call(async () => (await api()).dropTable(name)),
    describe: async (name) => call(async () => (await api()).describe(name)),
    async close() {
      if (watchdog) clearInterval(watchdog);
      watchdog = null;
      await remote?.close().catch(() => undefined);
      worker?.terminate();
      started = null;
      setStatus({ state: "idle" });
    },
  };
}
