import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../engine/node-engine";
import { queryRows } from "../audit/rows";
import { quoteString } from "../sql/identifiers";
import { csvChunks, csvField, tableToCsv } from "./csv";

const AWKWARD = [
  "plain",
  "comma, inside",
  'quote " inside',
  "line\nbreak",
  "crlf\r\nbreak",
  "ünïcode ✓ 🚀",
  "",
  null,
  " leading space",
  '"',
  "trailing,",
];

let engine: NodeEngine;
let dir: string;

beforeAll(async () => {
  engine = await createNodeEngine();
  dir = mkdtempSync(join(tmpdir(), "assay-csv-"));
});

afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function roundTrip(csv: string, types: string): Promise<Record<string, unknown>[]> {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, csv, "utf8");
  return queryRows(
    engine.query,
    `SELECT * FROM read_csv(${quoteString(path)}, header = true, allow_quoted_nulls = false, columns = ${types})`,
  );
}

describe("csvField", () => {
  it("quotes only when RFC 4180 requires it", () => {
    expect(csvField("abc")).toBe("abc");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\rb")).toBe('"a\rb"');
  });
});

describe("tableToCsv", () => {
  it("round-trips awkward strings and nulls through DuckDB's read_csv", async () => {
    const table = await engine.query(
      `SELECT * FROM (VALUES ${AWKWARD.map((s, i) => `(${i}, ${s === null ? "NULL" : quoteString(s)})`).join(", ")}) t("id", "odd, name ""x""")`,
    );
    const csv = tableToCsv(table);
    expect(csv.startsWith('id,"odd, name ""x"""\r\n')).toBe(true);
    const rows = await roundTrip(csv, `{'id': 'INTEGER', 'odd, name "x"': 'VARCHAR'}`);
    expect(rows.map((r) => r['odd, name "x"'])).toEqual(AWKWARD);
  });

  it("writes numbers, BigInt, NaN/Infinity, booleans and dates readably and losslessly", async () => {
    const table = await engine.query(`SELECT * FROM (VALUES
      (1, 9007199254740993::BIGINT, 0.1::DOUBLE, true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123456'),
      (2, -5::BIGINT, 'NaN'::DOUBLE, false, NULL, NULL),
      (3, NULL, 'Infinity'::DOUBLE, NULL, DATE '1969-12-31', TIMESTAMP '1960-06-01 00:00:00'),
      (4, 0::BIGINT, '-Infinity'::DOUBLE, true, NULL, NULL),
      (5, 1::BIGINT, 1e-300::DOUBLE, true, NULL, NULL)
    ) t(id, big, x, ok, d, ts)`);
    const csv = tableToCsv(table);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("id,big,x,ok,d,ts");
    // The native engine returns timestamps at millisecond precision (docs/notebook-format.md).
    expect(lines[1]).toMatch(
      /^1,9007199254740993,0\.1,true,2024-01-02T00:00:00\.000000Z,2024-01-02T03:04:05\.123(000|456)Z$/,
    );
    expect(lines[2]).toBe("2,-5,NaN,false,,");
    expect(lines[3]).toContain(",Infinity,,1969-12-31T00:00:00.000000Z,1960-06-01T00:00:00.000000Z");
    expect(lines[4]).toContain(",-Infinity,");
    expect(lines.at(-1)).toBe("");
    const back = await engine.query(
      `SELECT id, big::VARCHAR AS big, x, ok, d, ts FROM read_csv(${quoteString(
        (() => {
          const p = join(dir, "typed.csv");
          writeFileSync(p, csv);
          return p;
        })(),
      )}, header = true, columns = {'id': 'INTEGER', 'big': 'HUGEINT', 'x': 'DOUBLE', 'ok': 'BOOLEAN', 'd': 'VARCHAR', 'ts': 'VARCHAR'}) ORDER BY id`,
    );
    const rows = back.toArray().map((r) => r.toJSON());
    expect(rows[0]?.big).toBe("9007199254740993");
    expect(rows[0]?.x).toBe(0.1);
    expect(Number.isNaN(rows[1]?.x)).toBe(true);
    expect(rows[2]?.x).toBe(Number.POSITIVE_INFINITY);
    expect(rows[3]?.x).toBe(Number.NEGATIVE_INFINITY);
    expect(rows[4]?.x).toBe(1e-300);
    expect(rows[2]?.big).toBeNull();
    expect(rows[2]?.ok).toBeNull();
  });

  it("writes lists and structs as JSON text", async () => {
    const table = await engine.query(`SELECT [1, 2, NULL] AS l, {'a': 'x,y', 'b': 2} AS s`);
    const csv = tableToCsv(table);
    expect(csv.split("\r\n")[1]).toMatch(/^"\[1,2,null\]",/);
  });

  it("has only the header for an empty table", () => {
    const table = tableFromArrays({ a: new Float64Array(0) });
    expect(tableToCsv(table)).toBe("a\r\n");
  });
});

describe("csvChunks", () => {
  it("splits rows across chunks whose concatenation is the whole CSV", async () => {
    const table = await engine.query("SELECT range AS i, 'v' || range AS s FROM range(2500)");
    const chunks = [...csvChunks(table, 1000)];
    expect(chunks.length).toBe(3);
    expect(chunks.join("")).toBe(tableToCsv(table));
    expect(chunks[1]?.split("\r\n").length).toBe(1001);
  });

  it("rejects a chunk size below one", () => {
    const table = tableFromArrays({ a: new Float64Array(1) });
    expect(() => [...csvChunks(table, 0)]).toThrow(/at least 1/);
  });
});
