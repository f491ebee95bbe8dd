// Decodes one Parquet file with parquet-wasm, a row group at a time, into Arrow IPC streams
// that it transfers to the engine worker. One worker per file, ended when the file is done, so
// parquet-wasm's heap goes with it. Protocol: lib/engine/parquet-decoder.ts.
import initParquet, { ParquetFile } from "parquet-wasm/esm";
import { DECODE_AHEAD, type DecoderReply, type DecoderRequest } from "../lib/engine/parquet-decoder";

const scope = self as unknown as {
  postMessage(message: DecoderReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<DecoderRequest>) => void) | null;
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

let parquet: ParquetFile | null = null;
let groups = 0;
let next = 0;
let taken = 0;
let running = false;
/** Only these columns are decoded, when set (a check that reads a few columns of a wide file). */
let columns: string[] | undefined;

/** Decodes row groups until DECODE_AHEAD of them wait to be taken. */
async function pump(): Promise<void> {
  if (running || !parquet) return;
  running = true;
  try {
    while (next < groups && next - taken < DECODE_AHEAD) {
      const g = next++;
      const started = performance.now();
      const rows = Number(parquet.metadata().rowGroup(g).numRows());
      // One record batch per row group: DuckDB scans a few large batches faster than many small ones.
      const table = await parquet.read({
        rowGroups: [g],
        batchSize: Math.max(1, rows),
        ...(columns ? { columns } : {}),
      });
      const ipc = table.intoIPCStream();
      scope.postMessage({ type: "group", index: g, rows, ipc, decodeMs: performance.now() - started }, [
        ipc.buffer as ArrayBuffer,
      ]);
    }
  } catch (error) {
    scope.postMessage({ type: "error", stage: "decode", message: messageOf(error) });
    parquet = null;
  } finally {
    running = false;
  }
}

async function open(file: Blob, wasm: WebAssembly.Module): Promise<void> {
  await initParquet({ module_or_path: wasm });
  try {
    parquet = await ParquetFile.fromFile(file);
  } catch (error) {
    scope.postMessage({ type: "error", stage: "footer", message: messageOf(error) });
    return;
  }
  const metadata = parquet.metadata();
  groups = metadata.numRowGroups();
  const rows = Number(metadata.fileMetadata().numRows());
  const schemaIpc = groups === 0 ? parquet.schema().intoIPCStream() : null;
  scope.postMessage({ type: "opened", groups, rows, schemaIpc }, schemaIpc ? [schemaIpc.buffer as ArrayBuffer] : []);
  await pump();
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "open") {
    columns = request.columns;
    open(request.file, request.wasm).catch((error: unknown) =>
      scope.postMessage({ type: "error", stage: "decode", message: messageOf(error) }),
    );
  } else if (request.type === "taken") {
    taken += 1;
    void pump();
  }
};
