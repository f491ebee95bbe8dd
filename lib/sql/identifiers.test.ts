import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../engine/node-engine";
import { numberLiteral, quoteIdentifier, quoteString, tableNameFromFileName } from "./identifiers";

describe("identifiers and literals", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await createNodeEngine({ threads: 1 });
  });
  afterAll(() => engine.close());

  it("quotes names and strings", () => {
    expect(quoteIdentifier('we"ird col')).toBe('"we""ird col"');
    expect(quoteString("it's")).toBe("'it''s'");
    expect(() => numberLiteral(Number.NaN)).toThrow();
    expect(tableNameFromFileName("Prédictions (Q3).parquet")).toBe("predictions_q3");
    expect(tableNameFromFileName("2026 logs.csv")).toBe("t_2026_logs");
    expect(tableNameFromFileName("select.csv")).toBe("select_data");
  });

  it("writes DOUBLE literals that DuckDB reads back bit for bit", async () => {
    const values = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 300);
    values.push(0.30000000000000004, 1e-300, 5e-324, -0, 123456789.12345679);
    const sql = `SELECT [${values.map(numberLiteral).join(", ")}] AS v`;
    const row = (await engine.query(sql)).get(0)?.toJSON() as { v: { toArray(): Float64Array } };
    const back = Array.from(row.v.toArray());
    back.forEach((b, i) => {
      expect(Object.is(b, values[i] === 0 ? 0 : values[i]) || b === values[i]).toBe(true);
    });
  });
});
