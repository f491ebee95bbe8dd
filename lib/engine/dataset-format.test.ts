import { describe, expect, it } from "vitest";
import { detectFormat, guessDelimiter } from "./dataset-format";

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

describe("guessDelimiter", () => {
  it("reads the header line", () => {
    expect(guessDelimiter("a.csv", "id,score,label")).toBe(",");
    expect(guessDelimiter("a.csv", "id;score;label")).toBe(";");
    expect(guessDelimiter("a.txt", "id\tscore")).toBe("\t");
    expect(guessDelimiter("a.tsv", "id,score")).toBe("\t");
    expect(guessDelimiter("a.csv", "single_column")).toBeNull();
  });
});
