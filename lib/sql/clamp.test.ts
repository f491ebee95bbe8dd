import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../engine/node-engine";
import { clampSql } from "./clamp";

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(async () => {
  await engine.close();
});

describe("clampSql", () => {
  it("equals least(greatest(x, lo), hi) for numbers, ±Inf and NaN", async () => {
    const values = ["-1e308", "-2.5", "-0.0", "0", "0.3", "1", "7.25", "1e308", "'inf'", "'-inf'", "'nan'"];
    const x = "CAST(v AS DOUBLE)";
    const table = await engine.query(`SELECT ${clampSql(x, "0", "1")} AS a, least(greatest(${x}, 0), 1) AS b,
        ${clampSql(x, null, "2")} AS c, least(${x}, 2) AS d, ${clampSql(x, "-1", null)} AS e, greatest(${x}, -1) AS f
      FROM (SELECT unnest([${values.join(", ")}]::VARCHAR[]) AS v)`);
    for (let i = 0; i < table.numRows; i++) {
      const row = table.get(i)?.toJSON() as Record<string, number>;
      expect(Object.is(row.a, row.b) || (Number.isNaN(row.a) && Number.isNaN(row.b))).toBe(true);
      expect(Object.is(row.c, row.d) || (Number.isNaN(row.c) && Number.isNaN(row.d))).toBe(true);
      expect(Object.is(row.e, row.f) || (Number.isNaN(row.e) && Number.isNaN(row.f))).toBe(true);
    }
  });

  it("leaves x alone without bounds", () => {
    expect(clampSql("x", null, null)).toBe("x");
  });
});
