/**
 * The engine as it runs inside the engine worker: DuckDB-WASM (itself in a nested worker),
 * Parquet decoding with parquet-wasm, and a query queue with cancellation. The app talks
 * to it only through `EngineWorkerApi` (see protocol.ts); it knows nothing of React.
 */
import * as duckdb from "@duckdb/duckdb-wasm";
import {
  type CheckParams,
  type ConventionComparison,
  compareDriftConventions,
  compareFairnessConventions,
  runCheck as runAuditCheck,
} from "../audit/checks";
import { streamableFamiliesText } from "../audit/checks/types";
import { AuditInputError } from "../audit/errors";
import { type RecordBatch, RecordBatchReader, tableFromIPC, tableFromJSON } from "apache-arrow";
import initParquet, { Table as WasmTable, writeParquet } from "parquet-wasm/esm";
import { resultRecord } from "../provenance/result-record";
import { planSqlCell, type SqlCellPlan } from "../runner/sql-cell";
import { quoteIdentifier, quoteString } from "../sql/identifiers";
import { detectFormat, guessDelimiter, SUPPORTED_FORMATS_HINT } from "./dataset-format";
import { decimalIpcToDoubles } from "./decimal-columns";
import { batchesToIpc, concatBytes, ownedBytes } from "./ipc";
import {
  type CellRunResult,
  type DatasetFormat,
  type DatasetInfo,
  ENGINE_ERROR_TAG,
  type EngineAssets,
  type EngineWorkerApi,
  type LoadOptions,
  type LoadProgress,
  type SerializedEngineError,
} from "./protocol";
import { guardedWorkerUrl } from "./network-guard";
import { openParquetDecoder, ParquetDecodeError, type ParquetDecoder } from "./parquet-decoder";
import { projectionIsSafe } from "./parquet-projection";
import { type BatchStream, profileStream, type StreamedProfile } from "../audit/streaming";
import { ATTACH_BROWSER_DATABASE, BROWSER_SESSION_SETTINGS, SESSION_SETTINGS } from "./session-settings";
import { createTaskQueue, type TaskMode } from "./task-queue";
import type { ColumnInfo, QueryFn } from "./types";

type Progress = ((p: LoadProgress) => void) | undefined;

/** An error that survives Comlink: its fields ride in the message, tagged. */
function engineError(
  message: string,
  kind: SerializedEngineError["kind"],
  sql?: string,
  detail?: { problem?: string; column?: string },
): Error {
  const payload: SerializedEngineError = { name: "EngineError", message, kind, ...(sql ? { sql } : {}), ...detail };
  return new Error(ENGINE_ERROR_TAG + JSON.stringify(payload));
}

function messageOf(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (raw.startsWith(ENGINE_ERROR_TAG))
    return (JSON.parse(raw.slice(ENGINE_ERROR_TAG.length)) as { message: string }).message;
  return raw;
}

function delimiterOption(delimiter: string | null): string {
  if (delimiter === null) return "";
  return `, delim = ${delimiter === "\t" ? "'\\t'" : quoteString(delimiter)}`;
}

interface QueuedQuery {
  id: string;
  cancelled: boolean;
}

const ARROW_BATCH_ROWS = 100_000;

