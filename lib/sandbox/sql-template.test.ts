import { describe, expect, it } from "vitest";
import { openFixtureEngine } from "../audit/testing/fixture-engine";
import { renderSqlTemplate } from "./sql-template";

const tag = (strings: TemplateStringsArray, ...values: unknown[]) => renderSqlTemplate([...strings], values as never[]);

describe("renderSqlTemplate", () => {
  it("renders values as literals and identifiers quoted", () => {
    expect(tag`SELECT * FROM ${{ $identifier: 'my "t"' }} WHERE a > ${3} AND b = ${"it's"}`).toBe(
      `SELECT * FROM "my ""t""" WHERE a > 3 AND b = 'it''s'`,
    );
    expect(tag`${null}, ${true}, ${[1, "x"]}, ${10n}`).toBe("NULL, TRUE, [1, 'x'], 10");
  });

  it("keeps injected text a string and round-trips values through DuckDB", async () => {
    const engine = await openFixtureEngine();
    try {
      const evil = "x' OR 1=1 --";
      const t = await engine.query(
        tag`SELECT ${evil} AS s, ${0.1} AS d, ${-7} AS i, ${Number.NaN} AS n, ${new Date(Date.UTC(2024, 0, 2, 3, 4, 5))} AS ts`,
      );
      const row = t.get(0)?.toJSON() as Record<string, unknown>;
      expect(row.s).toBe(evil);
      expect(row.d).toBe(0.1);
      expect(Number(row.i)).toBe(-7);
      expect(Number.isNaN(row.n)).toBe(true);
      expect(t.numRows).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it("refuses functions and malformed templates", () => {
    expect(() => renderSqlTemplate(["a", "b"], [(() => 1) as never])).toThrow(/cannot interpolate/);
    expect(() => renderSqlTemplate(["a"], [1])).toThrow(/Malformed/);
  });
});
