/**
 * SHA-256 of a file's bytes, read in slices so a file larger than memory (or than one
 * ArrayBuffer) is hashed without ever being held whole. WebCrypto has no incremental
 * digest, hence hash-wasm.
 */
import { createSHA256 } from "hash-wasm";

export const HASH_CHUNK_BYTES = 8 * 1024 * 1024;

export async function sha256OfBlob(blob: Blob, onProgress?: (fraction: number) => void): Promise<string> {
  const hasher = await createSHA256();
  hasher.init();
  for (let offset = 0; offset < blob.size; offset += HASH_CHUNK_BYTES) {
    const chunk = new Uint8Array(await blob.slice(offset, offset + HASH_CHUNK_BYTES).arrayBuffer());
    hasher.update(chunk);
    onProgress?.(Math.min(1, (offset + chunk.byteLength) / blob.size));
  }
  if (blob.size === 0) onProgress?.(1);
  return hasher.digest("hex");
}

/** What the hash worker exposes. */
export interface HashWorkerApi {
  sha256(file: Blob, onProgress?: (fraction: number) => void): Promise<string>;
}