export function createEngineHost(): EngineWorkerApi {
  let db: duckdb.AsyncDuckDB | null = null;
  let starting: Promise<string> | null = null;
  let assetUrls: EngineAssets | null = null;
  // parquet-wasm in this worker only writes Parquet (exportParquet); it starts on first use.
  let parquetWriter: Promise<unknown> | null = null;
  // One connection for user queries (serialised through `queue`), one for metadata and loads,
  // so describing a table never waits behind a long query.
  let userConn: duckdb.AsyncDuckDBConnection | null = null;
  let metaConn: duckdb.AsyncDuckDBConnection | null = null;
  const schedule = createTaskQueue();
  const active = new Map<string, QueuedQuery>();
  /** Profiles of streamed datasets (loadFile with `stream`), by dataset name: they have no table. */
  const streamedProfiles = new Map<string, StreamedProfile>();
  /** Their files, read again row group by row group by checks that add up per-batch counts. */
  const streamedFiles = new Map<string, { file: Blob; fileName: string }>();
  /** Tables that hold loaded datasets; a cell result may never replace one. */
  const datasetTables = new Set<string>();

  const requireDb = () => {
    if (!db || !userConn || !metaConn) throw engineError("The engine has not started yet.", "query");
    return { db, userConn, metaConn };
  };

  // parquet-wasm compiled once here and shared with every decoder worker: a new worker then
  // starts on code V8 has already optimised instead of compiling 5 MB of WebAssembly again.
  let compiledParquet: Promise<WebAssembly.Module> | null = null;
  const parquetModule = (): Promise<WebAssembly.Module> => {
    compiledParquet ??= WebAssembly.compileStreaming(fetch(requireAssets().parquetWasm)).catch((error: unknown) => {
      compiledParquet = null;
      throw error;
    });
    return compiledParquet;
  };

  const requireAssets = () => {
    if (!assetUrls) throw engineError("The engine has not started yet.", "query");
    return assetUrls;
  };

  async function start(assets: EngineAssets): Promise<string> {
    assetUrls = assets;
    starting ??= (async () => {
      const worker = new Worker(guardedWorkerUrl(assets.duckdbWorker), { name: "duckdb" });
      const instance = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
      await instance.instantiate(assets.duckdbWasm, null);
      // No castDecimalToDouble: it casts only top-level columns (a DECIMAL in a STRUCT or LIST came
      // back as Float64 holding the unscaled integer's bits); runPending converts every DECIMAL.
      await instance.open({
        path: ":memory:",
        query: { castDecimalToDouble: false, castBigIntToDouble: false },
        filesystem: { allowFullHTTPReads: false },
      });
      parquetModule().catch(() => undefined);
      const user = await instance.connect();
      const meta = await instance.connect();
      await user.query(ATTACH_BROWSER_DATABASE);
      for (const conn of [user, meta]) for (const statement of BROWSER_SESSION_SETTINGS) await conn.query(statement);
      db = instance;
      userConn = user;
      metaConn = meta;
      return instance.getVersion();
    })();
    try {
      return await starting;
    } catch (error) {
      starting = null;
      throw engineError(`The engine could not start: ${messageOf(error)}`, "crashed");
    }
  }

  // A DuckDB connection runs one pending query at a time; statements on the same connection
  // are chained here so concurrent callers (a load and a page fetch) never interleave.
  const connectionTails = new WeakMap<duckdb.AsyncDuckDBConnection, Promise<unknown>>();
  function onConnection<T>(conn: duckdb.AsyncDuckDBConnection, work: () => Promise<T>): Promise<T> {
    const run = (connectionTails.get(conn) ?? Promise.resolve()).then(work);
    connectionTails.set(
      conn,
      run.catch(() => undefined),
    );
    return run;
  }

  /** Runs one statement with polling, so it can be cancelled between steps. */
  function runToIpc(conn: duckdb.AsyncDuckDBConnection, sql: string, q?: QueuedQuery): Promise<Uint8Array> {
    return onConnection(conn, () => runPending(conn, sql, q));
  }

  async function runPending(conn: duckdb.AsyncDuckDBConnection, sql: string, q?: QueuedQuery): Promise<Uint8Array> {
    const { db } = requireDb();
    // The raw pending-query API takes the connection's numeric id. (Named `useUnsafe` by
    // DuckDB-WASM; it is not a React hook.)
    // biome-ignore lint/correctness/useHookAtTopLevel: not a React hook.
    const id = conn.useUnsafe((_b, c) => c);
    try {
      let header = await db.startPendingQuery(id, sql, false);
      while (header == null) {
        if (q?.cancelled) {
          await db.cancelPendingQuery(id);
          throw engineError("Query cancelled.", "cancelled", sql);
        }
        header = await db.pollPendingQuery(id);
      }
      const chunks: Uint8Array[] = [header];
      for (;;) {
        let chunk: Uint8Array | null = null;
        while (chunk == null) chunk = await db.fetchQueryResults(id);
        if (chunk.length === 0) break;
        chunks.push(chunk);
      }
      // DECIMAL (and HUGEINT, which arrives as DECIMAL(38, 0)) columns, top-level or nested, as
      // DOUBLE rounded as DuckDB's CAST rounds, the way native DuckDB's results are (decimal-columns.ts).
      return decimalIpcToDoubles(concatBytes(chunks));
    } catch (error) {
      if (error instanceof Error && error.message.startsWith(ENGINE_ERROR_TAG)) throw error;
      if (q?.cancelled) throw engineError("Query cancelled.", "cancelled", sql);
      const message = messageOf(error);
      // A trap inside DuckDB's WebAssembly leaves the instance unusable: report a crash so the
      // app restarts the engine instead of sending more queries to a broken one.
      if (/RuntimeError|unreachable|memory access out of bounds|Aborted\(|table index is out of bounds/.test(message)) {
        throw engineError(
          `DuckDB failed inside WebAssembly (${message}); it probably ran out of memory.`,
          "crashed",
          sql,
        );
      }
      throw engineError(message, "query", sql);
    }
  }

  /**
   * Queues user work (task-queue.ts: exclusive by default; audit checks share); each gets a
   * cancellable ticket.
   */
  function enqueue<T>(queryId: string, work: (q: QueuedQuery) => Promise<T>, mode: TaskMode = "exclusive"): Promise<T> {
    const ticket: QueuedQuery = { id: queryId, cancelled: false };
    active.set(queryId, ticket);
    const run = schedule(async () => {
      if (ticket.cancelled) throw engineError("Query cancelled before it started.", "cancelled");
      return work(ticket);
    }, mode);
    return run.finally(() => active.delete(queryId));
  }

  async function describeWith(conn: duckdb.AsyncDuckDBConnection, name: string): Promise<ColumnInfo[]> {
    const table = tableFromIPC(await runToIpc(conn, `DESCRIBE ${quoteIdentifier(name)}`));
    const names = table.getChild("column_name");
    const types = table.getChild("column_type");
    const columns: ColumnInfo[] = [];
    for (let i = 0; i < table.numRows; i++) columns.push({ name: String(names?.get(i)), type: String(types?.get(i)) });
    return columns;
  }

  async function countRows(conn: duckdb.AsyncDuckDBConnection, name: string): Promise<number> {
    const table = tableFromIPC(await runToIpc(conn, `SELECT count(*)::DOUBLE AS n FROM ${quoteIdentifier(name)}`));
    return Number(table.getChild("n")?.get(0) ?? 0);
  }

  /**
   * A Parquet decoder in a worker of its own per file: two files decode side by side, and
   * parquet-wasm's heap is freed when the file is done. A footer that cannot be read is a
   * ParquetDecodeError naming the likely cause.
   */
  async function openDecoder(file: Blob, columns?: readonly string[]): Promise<ParquetDecoder> {
    const worker = new Worker(new URL("../../workers/parquet-decode.worker.ts", import.meta.url), {
      type: "module",
      name: "parquet-decode",
    });
    try {
      return await openParquetDecoder(worker, file, await parquetModule(), columns);
    } catch (error) {
      worker.terminate();
      if (error instanceof ParquetDecodeError && error.stage === "footer") {
        throw new ParquetDecodeError(
          `its footer could not be read (${error.message}); the file may be truncated or not Parquet`,
          "footer",
        );
      }
      throw error;
    }
  }

  async function loadParquet(
    conn: duckdb.AsyncDuckDBConnection,
    file: Blob,
    name: string,
    progress: Progress,
  ): Promise<void> {
    const decoder = await openDecoder(file);
    try {
      const { groups } = decoder;
      if (groups === 0) {
        // Schema only: create the empty table from the schema's IPC stream.
        await conn.insertArrowFromIPCStream(decoder.schemaIpc ?? new Uint8Array(), { name, create: true });
        return;
      }
      progress?.({ phase: "decoding", fraction: 0, message: `Decoding row group 1 of ${groups}` });
      // The decoder runs ahead of the insert by a row group or two: decoding and inserting overlap.
      for (let group = await decoder.next(); group; group = await decoder.next()) {
        const g = group.index;
        progress?.({
          phase: "inserting",
          fraction: (g + 0.5) / groups,
          message: `Inserting row group ${g + 1} of ${groups}`,
        });
        await conn.insertArrowFromIPCStream(group.ipc, { name, create: g === 0 });
      }
    } finally {
      decoder.close();
    }
  }

  let streamCount = 0;
  let distinctQueries = 0;
  let streamQueue: Promise<void> = Promise.resolve();

  /** Waits for the check streams before this one; resolves to the function that lets the next go. */
  function streamSlot(): Promise<() => void> {
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ready = streamQueue.then(() => release);
    streamQueue = streamQueue.then(() => done);
    return ready;
  }

  /**
   * A Parquet file as a BatchStream on a connection of its own: each decoded row group goes into
   * a plain in-memory table (this connection has no `USE assay`, and a group lives only until the
   * next one), so memory holds a few row groups, never the file. `close` ends the decoder, drops
   * the table and closes the connection; the stream calls it after its last batch.
   */
  async function parquetBatches(
    file: Blob,
    fileName: string,
    name: string,
    progress: Progress,
    /** A check's ticket: cancelling the check stops the stream between and within statements. */
    ticket?: QueuedQuery,
    /** Only these columns are decoded and inserted (default all). */
    only?: readonly string[],
    /** Keep each row group as Arrow too (`BatchStream.arrow`): the profile reads numeric columns from it. */
    keepArrow = false,
  ): Promise<BatchStream & { close(): Promise<void> }> {
    const conn = await requireDb().db.connect();
    const target = `__assay_stream_${name}_${++streamCount}`;
    const drop = `DROP TABLE IF EXISTS ${quoteIdentifier(target)}`;
    let decoder: ParquetDecoder | null = null;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      decoder?.close();
      await runToIpc(conn, drop).catch(() => undefined);
      await conn.close().catch(() => undefined);
    };
    try {
      for (const statement of SESSION_SETTINGS) await runToIpc(conn, statement);
      const d = await openDecoder(file, only);
      decoder = d;
      const { groups } = d;
      const first = groups === 0 ? null : await d.next();
      // The insert hands the bytes to DuckDB's worker (transferred): the Arrow copy is taken first.
      let arrowBytes = keepArrow && first ? first.ipc.slice() : null;
      await conn.insertArrowFromIPCStream(first ? first.ipc : (d.schemaIpc ?? new Uint8Array()), {
        name: target,
        create: true,
      });
      const columns = await describeWith(conn, target);
      let pending = first !== null;
      let taken = 1;
      return {
        source: fileName,
        columns,
        query: async (sql) => {
          // A closed connection would trap inside DuckDB-WASM ("null function"): say what happened.
          if (closed)
            throw engineError(
              `Internal error: a statement ran on the stream of "${fileName}" after it ended.`,
              "query",
            );
          return tableFromIPC(await runToIpc(conn, sql, ticket));
        },
        close,
        ...(keepArrow
          ? {
              // A row group whose IPC apache-arrow cannot read is profiled by SQL alone.
              arrow: async () => {
                try {
                  return arrowBytes ? tableFromIPC(arrowBytes) : null;
                } catch {
                  return null;
                }
              },
            }
          : {}),
        async next() {
          if (ticket?.cancelled) {
            await close();
            throw engineError("Query cancelled.", "cancelled");
          }
          if (closed) return null;
          if (pending) {
            pending = false;
            return target;
          }
          const group = taken < groups ? await d.next() : null;
          taken += 1;
          if (!group) {
            await close();
            return null;
          }
          progress?.({
            phase: "profiling",
            fraction: (group.index + 0.5) / groups,
            message: `Profiling row group ${group.index + 1} of ${groups}`,
          });
          await runToIpc(conn, drop);
          arrowBytes = keepArrow ? group.ipc.slice() : null;
          await conn.insertArrowFromIPCStream(group.ipc, { name: target, create: true });
          return target;
        },
      };
    } catch (error) {
      await close();
      throw error;
    }
  }

  /**
   * A streamed dataset's file read again for a check, one re-read at a time (each holds a decoder,
   * its read-ahead and a row group's table). Only `columns` are decoded when that is safe
   * (parquet-projection.ts); the stream still lists every column of the file, so a missing name is
   * reported against all of them. A projection the decoder fails on is read again whole.
   */
  async function checkBatches(
    name: string,
    columns: readonly string[] | undefined,
    ticket: QueuedQuery,
  ): Promise<BatchStream> {
    const kept = streamedFiles.get(name);
    if (!kept) throw engineError(`"${name}" was renamed or removed while the check ran; run it again.`, "query");
    const schema = streamedProfiles.get(name)?.schema;
    const names = schema?.map((s) => s.name) ?? [];
    const asked = columns && schema ? [...new Set(columns)].filter((c) => names.includes(c)) : [];
    let only = asked.length > 0 && projectionIsSafe(asked, names) ? asked : undefined;
    const release = await streamSlot();
    try {
      const open = (projection?: readonly string[]) =>
        parquetBatches(kept.file, kept.fileName, name, undefined, ticket, projection);
      let stream: Awaited<ReturnType<typeof open>>;
      try {
        stream = await open(only);
      } catch (error) {
        if (!only || ticket.cancelled) throw error;
        only = undefined;
        stream = await open();
      }
      const opened = stream;
      return {
        ...opened,
        ...(only && schema ? { columns: schema } : {}),
        close: async () => {
          await opened.close();
          release();
        },
      };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Streams a Parquet file through lib/audit/streaming's profile (what drift reads). */
  async function streamParquet(
    file: Blob,
    fileName: string,
    name: string,
    progress: Progress,
  ): Promise<{ profile: StreamedProfile; warnings: string[] }> {
    const stream = await parquetBatches(file, fileName, name, progress, undefined, undefined, true);
    try {
      const { profile, warnings } = await profileStream(stream.query as QueryFn, stream);
      return { profile, warnings: warnings.items.map((w) => w.message) };
    } finally {
      await stream.close();
    }
  }

  async function loadArrow(
    conn: duckdb.AsyncDuckDBConnection,
    file: Blob,
    name: string,
    progress: Progress,
  ): Promise<void> {
    progress?.({ phase: "reading", fraction: null, message: "Reading Arrow file" });
    const reader = RecordBatchReader.from(new Uint8Array(await file.arrayBuffer()));
    let pending: RecordBatch[] = [];
    let pendingRows = 0;
    let created = false;
    const flush = async () => {
      if (pending.length === 0 && created) return;
      await conn.insertArrowFromIPCStream(batchesToIpc(pending), { name, create: !created });
      created = true;
      pending = [];
      pendingRows = 0;
    };
    for (const batch of reader) {
      pending.push(batch);
      pendingRows += batch.numRows;
      if (pendingRows >= ARROW_BATCH_ROWS) await flush();
    }
    if (!created || pending.length > 0) {
      if (!created && pending.length === 0) {
        throw new Error("it holds no record batches, so its columns are unknown");
      }
      await flush();
    }
  }

  async function loadCsv(
    conn: duckdb.AsyncDuckDBConnection,
    file: Blob,
    fileName: string,
    name: string,
  ): Promise<void> {
    const { db } = requireDb();
    // The file stays registered under its own name, so a SQL cell can re-read it with other
    // options, e.g. read_csv('file.csv', ignore_errors = true).
    await db.registerFileHandle(fileName, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const headLine = (await file.slice(0, 64 * 1024).text()).split(/\r?\n/, 1)[0] ?? "";
    const delimiter = delimiterOption(guessDelimiter(fileName, headLine));
    await runToIpc(
      conn,
      `CREATE TABLE ${quoteIdentifier(name)} AS SELECT * FROM read_csv(${quoteString(fileName)}, header = true${delimiter})`,
    );
  }

  async function loadJson(
    conn: duckdb.AsyncDuckDBConnection,
    file: Blob,
    fileName: string,
    name: string,
  ): Promise<void> {
    // DuckDB-WASM has no JSON reader without downloading an extension; JSON is parsed here,
    // in the engine worker, and handed to DuckDB as Arrow.
    const text = await file.text();
    const trimmed = text.trimStart();
    let rows: Record<string, unknown>[];
    if (trimmed.startsWith("[")) {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error("the JSON document is not an array of objects");
      rows = parsed as Record<string, unknown>[];
    } else {
      rows = [];
      const lines = text.split(/\r?\n/);
      lines.forEach((line, i) => {
        if (line.trim() === "") return;
        try {
          rows.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          throw new Error(`line ${i + 1} of ${fileName} is not valid JSON: ${line.slice(0, 80)}`);
        }
      });
    }
    if (rows.length === 0) throw new Error("it holds no records");
    if (rows.some((r) => r === null || typeof r !== "object" || Array.isArray(r))) {
      throw new Error("every record must be a JSON object with named fields");
    }
    for (let i = 0; i < rows.length; i += ARROW_BATCH_ROWS) {
      const table = tableFromJSON(rows.slice(i, i + ARROW_BATCH_ROWS));
      await conn.insertArrowFromIPCStream(batchesToIpc(table.batches), { name, create: i === 0 });
    }
  }

  async function loadBlob(
    file: Blob,
    fileName: string,
    name: string,
    progress: Progress,
    options: LoadOptions = {},
  ): Promise<DatasetInfo> {
    const { db } = requireDb();
    const started = performance.now();
    if (file.size === 0) {
      throw engineError(
        `"${fileName}" is empty (0 bytes). Choose the file again, or check that it was fully written.`,
        "load",
      );
    }
    const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
    const format: DatasetFormat | null = detectFormat(fileName, head);
    if (!format) {
      throw engineError(`"${fileName}" is not a format Assay reads. Use ${SUPPORTED_FORMATS_HINT}.`, "load");
    }
    if (options.stream && format !== "parquet") {
      throw engineError(
        `"${fileName}" is ${format.toUpperCase()}; streaming reads Parquet files row group by row group. Load it normally, or convert it to Parquet to stream it.`,
        "load",
      );
    }
    if (options.stream) {
      try {
        progress?.({ phase: "profiling", fraction: 0, message: "Reading the footer" });
        const { profile, warnings } = await streamParquet(file, fileName, name, progress);
        streamedProfiles.set(name, profile);
        streamedFiles.set(name, { file, fileName });
        const columns = profile.columns.map((c) => ({ name: c.column, type: c.type }));
        return {
          name,
          fileName,
          format,
          sizeBytes: file.size,
          rows: profile.rows,
          columns,
          loadMs: performance.now() - started,
          streamed: true,
          ...(warnings.length > 0 ? { notes: warnings } : {}),
        };
      } catch (error) {
        const hint =
          error instanceof ParquetDecodeError ? " Check that the file is complete and really is Parquet." : "";
        throw engineError(`Could not stream "${fileName}" as Parquet: ${messageOf(error)}.${hint}`, "load");
      }
    }
    // Each load has a connection of its own, so several files load side by side.
    const conn = await db.connect();
    try {
      for (const statement of BROWSER_SESSION_SETTINGS) await runToIpc(conn, statement);
      await runToIpc(conn, `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
      if (format === "parquet") await loadParquet(conn, file, name, progress);
      else if (format === "arrow") await loadArrow(conn, file, name, progress);
      else if (format === "csv") await loadCsv(conn, file, fileName, name);
      else await loadJson(conn, file, fileName, name);
      progress?.({ phase: "indexing", fraction: 1, message: "Describing columns" });
      const columns = await describeWith(conn, name);
      const rows = await countRows(conn, name);
      datasetTables.add(name);
      return { name, fileName, format, sizeBytes: file.size, rows, columns, loadMs: performance.now() - started };
    } catch (error) {
      await runToIpc(conn, `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`).catch(() => undefined);
      const label = { parquet: "Parquet", arrow: "Arrow IPC", csv: "CSV", json: "JSON" }[format];
      const hint =
        format === "csv"
          ? ` Fix the malformed row, or load it leniently in a SQL cell: SELECT * FROM read_csv('${fileName.replaceAll("'", "''")}', ignore_errors = true).`
          : " Check that the file is complete and really is this format.";
      throw engineError(`Could not load "${fileName}" as ${label}: ${messageOf(error)}.${hint}`, "load");
    } finally {
      await conn.close().catch(() => undefined);
    }
  }

  /**
   * Runs audit code against the user connection, as one cancellable queue item. Audits only read,
   * so adjacent ones share the queue: one's JavaScript runs while DuckDB runs the other's SQL.
   */
  function auditTask<T>(queryId: string, work: (query: QueryFn, ticket: QueuedQuery) => Promise<T>): Promise<T> {
    return enqueue(
      queryId,
      async (ticket) => {
        const query: QueryFn = async (sql) => tableFromIPC(await runToIpc(requireDb().userConn, sql, ticket));
        try {
          return await work(query, ticket);
        } catch (error) {
          if (error instanceof AuditInputError) {
            throw engineError(error.message, "input", undefined, {
              problem: error.problem,
              ...(error.column ? { column: error.column } : {}),
            });
          }
          throw error instanceof Error && error.message.startsWith(ENGINE_ERROR_TAG)
            ? error
            : engineError(messageOf(error), "query");
        }
      },
      "shared",
    );
  }

  async function runCellNow(sql: string, resultName: string, q: QueuedQuery, pageSize: number): Promise<CellRunResult> {
    const { userConn } = requireDb();
    const started = performance.now();
    let plan: SqlCellPlan;
    try {
      plan = planSqlCell(sql, resultName, { datasets: datasetTables });
    } catch (error) {
      throw engineError(messageOf(error), "query");
    }
    for (const statement of plan.setup) await runToIpc(userConn, statement, q);
    if (!plan.materialize) {
      const ipc = await runToIpc(userConn, plan.last, q);
      const table = tableFromIPC(ipc);
      const columns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
      return { kind: "rows", ipc, rowCount: table.numRows, columns, elapsedMs: performance.now() - started };
    }
    const target = quoteIdentifier(resultName);
    // Materialised (not a view, not TEMP): paging through a big result never re-runs the query,
    // and every connection (page fetches, audits) sees it.
    await runToIpc(userConn, plan.materialize, q);
    const elapsedMs = performance.now() - started;
    const columns = await describeWith(userConn, resultName);
    const rowCount = await countRows(userConn, resultName);
    const firstPage = await runToIpc(userConn, `SELECT * FROM ${target} LIMIT ${Math.max(1, Math.floor(pageSize))}`);
    return { kind: "table", table: resultName, rowCount, columns, firstPage, elapsedMs };
  }

  /** A query on a streamed dataset fails with "Table with name X does not exist": say why, and what to do. */
  async function explainStreamed<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const missing = /Table with name (.+?) does not exist/.exec(messageOf(error))?.[1];
      if (missing !== undefined && streamedProfiles.has(missing)) {
        throw engineError(
          `"${missing}" was streamed (read row group by row group, not loaded), so SQL cannot read it; only ${streamableFamiliesText()} checks can. Load the file normally to query it, if it fits in memory.`,
          "query",
        );
      }
      throw error;
    }
  }

  return {
    start,

    async recordResult(table, ordered, ranAt) {
      const conn = requireDb().metaConn;
      const [columns, ipc] = await Promise.all([
        describeWith(conn, table),
        runToIpc(conn, `SELECT * FROM ${quoteIdentifier(table)}`),
      ]);
      const version = (await db?.getVersion()) ?? "";
      return resultRecord(tableFromIPC(ipc), { ordered, ranAt, engineVersion: version, columns });
    },

    async exportParquet(table) {
      const ipc = await runToIpc(requireDb().metaConn, `SELECT * FROM ${quoteIdentifier(table)}`);
      parquetWriter ??= parquetModule()
        .then((module) => initParquet({ module_or_path: module }))
        .catch((error: unknown) => {
          parquetWriter = null;
          throw error;
        });
      await parquetWriter;
      return ownedBytes(writeParquet(WasmTable.fromIPCStream(ipc)));
    },

    async heartbeat(port, everyMs) {
      setInterval(() => port.postMessage(0), everyMs);
    },

    runCheck: (params, queryId) =>
      auditTask(queryId, (query, ticket) =>
        runAuditCheck(query, params, {
          streamed: new Set(streamedProfiles.keys()),
          profileOf: (name) => streamedProfiles.get(name),
          batchesOf: (name, columns) => checkBatches(name, columns, ticket),
        }),
      ),

    compareConventions: (params: CheckParams, queryId) =>
      auditTask<ConventionComparison>(queryId, (query) => {
        // Conventions recompute from raw rows, which a streamed dataset does not keep as a table.
        const named = params.family === "drift" ? [params.reference, params.current] : [params.source];
        const streamed = named.find((name) => streamedProfiles.has(name));
        if (streamed) {
          throw engineError(
            `"${streamed}" was streamed, so conventions cannot be compared on it (they recompute from a table). Load the file normally to compare them, if it fits in memory.`,
            "query",
          );
        }
        if (params.family === "drift") return compareDriftConventions(query, params);
        if (params.family === "fairness") return compareFairnessConventions(query, params);
        throw engineError(`Conventions differ only for drift and fairness checks, not ${params.family}.`, "query");
      }),

    loadFile: (file, name, onProgress, options) => loadBlob(file, file.name, name, onProgress, options),

    async renameTable(from, to) {
      const streamed = streamedProfiles.get(from);
      const kept = streamedFiles.get(from);
      if (streamed && kept) {
        streamedProfiles.delete(from);
        streamedProfiles.set(to, streamed);
        streamedFiles.delete(from);
        streamedFiles.set(to, kept);
        return;
      }
      const { metaConn } = requireDb();
      await runToIpc(metaConn, `ALTER TABLE ${quoteIdentifier(from)} RENAME TO ${quoteIdentifier(to)}`);
      if (datasetTables.delete(from)) datasetTables.add(to);
    },

    async dropTable(name) {
      streamedFiles.delete(name);
      if (streamedProfiles.delete(name)) return;
      const { metaConn } = requireDb();
      await runToIpc(metaConn, `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
      datasetTables.delete(name);
    },

    describe: async (name) => {
      const streamed = streamedProfiles.get(name);
      if (streamed) return streamed.columns.map((c) => ({ name: c.column, type: c.type }));
      return describeWith(requireDb().metaConn, name);
    },

    query: (sql, queryId) => enqueue(queryId, (q) => explainStreamed(() => runToIpc(requireDb().userConn, sql, q))),

    distinctValues: async (table, column, limit) => {
      // Not a user query (no queryId of its own to cancel it by): numbered here.
      const streamed = streamedProfiles.get(table);
      if (streamed) {
        // No table to ask: the profile's categories (code-point order, as ORDER BY sorts text).
        const profiled = streamed.columns.find((c) => c.column === column);
        if (profiled?.kind !== "categorical") {
          throw engineError(
            `"${column}" of the streamed dataset "${table}" was not profiled by value, so its values are not known; type them in.`,
            "query",
          );
        }
        return profiled.categories.slice(0, Math.floor(limit)).map((c) => c.value);
      }
      const c = quoteIdentifier(column);
      const ipc = await enqueue(`distinct-${++distinctQueries}`, (q) =>
        runToIpc(
          requireDb().userConn,
          `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${quoteIdentifier(table)} WHERE ${c} IS NOT NULL ORDER BY v LIMIT ${Math.floor(limit)}`,
          q,
        ),
      );
      const t = tableFromIPC(ipc);
      const v = t.getChild("v");
      return Array.from({ length: t.numRows }, (_, i) => String(v?.get(i)));
    },

    runCell: (sql, resultName, queryId, pageSize) =>
      enqueue(queryId, (q) => explainStreamed(() => runCellNow(sql, resultName, q, pageSize))),

    insertTable: (name, ipc) =>
      enqueue(`insert-${name}`, async () => {
        if (datasetTables.has(name)) {
          throw engineError(
            `"${name}" is a dataset; rename the cell so its result does not replace the data.`,
            "query",
          );
        }
        const { userConn } = requireDb();
        await runToIpc(userConn, `DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
        await userConn.insertArrowFromIPCStream(ipc, { name, create: true });
        return countRows(userConn, name);
      }),

    async fetchRows(table, offset, limit) {
      const { metaConn } = requireDb();
      return runToIpc(
        metaConn,
        `SELECT * FROM ${quoteIdentifier(table)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`,
      );
    },

    async cancel(queryId) {
      const ticket = active.get(queryId);
      if (!ticket) return false;
      ticket.cancelled = true;
      return true;
    },

    async close() {
      await userConn?.close();
      await metaConn?.close();
      await db?.terminate();
      db = null;
      starting = null;
    },
  };
}
