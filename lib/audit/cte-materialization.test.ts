/**
 * No statement of the audit library copies rows into a CTE unless it says so.
 *
 * DuckDB 1.4 materializes a CTE that a statement reads more than once unless the CTE is marked
 * `NOT MATERIALIZED`: for a CTE over the source rows that is a copy of every row. In DuckDB-WASM,
 * whose heap never shrinks, such a copy raised the 10M-row browser audit's peak (calibration's
 * `flagged`: ~250 MB). Intended materializations are written `AS MATERIALIZED`; this test runs
 * every family on native DuckDB, reads each statement's plan and fails on any other CTE that the
 * plan materializes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../engine/node-engine";
import type { QueryFn } from "../engine/types";
import { runCalibration } from "./calibration";
import { runCanaryComparison } from "./canary";
import { computeReferenceProfile, runDrift } from "./drift";
import { runFairness } from "./fairness";
import { runBinaryPerformance, runMulticlassPerformance, runRegressionPerformance } from "./performance";
import { runWorstSlices } from "./slices";
import { runStandardAudit } from "./standard-audit";
import { openFixtureEngine } from "./testing/fixture-engine";

/** Names of the CTEs a plan materializes (DuckDB's `CTE` operator, "CTE Name: x"). */
function materializedCtes(plan: string): string[] {
  return [...plan.matchAll(/CTE Name:\s*([^\s│]+)/g)].map((m) => (m[1] as string).replace(/^"|"$/g, ""));
}

/** Whether `sql` asks for CTE `name` to be materialized. */
function marksMaterialized(sql: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[\\s,(])"?${escaped}"?\\s+AS\\s+MATERIALIZED\\b`, "i").test(sql);
}

describe("CTE materialization", () => {
  let engine: NodeEngine;
  const unintended: string[] = [];
  let explained = 0;
  let withCtes = 0;

  /** Runs each statement and, for queries, checks its plan. */
  const checked: QueryFn = async (sql) => {
    if (/^\s*(WITH|SELECT)\b/i.test(sql)) {
      const plan = String((await engine.query(`EXPLAIN ${sql}`)).getChildAt(1)?.get(0));
      explained++;
      if (/\bWITH\b/i.test(sql)) withCtes++;
      for (const name of materializedCtes(plan)) {
        if (!marksMaterialized(sql, name)) unintended.push(`${name} in: ${sql.replace(/\s+/g, " ").slice(0, 160)}`);
      }
    }
    return engine.query(sql);
  };

  beforeAll(async () => {
    engine = await openFixtureEngine();
    // 3,000 rows a side: every statement shape, not the large-table paths' sizes; distinct
    // scores (the performance check's sort form) and a rounded score column (its grouped form).
    for (const [name, shift] of [
      ["reference", 0],
      ["current", 1],
    ] as const) {
      await engine.exec(`CREATE TABLE ${name} AS
        SELECT i AS "row id",
          CAST(hash(i, 1) % 2 AS INTEGER) AS label,
          (hash(i, 2) % 1000000) / 1000000.0 AS score,
          round((hash(i, 2) % 1000000) / 1000000.0, 1) AS coarse,
          CAST((hash(i, 2) % 1000000) >= 500000 AS INTEGER) AS prediction,
          CAST(hash(i, 3) % 3 AS INTEGER) AS class, CAST(hash(i, 4) % 3 AS INTEGER) AS class_hat,
          (hash(i, 5) % 1000) / 10.0 + ${shift} AS latency_ms,
          CASE hash(i, 6) % 2 WHEN 0 THEN 'f' ELSE 'm' END AS sex,
          CASE hash(i, 7) % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END AS "age band",
          (hash(i, 8) % 10000) / 100.0 + ${shift} AS "f ü",
          CAST(hash(i, 9) % 50 AS INTEGER) AS n1,
          CASE hash(i, 10) % 4 WHEN 0 THEN 'x' WHEN 1 THEN 'y' WHEN 2 THEN NULL ELSE 'z' END AS c1,
          CASE WHEN i % 2 = 0 THEN 'v1' ELSE 'v2' END AS version
        FROM range(3000) t(i)`);
    }
  });
  afterAll(() => engine.close());

  it("only where a statement says MATERIALIZED, in every family", async () => {
    const labelled = { label: "label", score: "score", prediction: "prediction" };
    const audit = await runStandardAudit(checked, {
      reference: "reference",
      current: "current",
      ...labelled,
      groups: ["sex", "age band"],
      slices: true,
    });
    for (const family of ["quality", "drift", "performance", "calibration", "fairness", "operational", "slices"]) {
      expect(audit.timings[family as keyof typeof audit.timings], family).toBeGreaterThan(0);
    }
    // The performance check's grouped form (scores repeat).
    await runBinaryPerformance(checked, { source: "current", label: "label", score: "coarse" });
    for (const strategy of ["uniform", "quantile", "nannyml"] as const) {
      await runCalibration(checked, { source: "current", label: "label", score: "score", strategy, groupBy: "sex" });
    }
    await runFairness(checked, {
      source: "current",
      ...labelled,
      attributes: ["sex", "age band"],
      intersections: true,
    });
    await runWorstSlices(checked, { source: "current", ...labelled, metric: "mean_score" });
    await runCanaryComparison(checked, {
      source: "current",
      versionColumn: "version",
      baseline: "v1",
      candidate: "v2",
      ...labelled,
    });
    await runCanaryComparison(checked, {
      baselineSource: "reference",
      candidateSource: "current",
      ...labelled,
      idColumn: "row id",
    });
    await runRegressionPerformance(checked, { source: "current", target: "latency_ms", prediction: "f ü" });
    await runMulticlassPerformance(checked, { source: "current", label: "class", prediction: "class_hat" });
    const profile = await computeReferenceProfile(checked, { reference: "reference" });
    await runDrift(checked, { reference: profile, current: "current" });

    expect(explained).toBeGreaterThan(100);
    expect(withCtes).toBeGreaterThan(10);
    expect(unintended).toEqual([]);
  });
});
