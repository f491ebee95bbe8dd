/**
 * The typed interface between the app and the engine worker (exposed with Comlink).
 * Query results cross as Arrow IPC bytes, transferred, never structured-cloned tables.
 */
import type { CheckOutcome, CheckParams, ConventionComparison } from "../audit/checks";
import type { CellResultRecord } from "../notebook/format/types";
import type { ColumnInfo } from "./types";

/** URLs of the engine's bundles, all on the app's own origin. */
export interface EngineAssets {
  duckdbWasm: string;
  duckdbWorker: string;
  parquetWasm: string;
}

export type DatasetFormat = "parquet" | "arrow" | "csv" | "json";

export interface DatasetInfo {
  /** The table name in DuckDB. */
  name: string;
  fileName: string;
  format: DatasetFormat;
  sizeBytes: number;
  rows: number;
  columns: ColumnInfo[];
  loadMs: number;
  /** Streamed: profiled row group by row group, no table (see LoadOptions.stream). */
  streamed?: true;
  /** What streaming left out, e.g. columns of types drift cannot compare (shown on the dataset). */
  notes?: string[];
}

export interface LoadOptions {
  /**
   * Profile the file row group by row group instead of loading it (Parquet only): memory stays at
   * a few row groups whatever the file's size, there is no table to query, and drift checks read
   * its profile (lib/audit/streaming).
   */
  stream?: boolean;
}

export interface LoadProgress {
  phase: "reading" | "decoding" | "inserting" | "indexing" | "profiling";
  /** 0…1 when known. */
  fraction: number | null;
  message: string;
}

/** What running a SQL cell produced. */
export type CellRunResult =
  | {
      kind: "table";
      /** Name of the table holding the full result (the cell's name). */
      table: string;
      rowCount: number;
      columns: ColumnInfo[];
      /** The first page of rows, Arrow IPC stream. */
      firstPage: Uint8Array;
      elapsedMs: number;
    }
  | { kind: "rows"; ipc: Uint8Array; rowCount: number; columns: ColumnInfo[]; elapsedMs: number };

/** Error as it crosses the worker boundary: plain data, rebuilt as EngineError on the other side. */
export interface SerializedEngineError {
  name: string;
  message: string;
  sql?: string;
  kind: "query" | "cancelled" | "load" | "crashed" | "input";
  /** For `input` errors: what is wrong (an AuditInputProblem) and with which column. */
  problem?: string;
  column?: string;
}

export interface EngineWorkerApi {
  /** Starts DuckDB; returns its version string. Idempotent. */
  start(assets: EngineAssets): Promise<string>;
  /** Posts on `port` every `everyMs` while the worker lives, so the app notices when it dies. */
  heartbeat(port: MessagePort, everyMs: number): Promise<void>;
  /** Loads a file as table `name`. */
  loadFile(
    file: File,
    name: string,
    onProgress?: (p: LoadProgress) => void,
    options?: LoadOptions,
  ): Promise<DatasetInfo>;
  renameTable(from: string, to: string): Promise<void>;
  dropTable(name: string): Promise<void>;
  describe(name: string): Promise<ColumnInfo[]>;
  /** Runs SQL and returns the whole result as Arrow IPC bytes. */
  query(sql: string, queryId: string): Promise<Uint8Array>;
  /**
   * Distinct non-null values of a column as text, in order, at most `limit` (for forms); of a
   * streamed dataset, from its profile's category counts.
   */
  distinctValues(table: string, column: string, limit: number): Promise<string[]>;
  /** Runs a SQL cell: every statement, the last one materialised as table `resultName`. */
  runCell(sql: string, resultName: string, queryId: string, pageSize: number): Promise<CellRunResult>;
  /** A page of rows of a table, as Arrow IPC bytes. */
  fetchRows(table: string, offset: number, limit: number): Promise<Uint8Array>;
  /** Runs an audit check in the worker (the metric's JavaScript post-processing stays off the main thread). */
  runCheck(params: CheckParams, queryId: string): Promise<CheckOutcome>;
  /** Runs a drift or fairness check under every named convention. */
  compareConventions(params: CheckParams, queryId: string): Promise<ConventionComparison>;
  /** The provenance record of a table's full contents: result hash, shape, first rows. */
  recordResult(table: string, ordered: boolean, ranAt: string): Promise<CellResultRecord>;
  /** A table as Parquet bytes (parquet-wasm; DuckDB-WASM has no Parquet writer offline). */
  exportParquet(table: string): Promise<Uint8Array>;
  /** Creates (or replaces) table `name` from Arrow IPC stream bytes (a TypeScript cell's returned table); returns its row count. */
  insertTable(name: string, ipc: Uint8Array): Promise<number>;
  /** Cancels a running or queued query; true when something was cancelled. */
  cancel(queryId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Prefix on error messages that carry a serialized EngineError across Comlink. */
export const ENGINE_ERROR_TAG = "__assay_engine_error__:";
