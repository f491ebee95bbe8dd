import { type RecordBatch, Table, tableToIPC } from "apache-arrow";

/** Concatenates IPC stream chunks into one buffer that owns its memory. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, c) => sum + c.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Returns bytes whose ArrayBuffer holds exactly them, so the buffer can be transferred
 * without detaching memory that something else (e.g. a WebAssembly heap) still uses.
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

/** Arrow IPC stream bytes for a set of record batches. */
export function batchesToIpc(batches: RecordBatch[]): Uint8Array {
  return tableToIPC(new Table(batches), "stream");
}
