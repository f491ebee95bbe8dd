import { describe, expect, it } from "vitest";
import { detectFormat } from "./dataset-format";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("detectFormat", () => {
  it("trusts magic bytes over the file name", () => {
    expect(detectFormat("data.csv", bytes("PAR1xxxx"))).toBe("parquet");
    expect(detectFormat("x.bin", bytes("ARROW1\0\0"))).toBe("arrow");
    expect(detectFormat("x", new Uint8Array([255, 255, 255, 255, 0]))).toBe("arrow");
  });
  it("falls back to the extension", () => {
    expect(detectFormat("Logs 2026.TSV", bytes("a\tb"))).toBe("csv");
    expect(detectFormat("events.ndjson", bytes("{}"))).toBe("json");
    expect(detectFormat("broken.parquet", bytes("garbage"))).toBe("parquet");
    expect(detectFormat("notes.docx", bytes("PK"))).toBeNull();
  });
});
