/** The compiled SQL binds in DuckDB (EXPLAIN) with hostile table and column names. */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { compileCategoricalCounts, compileOneSideCategoryCounts } from "./categorical-counts-sql";
import {
  compileNumericDistribution,
  compileNumericValueCounts,
  compileUnseenSummary,
} from "./numeric-distribution-sql";
import { compileNumericSummary, compileOneSideSummary, compileSkewness } from "./numeric-summary-sql";
import { compileOrderStatistics } from "./quantile-sketch";
import { compileSketchDistribution } from "./sketch-distribution-sql";

const TABLE = 't "1"; DROP TABLE x; --';
const NUM = 'a"b; DROP TABLE x; --';
const CAT = "sélect 'it''s'";
let engine: NodeEngine;

beforeAll(async () => {
  engine = await openFixtureEngine();
  await createFixtureTable(engine, TABLE, {
    [NUM]: { type: "DOUBLE", values: [1, 2, Number.NaN, null, 5] },
    [CAT]: { type: "VARCHAR", values: ["a", null, "b", "c", "a"] },
  });
});
afterAll(async () => {
  await engine.close();
});

it("every compiler's SQL binds and quotes identifiers", async () => {
  const bins = [
    { layout: "right-closed" as const, edges: [1, 2.5] },
    { layout: "histogram" as const, edges: [0.1 + 0.2, 1, 5] },
  ];
  const statements = [
    compileNumericSummary({ reference: TABLE, current: TABLE, columns: [NUM] }),
    compileOneSideSummary({ source: TABLE, columns: [NUM], profile: true }),
    compileSkewness({ source: TABLE, columns: [{ column: NUM, mean: 2.5, std: 1.5 }] }),
    compileNumericDistribution({
      reference: TABLE,
      current: TABLE,
      columns: [{ column: NUM, nReference: 3, nCurrent: 3, bins }],
    }),
    compileNumericValueCounts({
      reference: TABLE,
      current: TABLE,
      columns: [{ column: NUM }, { column: NUM, inlineReference: { values: [1, 2], counts: [3, 4] } }],
    }),
    compileUnseenSummary({ reference: TABLE, current: TABLE, columns: [{ column: NUM }], nCurrent: [3] }),
    compileSketchDistribution({ current: TABLE, columns: [{ column: NUM, nCurrent: 3, knots: [1, 2, 2, 5], bins }] }),
    compileOrderStatistics({ source: TABLE, columns: [{ column: NUM, ranks: [0, 2] }] }),
    compileCategoricalCounts({ reference: TABLE, current: TABLE, columns: [{ column: CAT, numeric: false }] }),
    compileOneSideCategoryCounts({ source: TABLE, columns: [{ column: NUM, numeric: true }] }),
  ];
  for (const sql of statements) {
    expect(sql).toContain('"t ""1""; DROP TABLE x; --"');
    await engine.query(`EXPLAIN ${sql}`);
  }
});

it("column names that match the generated SQL's own aliases do not change the numbers", async () => {
  const { runDrift } = await import("./run-drift");
  const { computeReferenceProfile } = await import("./reference-profile");
  const names = ["v", "r", "c", "s", "n", "col", "k", "bin", "q", "u", "rn", "n_rows"];
  const ref = Array.from({ length: 60 }, (_, i) => (i * 37) % 23);
  const cur = Array.from({ length: 50 }, (_, i) => ((i * 11) % 29) + 0.5);
  await createFixtureTable(
    engine,
    "alias_ref",
    Object.fromEntries(names.map((n) => [n, { type: "DOUBLE", values: ref }])),
  );
  await createFixtureTable(
    engine,
    "alias_cur",
    Object.fromEntries(names.map((n) => [n, { type: "DOUBLE", values: cur }])),
  );
  await createFixtureTable(engine, "plain_ref", { x: { type: "DOUBLE", values: ref } });
  await createFixtureTable(engine, "plain_cur", { x: { type: "DOUBLE", values: cur } });
  for (const convention of ["assay", "evidently", "nannyml"] as const) {
    const plain = (await runDrift(engine.query, { reference: "plain_ref", current: "plain_cur", convention }))
      .columns[0];
    const aliased = await runDrift(engine.query, { reference: "alias_ref", current: "alias_cur", convention });
    const profile = await computeReferenceProfile(engine.query, { reference: "alias_ref" });
    const viaProfile = await runDrift(engine.query, { reference: profile, current: "alias_cur", convention });
    // Sketch profiles run other SQL (order statistics, ASOF join): same numbers as the plain column's sketch.
    const sketch = await computeReferenceProfile(engine.query, { reference: "alias_ref", exactCap: 0 });
    const plainSketch = await computeReferenceProfile(engine.query, { reference: "plain_ref", exactCap: 0 });
    const viaSketch = await runDrift(engine.query, { reference: sketch, current: "alias_cur", convention });
    const plainViaSketch = (await runDrift(engine.query, { reference: plainSketch, current: "plain_cur", convention }))
      .columns[0];
    for (const c of viaSketch.columns) {
      expect([c.psi, c.ks?.statistic, c.wassersteinRaw], `${convention} sketch ${c.column}`).toEqual([
        plainViaSketch?.psi,
        plainViaSketch?.ks?.statistic,
        plainViaSketch?.wassersteinRaw,
      ]);
    }
    for (const c of [...aliased.columns, ...viaProfile.columns]) {
      expect([c.psi, c.jensenShannon, c.ks?.statistic, c.wassersteinRaw], `${convention} ${c.column}`).toEqual([
        plain?.psi,
        plain?.jensenShannon,
        plain?.ks?.statistic,
        plain?.wassersteinRaw,
      ]);
    }
  }
});
