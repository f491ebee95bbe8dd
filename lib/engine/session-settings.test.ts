import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "./node-engine";
import { ATTACH_BROWSER_DATABASE, BROWSER_SESSION_SETTINGS } from "./session-settings";

// The browser's compressed database, run here on native DuckDB (same release): tables land in
// it, and what comes back out is bit for bit what went in.
describe("browser database settings", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
    await engine.exec(ATTACH_BROWSER_DATABASE);
    await engine.exec(ATTACH_BROWSER_DATABASE); // a restarted start() runs it again
    for (const statement of BROWSER_SESSION_SETTINGS) await engine.exec(statement);
  });
  afterAll(() => engine.close());

  it("creates tables in the compressed database, losslessly", async () => {
    const source = `SELECT i, sin(i * 0.001) * 1e6 AS x, 'g' || (i % 7) AS g, CASE WHEN i % 5 = 0 THEN NULL ELSE i / 3 END AS y
      FROM range(300000) t(i)`;
    await engine.exec(`CREATE TABLE "t w" AS ${source}`);
    const where = await engine.query(`SELECT database_name FROM duckdb_tables() WHERE table_name = 't w'`);
    expect(String(where.getChild("database_name")?.get(0))).toBe("assay");
    const diff = await engine.query(
      `SELECT count(*)::DOUBLE AS n FROM ((SELECT * FROM "t w" EXCEPT ALL ${source}) UNION ALL (${source} EXCEPT ALL SELECT * FROM "t w"))`,
    );
    expect(Number(diff.getChild("n")?.get(0))).toBe(0);
  });
});
