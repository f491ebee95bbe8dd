import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HASH_CHUNK_BYTES, sha256OfBlob } from "./file-hash";

describe("sha256OfBlob", () => {
  it("matches Node's SHA-256 across chunk boundaries", async () => {
    const bytes = randomBytes(HASH_CHUNK_BYTES * 2 + 12345);
    const fractions: number[] = [];
    const digest = await sha256OfBlob(new Blob([bytes]), (f) => fractions.push(f));
    expect(digest).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(fractions).toHaveLength(3);
    expect(fractions.at(-1)).toBe(1);
  });

  it("hashes an empty file", async () => {
    expect(await sha256OfBlob(new Blob([]))).toBe(createHash("sha256").update(Buffer.alloc(0)).digest("hex"));
  });
});
