/**
 * Families whose numbers are sums (fairness: confusion counts and score sums per group) give the
 * table's result when their rows are added up over batches, whatever the batch size; a batch of
 * nulls is not an empty column, and bad values in a late batch are still found.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { AuditInputError } from "../errors";
import { runCalibration } from "../calibration";
import { type FairnessSpec, runFairness } from "../fairness";
import { openSampleEngine } from "../testing/sample-data";
import { tableBatches } from "./table-batches";

let engine: NodeEngine;
beforeAll(async () => {
  engine = await openSampleEngine();
  await engine.exec("CREATE TABLE prod AS SELECT * FROM production");
});
afterAll(() => engine.close());

const SPEC: FairnessSpec = {
  source: "prod",
  label: "label",
  score: "score",
  attributes: ["sex", "age_band"],
  intersections: true,
};

/** Every number of a result, with its path; traces left out (they say how it was computed). */
function numbers(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) numbers(v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k !== "trace") numbers(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, value);
  return out;
}

/** The same paths, numbers equal to 1e-12 relative (floating sums added in another order). */
function expectSameNumbers(got: Map<string, unknown>, want: Map<string, unknown>): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [path, value] of want) {
    const other = got.get(path);
    if (typeof value === "number" && typeof other === "number") {
      expect(Math.abs(other - value), path).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(value)));
    } else expect(other, path).toEqual(value);
  }
}

describe("fairness over batches", () => {
  it("equals the table's result for any batch size", async () => {
    const whole = numbers(await runFairness(engine.query, SPEC));
    for (const size of [97, 1000, 4000]) {
      const streamed = await runFairness(engine.query, SPEC, {
        batches: await tableBatches(engine.query, "prod", size),
      });
      const got = numbers(streamed);
      expectSameNumbers(got, whole);
      expect(streamed.trace.steps.some((s) => s.includes("Streamed"))).toBe(true);
    }
  });

  it("accepts a batch of nulls, and finds a bad label in the last batch", async () => {
    await engine.exec(
      `CREATE TABLE gaps AS SELECT * REPLACE (CASE WHEN rowid < 500 THEN NULL ELSE label END AS label) FROM prod`,
    );
    const streamed = await runFairness(
      engine.query,
      { ...SPEC, source: "gaps" },
      { batches: await tableBatches(engine.query, "gaps", 500) },
    );
    const whole = await runFairness(engine.query, { ...SPEC, source: "gaps" });
    expect(streamed.n).toBe(whole.n);

    await engine.exec(
      `CREATE TABLE late AS SELECT * REPLACE (CASE WHEN rowid = (SELECT max(rowid) FROM prod) THEN 2 ELSE label END AS label) FROM prod`,
    );
    const late = runFairness(
      engine.query,
      { ...SPEC, source: "late" },
      { batches: await tableBatches(engine.query, "late", 1000) },
    );
    await expect(late).rejects.toThrow(AuditInputError);
    await expect(late).rejects.toThrow(/must hold only 0 and 1/);

    // Each check on its own: a batch of null labels still has its scores checked, and columns
    // empty in different batches are not empty columns.
    await engine.exec(
      `CREATE TABLE split_nulls AS SELECT * REPLACE (CASE WHEN rowid < 2000 THEN NULL ELSE label END AS label, CASE WHEN rowid >= 2000 THEN NULL ELSE score END AS score) FROM prod`,
    );
    const split = await runFairness(
      engine.query,
      { ...SPEC, source: "split_nulls" },
      { batches: await tableBatches(engine.query, "split_nulls", 2000) },
    ).catch((error: unknown) => error);
    // No row has both: the table path's own verdict on such data, not "no non-null values".
    const table = await runFairness(engine.query, { ...SPEC, source: "split_nulls" }).catch((error: unknown) => error);
    expect(split).toBeInstanceOf(AuditInputError);
    expect((split as AuditInputError).problem).toBe((table as AuditInputError).problem);
    expect((split as Error).message).toBe((table as Error).message);
    await engine.exec(
      `CREATE TABLE hidden_score AS SELECT * REPLACE (CASE WHEN rowid < 2000 THEN NULL ELSE label END AS label, CASE WHEN rowid = 10 THEN 7.5 ELSE score END AS score) FROM prod`,
    );
    await expect(
      runFairness(
        engine.query,
        { ...SPEC, source: "hidden_score" },
        { batches: await tableBatches(engine.query, "hidden_score", 2000) },
      ),
    ).rejects.toThrow(/must lie in \[0, 1\]/);

    await engine.exec(`CREATE TABLE empty_label AS SELECT * REPLACE (NULL::INTEGER AS label) FROM prod`);
    await expect(
      runFairness(
        engine.query,
        { ...SPEC, source: "empty_label" },
        { batches: await tableBatches(engine.query, "empty_label", 2000) },
      ),
    ).rejects.toThrow(/has no non-null values/);
  });
});

describe("calibration over batches", () => {
  const spec = { source: "prod", label: "label", score: "score", groupBy: "sex" };

  it("equals the table's result with uniform bins, per group too", async () => {
    const whole = numbers(await runCalibration(engine.query, spec));
    for (const size of [97, 4000]) {
      const got = numbers(
        await runCalibration(engine.query, spec, { batches: await tableBatches(engine.query, "prod", size) }),
      );
      expectSameNumbers(got, whole);
    }
  });

  it("refuses strategies that need the order of all scores", async () => {
    await expect(
      runCalibration(
        engine.query,
        { ...spec, strategy: "quantile" },
        { batches: await tableBatches(engine.query, "prod", 500) },
      ),
    ).rejects.toThrow(/use the uniform strategy on "prod"/);
  });
});
