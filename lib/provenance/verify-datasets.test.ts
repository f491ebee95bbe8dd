import { describe, expect, it } from "vitest";
import type { FileDataset } from "../notebook/format/types";
import { sha256OfBlob } from "./file-hash";
import { verifyDatasets } from "./verify-datasets";

const bytes = new TextEncoder().encode("label,score\n1,0.9\n0,0.2\n");

async function dataset(name: string, content: Uint8Array): Promise<FileDataset> {
  return {
    name,
    fileName: `${name}.csv`,
    format: "csv",
    sizeBytes: content.length,
    rows: 2,
    columns: [],
    sha256: await sha256OfBlob(new Blob([content as Uint8Array<ArrayBuffer>])),
  };
}

describe("verifyDatasets", () => {
  it("matches the same bytes, flags different bytes and missing files", async () => {
    const datasets = [await dataset("a", bytes), await dataset("b", bytes), await dataset("c", bytes)];
    const tampered = bytes.slice();
    tampered[14] = "8".charCodeAt(0); // 0.9 → 0.8
    const attached = new Map([
      ["a", await sha256OfBlob(new Blob([bytes]))],
      ["b", await sha256OfBlob(new Blob([tampered]))],
    ]);
    const checks = verifyDatasets(datasets, attached);
    expect(checks.map((c) => c.status)).toEqual(["match", "mismatch", "missing"]);
    expect(checks[1]).toMatchObject({ name: "b", expected: datasets[1]!.sha256, actual: attached.get("b") });
    expect(checks[1]?.message).toMatch(/not the audited b\.csv/);
    expect(checks[2]?.actual).toBeNull();
  });

  it("accepts a plain record and upper-case hex", async () => {
    const d = await dataset("a", bytes);
    expect(verifyDatasets([d], { a: d.sha256.toUpperCase() })[0]?.status).toBe("match");
  });
});
