/**
 * Decoding a Parquet file in a worker of its own (workers/parquet-decode.worker.ts), so that
 * two files decode on two cores while DuckDB inserts, and so that parquet-wasm's WebAssembly
 * heap, which never shrinks once grown, is freed when the file is done (the worker ends).
 *
 * The decoder sends one Arrow IPC stream per row group (one record batch each), transferred,
 * and decodes ahead of the consumer by at most `DECODE_AHEAD` row groups: memory stays bounded
 * by a few row groups, not the file, and decoding overlaps DuckDB's insert.
 */

/** Row groups the decoder may hold decoded and not yet taken. */
export const DECODE_AHEAD = 2;

/** Messages to the decode worker. */
export type DecoderRequest =
  /**
   * `wasm` is parquet-wasm, compiled once by the engine worker and shared with every decoder.
   * `columns`, when given, are the only columns decoded (names of the file's top-level fields).
   */
  | { type: "open"; file: Blob; wasm: WebAssembly.Module; columns?: string[] }
  /** The consumer has taken a row group: the decoder may decode one more. */
  | { type: "taken" };

/** Messages from the decode worker. */
export type DecoderReply =
  /** The footer was read. With no row groups, `schemaIpc` holds the schema as an empty IPC stream. */
  | { type: "opened"; groups: number; rows: number; schemaIpc: Uint8Array | null }
  | { type: "group"; index: number; rows: number; ipc: Uint8Array; decodeMs: number }
  | { type: "error"; stage: "footer" | "decode"; message: string };

export interface DecodedGroup {
  index: number;
  rows: number;
  ipc: Uint8Array;
  decodeMs: number;
}

export interface ParquetDecoder {
  groups: number;
  rows: number;
  schemaIpc: Uint8Array | null;
  /** The next row group, or null after the last. Rejects with the decoder's error. */
  next(): Promise<DecodedGroup | null>;
  /** Ends the worker (idempotent); its memory goes with it. */
  close(): void;
}

/** Error from the decoder; `stage` tells a footer that could not be read from a bad row group. */
export class ParquetDecodeError extends Error {
  constructor(
    message: string,
    readonly stage: "footer" | "decode",
  ) {
    super(message);
    this.name = "ParquetDecodeError";
  }
}

/**
 * Starts a decoder on `worker` for `file` (all its columns, or only `columns`); resolves once the
 * footer is read. The worker is terminated on close, on error, and after the last row group has
 * been taken.
 */
export function openParquetDecoder(
  worker: Worker,
  file: Blob,
  wasm: WebAssembly.Module,
  columns?: readonly string[],
): Promise<ParquetDecoder> {
  let closed = false;
  const queue: DecoderReply[] = [];
  let waiting: ((reply: DecoderReply) => void) | null = null;
  let failure: Error | null = null;
  const close = () => {
    if (closed) return;
    closed = true;
    worker.terminate();
  };
  const deliver = (reply: DecoderReply) => {
    if (waiting) {
      const w = waiting;
      waiting = null;
      w(reply);
    } else queue.push(reply);
  };
  worker.onmessage = (event: MessageEvent<DecoderReply>) => deliver(event.data);
  worker.onerror = (event) => {
    event.preventDefault?.();
    deliver({ type: "error", stage: "decode", message: event.message || "the Parquet decoder failed" });
  };
  const receive = (): Promise<DecoderReply> => {
    const ready = queue.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      waiting = resolve;
    });
  };
  const fail = (reply: Extract<DecoderReply, { type: "error" }>): never => {
    close();
    failure = new ParquetDecodeError(reply.message, reply.stage);
    throw failure;
  };

  const request: DecoderRequest = { type: "open", file, wasm, ...(columns ? { columns: [...columns] } : {}) };
  worker.postMessage(request);
  return receive().then((first) => {
    if (first.type === "error") return fail(first);
    if (first.type !== "opened") return fail({ type: "error", stage: "decode", message: `unexpected ${first.type}` });
    let taken = 0;
    if (first.groups === 0) close();
    return {
      groups: first.groups,
      rows: first.rows,
      schemaIpc: first.schemaIpc,
      close,
      async next() {
        if (failure) throw failure;
        if (taken >= first.groups) {
          close();
          return null;
        }
        const reply = await receive();
        if (reply.type === "error") return fail(reply);
        if (reply.type !== "group")
          return fail({ type: "error", stage: "decode", message: `unexpected ${reply.type}` });
        taken += 1;
        if (taken >= first.groups) close();
        else worker.postMessage({ type: "taken" } satisfies DecoderRequest);
        return { index: reply.index, rows: reply.rows, ipc: reply.ipc, decodeMs: reply.decodeMs };
      },
    };
  });
}
