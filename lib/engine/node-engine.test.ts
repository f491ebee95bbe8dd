import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "./node-engine";
import { EXPECTED_DUCKDB_VERSION } from "./session-settings";

describe("node engine", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(() => engine.close());

  it("runs the DuckDB release the browser bundle runs", async () => {
    expect(await engine.version()).toBe(EXPECTED_DUCKDB_VERSION);
  });

  it("returns typed Arrow columns", async () => {
    const table = await engine.query(
      `SELECT 42::BIGINT AS n, 0.5::DOUBLE AS x, 'a''b' AS "we""ird col", NULL::INTEGER AS missing, [1.5, 2.5] AS l`,
    );
    expect(table.numRows).toBe(1);
    const row = table.get(0)?.toJSON() as Record<string, unknown>;
    expect(row.n).toBe(42n);
    expect(row.x).toBe(0.5);
    expect(row['we"ird col']).toBe("a'b");
    expect(row.missing).toBeNull();
    expect(Array.from(row.l as Iterable<number>)).toEqual([1.5, 2.5]);
  });

  it("names the failing statement in its error", async () => {
    await expect(engine.query("SELECT * FROM no_such_table")).rejects.toMatchObject({
      name: "EngineError",
      sql: "SELECT * FROM no_such_table",
    });
  });

  it("does not autoload extensions", async () => {
    const table = await engine.query("SELECT value FROM duckdb_settings() WHERE name = 'autoload_known_extensions'");
    expect(String(table.get(0)?.toJSON().value)).toBe("false");
  });

  it("copies numeric results chunk by chunk with their nulls", async () => {
    // 5 000 rows span three DuckDB chunks; nulls fall on both sides of each chunk boundary.
    const table = await engine.query(`SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE CAST(i AS DOUBLE) * 0.5 END AS d,
      CAST(i AS INTEGER) AS k, CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS b FROM range(5000) t(i)`);
    expect(table.numRows).toBe(5000);
    for (const i of [0, 1, 2047, 2048, 2049, 4095, 4096, 4999]) {
      const row = table.get(i)?.toJSON() as { d: number | null; k: number; b: bigint | null };
      expect(row.d).toBe(i % 3 === 0 ? null : i * 0.5);
      expect(row.k).toBe(i);
      expect(row.b).toBe(i % 5 === 0 ? null : BigInt(i));
    }
    expect(table.getChild("d")?.nullCount).toBe(1667);
  });

  it("finds sparse nulls at the validity words' edges", async () => {
    // The nulls sit on both sides of DuckDB's 64-bit validity words and 2048-row chunks. (DOUBLE,
    // not `i * 1.5`, which is a DECIMAL and would take the reader path instead of the chunk copy.)
    const at = [0, 31, 32, 63, 64, 127, 2047, 2048, 2111, 4095, 4999];
    const table = await engine.query(
      `SELECT CASE WHEN i IN (${at.join(", ")}) THEN NULL ELSE CAST(i AS DOUBLE) * 1.5 END AS d FROM range(5000) t(i)`,
    );
    const d = table.getChild("d");
    expect(d?.nullCount).toBe(at.length);
    const nulls = Array.from({ length: 5000 }, (_, i) => i).filter((i) => d?.get(i) === null);
    expect(nulls).toEqual(at);
    expect(d?.get(65)).toBe(97.5);
  });

  it("runs each statement once, whatever its result's types", async () => {
    // A sequence shows a second execution: the VARCHAR result used to be read by running the
    // statement again, which drew the next value (and cost the audit ~1.9 s at 1M rows).
    await engine.exec("CREATE SEQUENCE once_seq START 1");
    const text = await engine.query("SELECT CAST(nextval('once_seq') AS VARCHAR) AS v, 'x' AS s");
    expect(text.get(0)?.toJSON()).toEqual({ v: "1", s: "x" });
    const rows = await engine.query("SELECT CAST(nextval('once_seq') AS VARCHAR) AS v FROM range(3000)");
    expect(rows.numRows).toBe(3000);
    expect(rows.get(2999)?.toJSON().v).toBe("3001");
  });
});
