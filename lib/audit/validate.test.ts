import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../engine/node-engine";
import type { QueryFn } from "../engine/types";
import { quoteIdentifier } from "../sql/identifiers";
import { AuditInputError } from "./errors";
import { queryRows } from "./rows";
import { createFixtureTable, openFixtureEngine } from "./testing/fixture-engine";
import { describeRelation, requireBinaryLabel, requireColumns, requireProbabilities, requireRows } from "./validate";

describe("audit input validation", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await createFixtureTable(engine, "t", {
      "Label ✓": { type: "INTEGER", values: [0, 1, 1, null] },
      multi: { type: "INTEGER", values: [0, 1, 2, 3] },
      score: { type: "DOUBLE", values: [0.1, 0.9, 0.5, null] },
      logit: { type: "DOUBLE", values: [-2, 3, 0.5, 0.1] },
      nan_score: { type: "DOUBLE", values: [0.1, Number.NaN, 0.5, 0.2] },
    });
    await createFixtureTable(engine, "empty", { x: { type: "DOUBLE", values: [] } });
  });
  afterAll(() => engine.close());

  it("names a missing column and suggests the right case", async () => {
    const columns = await describeRelation(engine.query, "t");
    expect(() => requireColumns(columns, ["SCORE"], "t")).toThrow(
      /Column "SCORE" does not exist in "t". Did you mean "score"/,
    );
  });

  it("accepts a binary label with unicode in its name and rejects a multiclass one", async () => {
    await expect(requireBinaryLabel(engine.query, "t", "Label ✓")).resolves.toBeUndefined();
    await expect(requireBinaryLabel(engine.query, "t", "multi")).rejects.toMatchObject({
      problem: "label-not-binary",
      column: "multi",
    });
  });

  it("rejects scores outside [0, 1] and NaN scores", async () => {
    await expect(requireProbabilities(engine.query, "t", "score")).resolves.toBeUndefined();
    await expect(requireProbabilities(engine.query, "t", "logit")).rejects.toMatchObject({
      problem: "score-out-of-range",
    });
    await expect(requireProbabilities(engine.query, "t", "nan_score")).rejects.toMatchObject({
      problem: "non-finite-values",
    });
  });

  it("rejects an empty table", async () => {
    await expect(requireRows(engine.query, "empty")).rejects.toMatchObject({ problem: "empty-table" });
  });

  it("keeps the all-null, non-finite and out-of-range messages of the score check", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE p AS SELECT * FROM (VALUES
      (NULL::DOUBLE, 0.2::DOUBLE, 0.5::DOUBLE, 1::INTEGER),
      (NULL, 'inf'::DOUBLE, -0.5, 0),
      (NULL, 0.3, 1.5, 1)) t(none, inf, wide, ints)`);
    await expect(requireProbabilities(engine.query, "p", "none")).rejects.toMatchObject({ problem: "all-null" });
    await expect(requireProbabilities(engine.query, "p", "inf")).rejects.toThrow(/has 1 NaN or infinite values/);
    await expect(requireProbabilities(engine.query, "p", "wide")).rejects.toThrow(
      /2 values are outside \(min -0.5, max 1.5\)/,
    );
    await expect(requireProbabilities(engine.query, "p", "ints")).resolves.toBeUndefined();
  });
});

/** The check as it was before the one-aggregate fast path: the reference for its behaviour. */
async function distinctTextCheck(query: QueryFn, source: string, column: string): Promise<void> {
  const c = quoteIdentifier(column);
  const rows = await queryRows(
    query,
    `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${quoteIdentifier(source)} WHERE ${c} IS NOT NULL ORDER BY v LIMIT 6`,
  );
  const values = rows.map((r) => String(r.v));
  const allowed = new Set(["0", "1", "0.0", "1.0", "true", "false"]);
  if (values.some((v) => !allowed.has(v)) || values.length > 2) {
    throw new AuditInputError("label-not-binary", values.slice(0, 5).join("|"), column);
  }
  if (values.length === 0) throw new AuditInputError("all-null", "", column);
}

async function outcome(run: () => Promise<void>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (error instanceof AuditInputError) return error.problem;
    throw error;
  }
}

describe("requireBinaryLabel agrees with the distinct-text check", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  const cases: [string, string][] = [
    ["INTEGER", "0, 1, NULL"],
    ["INTEGER", "1, 1"],
    ["INTEGER", "0, 2"],
    ["INTEGER", "-1, 0"],
    ["INTEGER", "NULL, NULL"],
    ["TINYINT", "0, 1"],
    ["UBIGINT", "0, 1, 5"],
    ["HUGEINT", "1, 0"],
    ["BIGINT", "0, 1, 1, 0"],
    ["DOUBLE", "0.0, 1.0, NULL"],
    ["DOUBLE", "0.0, 0.5"],
    ["DOUBLE", "-0.0, 1.0"],
    ["DOUBLE", "'nan', 1.0"],
    ["DOUBLE", "'inf', 0.0"],
    ["FLOAT", "0, 1"],
    ["FLOAT", "1, 2"],
    ["DECIMAL(4,1)", "0, 1"],
    ["DECIMAL(5,2)", "0, 1"],
    ["BOOLEAN", "true, false, NULL"],
    ["BOOLEAN", "NULL"],
    ["VARCHAR", "'0', '1'"],
    ["VARCHAR", "'true', 'false'"],
    ["VARCHAR", "'yes', 'no'"],
    ["VARCHAR", "'0', '1', '1.0'"],
    ["VARCHAR", "NULL"],
    ["DATE", "'2020-01-01', NULL"],
    ["FLOAT", "-0.0, 1"],
    ["BIGINT", "9007199254740993, 1"],
  ];
  for (const [type, values] of cases) {
    it(`${type}: ${values}`, async () => {
      const rows = values
        .split(", ")
        .map((v) => `(${v}::${type})`)
        .join(", ");
      await engine.exec(`CREATE OR REPLACE TABLE "l ✓" AS SELECT * FROM (VALUES ${rows}) t("y q'")`);
      const expected = await outcome(() => distinctTextCheck(engine.query, "l ✓", "y q'"));
      expect(await outcome(() => requireBinaryLabel(engine.query, "l ✓", "y q'"))).toBe(expected);
    });
  }

  it("on random integer and double columns (fast-check)", async () => {
    const value = fc.constantFrom("0", "1", "2", "-1", "NULL", "'nan'", "-0.0", "0.5", "1.0");
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 8 }), fc.boolean(), async (values, double) => {
        const type = double ? "DOUBLE" : "INTEGER";
        const usable = double ? values : values.filter((v) => /^(-?[0-9]+|NULL)$/.test(v));
        if (usable.length === 0) return;
        const rows = usable.map((v) => `(${v}::${type})`).join(", ");
        await engine.exec(`CREATE OR REPLACE TABLE r AS SELECT * FROM (VALUES ${rows}) t(y)`);
        const expected = await outcome(() => distinctTextCheck(engine.query, "r", "y"));
        expect(await outcome(() => requireBinaryLabel(engine.query, "r", "y"))).toBe(expected);
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it("lists the values found in the error, as before", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE m AS SELECT range::INTEGER AS y FROM range(9)`);
    await expect(requireBinaryLabel(engine.query, "m", "y")).rejects.toThrow(
      /found "0", "1", "2", "3", "4", …\. Map it to 0\/1/,
    );
  });
});
