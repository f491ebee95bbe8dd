/**
 * Streamed worst slices against the table path: on whole-number and categorical columns (where the
 * streamed profile knows every quantile exactly) every slice equals `runWorstSlices`'s; on real
 * decimals every reported slice is recounted by an independent SQL filter, and the edges lie
 * within a grid bin of the exact quantiles. Batch sizes do not change the result.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { profileStream, tableBatches } from "../streaming";
import { openFixtureEngine } from "../testing/fixture-engine";
import { createGoldenTable, readSliceTestdata } from "./testdata/golden";
import { runStreamedWorstSlices } from "./streamed-slices";
import { runWorstSlices, type Slice, type WorstSlicesResult, type WorstSlicesSpec } from "./worst-slices";

const specs = (readSliceTestdata("expected.json") as { spec: Omit<WorstSlicesSpec, "source"> }[]).map((c) => c.spec);

let engine: NodeEngine;
beforeAll(async () => {
  engine = await openFixtureEngine();
  await createGoldenTable(engine, "preds");
  // Whole numbers below 512: every grid bin holds one value, so the streamed quantiles are exact.
  // Only rows every spec uses: the streamed edges are quantiles of all rows, the table's of the rows used.
  await engine.exec(
    `CREATE TABLE preds_whole AS SELECT * REPLACE (round("age yrs") AS "age yrs", round(income) AS income) FROM preds
     WHERE label IS NOT NULL AND score IS NOT NULL AND NOT isnan(score) AND pred IS NOT NULL`,
  );
});
afterAll(() => engine.close());

async function streamed(table: string, spec: Omit<WorstSlicesSpec, "source">, batchRows = 97) {
  const { profile } = await profileStream(engine.query, await tableBatches(engine.query, table, 1000));
  return runStreamedWorstSlices(
    engine.query,
    { ...spec, source: table },
    { profile, open: () => tableBatches(engine.query, table, batchRows) },
  );
}

const keyOf = (s: Slice) => JSON.stringify(s.conditions.map((c) => [c.column, c.value]));

function close(actual: number | null | undefined, expected: number | null | undefined, what: string, tolerance = 1e-9) {
  if (expected === null || expected === undefined) {
    expect(actual, what).toBe(expected);
    return;
  }
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

function expectSameSlices(got: WorstSlicesResult, want: WorstSlicesResult) {
  close(got.overall.value, want.overall.value, "overall");
  expect(got.overall.n).toBe(want.overall.n);
  expect(got.counts).toEqual(want.counts);
  expect(got.slices.map(keyOf).sort()).toEqual(want.slices.map(keyOf).sort());
  const byKey = new Map(got.slices.map((s) => [keyOf(s), s]));
  for (const w of want.slices) {
    const g = byKey.get(keyOf(w)) as Slice;
    expect(g.n, keyOf(w)).toBe(w.n);
    expect(g.description).toBe(w.description);
    close(g.value, w.value, `${keyOf(w)} value`);
    close(g.gap, w.gap, `${keyOf(w)} gap`);
    close(g.ci?.lower, w.ci?.lower, `${keyOf(w)} ci`, 1e-7);
    close(g.ci?.upper, w.ci?.upper, `${keyOf(w)} ci`, 1e-7);
    expect(g.significant, keyOf(w)).toBe(w.significant);
  }
  for (let i = 1; i < got.slices.length; i++) {
    expect(got.slices[i]?.gap).toBeLessThanOrEqual(got.slices[i - 1]?.gap as number);
  }
  expect(got.warnings.map((w) => `${w.code}:${w.column ?? ""}`).sort()).toEqual(
    want.warnings.map((w) => `${w.code}:${w.column ?? ""}`).sort(),
  );
  expect(got.pairColumns).toEqual(want.pairColumns);
}

describe("streamed worst slices", () => {
  for (const spec of [...specs, { label: "label", score: "score", pairColumns: 3 }]) {
    it(`equal the table's on whole numbers and categories: ${JSON.stringify(spec)}`, async () => {
      const want = await runWorstSlices(engine.query, { ...spec, source: "preds_whole", limit: 100_000 });
      const got = await streamed("preds_whole", { ...spec, limit: 100_000 });
      expectSameSlices(got, want);
      expect(got.trace.join("\n")).toMatch(/Streamed: every statement below ran once per batch/);
    });
  }

  it("count every reported slice exactly on decimals, with edges within a grid bin of the exact quantiles", async () => {
    for (const metric of ["error_rate", "mean_score"] as const) {
      const r = await streamed("preds", { label: "label", score: "score", metric, limit: 100_000 });
      expect(r.slices.length).toBeGreaterThan(20);
      expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["dropped-rows", "high-cardinality"]));
      const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;
      for (const s of r.slices) {
        const where = s.conditions.map((c) => {
          const col = quoteIdentifier(c.column);
          if (c.value === null) return `${col} IS NULL`;
          if (c.bin === undefined) return `CAST(${col} AS VARCHAR) = ${quote(c.value)}`;
          const lower = c.lower === null || c.lower === undefined ? "true" : `${col} >= ${numberLiteral(c.lower)}`;
          const upper = c.upper === null || c.upper === undefined ? "true" : `${col} < ${numberLiteral(c.upper)}`;
          // DuckDB orders NaN above every number: the NaN bin is its own slice.
          return `NOT isnan(${col}) AND ${lower} AND ${upper}`;
        });
        const value =
          metric === "error_rate" ? "avg(CAST(label <> CAST(score >= 0.5 AS INTEGER) AS DOUBLE))" : "avg(score)";
        const [row] = await queryRows(
          engine.query,
          `SELECT count(*) AS n, ${value} AS v FROM preds WHERE label IS NOT NULL AND score IS NOT NULL AND NOT isnan(score) AND ${where.join(" AND ")}`,
        );
        expect(s.n, s.description).toBe(num(row?.n));
        close(s.value, num(row?.v), s.description, 1e-12);
      }
      // Edges: grid estimates of the quartiles, each within 1/256 of its value from quantile_cont.
      for (const column of ["age yrs", "income"]) {
        const edges = r.slices
          .flatMap((s) => s.conditions)
          .filter((c) => c.column === column && c.upper !== null && c.upper !== undefined)
          .map((c) => c.upper as number);
        const [row] = await queryRows(
          engine.query,
          `SELECT quantile_cont(${quoteIdentifier(column)}, [0.25, 0.5, 0.75]) AS q FROM preds WHERE label IS NOT NULL AND score IS NOT NULL AND NOT isnan(score)`,
        );
        const exact = ((row?.q ?? []) as number[]).map(Number);
        expect(new Set(edges).size).toBe(3);
        for (const e of new Set(edges)) {
          expect(
            exact.some((q) => Math.abs(q - e) <= Math.abs(q) / 128),
            `${column} edge ${e} vs ${exact}`,
          ).toBe(true);
        }
      }
    }
  });

  it("count the same with the blocked plan as with one GROUPING SETS per batch", async () => {
    for (const table of ["preds", "preds_whole"]) {
      for (const metric of ["error_rate", "recall", "selection_rate"] as const) {
        const spec = { label: "label", score: "score", metric, limit: 100_000, pairColumns: 4 };
        const { profile } = await profileStream(engine.query, await tableBatches(engine.query, table, 1000));
        const input = { profile, open: () => tableBatches(engine.query, table, 333) };
        const blocked = await runStreamedWorstSlices(engine.query, { ...spec, source: table }, input);
        const direct = await runStreamedWorstSlices(engine.query, { ...spec, source: table }, input, {
          plan: "direct",
        });
        expect(blocked.trace.join("\n")).toMatch(/Counted in blocks per batch/);
        expect(direct.trace.join("\n")).not.toMatch(/Counted in blocks/);
        expect(blocked.slices).toEqual(direct.slices);
        expect(blocked.counts).toEqual(direct.counts);
        expect(blocked.overall).toEqual(direct.overall);
      }
    }
  });

  it("do not depend on the batch size", async () => {
    for (const metric of ["recall", "log_loss"] as const) {
      const spec = { label: "label", score: "score", metric, limit: 100_000, pairColumns: 4 };
      const one = await streamed("preds", spec, 100_000);
      for (const size of [61, 700]) expectSameSlices(await streamed("preds", spec, size), one);
    }
  });

  it("slice a numeric column with few decimals by value, and bin one with many in a narrow range", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE narrow AS
      SELECT i % 2 AS label, (i % 7) / 7.0 AS score,
        [0.1, 0.2, 0.3][1 + i % 3] AS few, 1 + (i % 9) / 1000.0 AS many, 0.25 AS one
      FROM range(600) t(i)`);
    const spec = { label: "label", score: "score", limit: 100_000, maxOrder: 1 as const };
    const got = await streamed("narrow", spec, 50);
    const want = await runWorstSlices(engine.query, { ...spec, source: "narrow" });
    expect(got.trace.join("\n")).toMatch(/"few": 3 distinct values listed batch by batch; sliced by value/);
    expect(got.trace.join("\n")).toMatch(
      /"many": more than 4 distinct values listed batch by batch; sliced by quantile bin/,
    );
    expect(got.trace.join("\n")).toMatch(/Skipped \(a single value\): "one"/);
    const few = (r: WorstSlicesResult) =>
      r.slices
        .filter((s) => s.conditions[0]?.column === "few")
        .map(keyOf)
        .sort();
    expect(few(got)).toEqual(few(want));
    expect(got.slices.filter((s) => s.conditions[0]?.column === "many").length).toBeGreaterThan(1);
  });

  it("find bad labels and scores in late batches, and name what is missing", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE late AS
      SELECT CASE WHEN i = 590 THEN 2 ELSE i % 2 END AS label, CASE WHEN i = 595 THEN 1.5 ELSE 0.5 END AS score,
        ['a', 'b'][1 + i % 2] AS g
      FROM range(600) t(i)`);
    await expect(streamed("late", { label: "label", score: "score" }, 100)).rejects.toMatchObject({
      problem: "label-not-binary",
    });
    await engine.exec("UPDATE late SET label = 1 WHERE label = 2");
    await expect(streamed("late", { label: "label", score: "score", metric: "log_loss" }, 100)).rejects.toMatchObject({
      problem: "score-out-of-range",
    });
    await expect(streamed("late", { label: "label", score: "nope" })).rejects.toThrow(AuditInputError);
    await engine.exec("CREATE OR REPLACE TABLE nothing AS SELECT * FROM late LIMIT 0");
    await expect(streamed("nothing", { label: "label", score: "score" })).rejects.toMatchObject({
      problem: "empty-table",
    });
    await engine.exec(
      "CREATE OR REPLACE TABLE unlabelled AS SELECT CAST(NULL AS INTEGER) AS label, score, g FROM late",
    );
    await expect(streamed("unlabelled", { label: "label", score: "score" })).rejects.toMatchObject({
      problem: "all-null",
    });
  });
});
