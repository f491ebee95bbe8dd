/** SHA-256 digests through WebCrypto (present in browsers, workers and Node 20). */
import { canonicalJson } from "./canonical-json";

/** Lower-case hex of some bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** SHA-256 of a UTF-8 string or bytes, as lower-case hex. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}

/** SHA-256 (hex) of the canonical JSON of `value`. */
export function digestJson(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}

/** A lower-case hex SHA-256 digest. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
