import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { runWorstSlices } from "./worst-slices";

/** mean_score takes any finite score (not only probabilities): values near 1.8e308 overflow its moments. */
describe("slices' mean_score with scores near the largest double", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  const table = (score: number[]) =>
    createFixtureTable(engine, "s", {
      label: { type: "INTEGER", values: score.map((_, i) => i % 2) },
      "raw score": { type: "DOUBLE", values: score },
      grp: { type: "VARCHAR", values: score.map((_, i) => (i % 3 === 0 ? "a" : "b")) },
    });
  const run = () =>
    runWorstSlices(engine.query, {
      source: "s",
      label: "label",
      score: "raw score",
      metric: "mean_score",
      columns: ["grp"],
    });

  it("refuses them with a message that names the column and what to do", async () => {
    await table(Array.from({ length: 60 }, (_, i) => (i % 2 ? 1.7e308 : -1.7e308)));
    await expect(run()).rejects.toMatchObject({
      problem: "score-out-of-range",
      column: "raw score",
      message: expect.stringMatching(/"raw score".*1\.7e\+308.*divide the column/is),
    });
  });

  it("refuses NaN and infinite scores instead of returning NaN means", async () => {
    await table(Array.from({ length: 60 }, (_, i) => (i === 7 ? Number.NaN : i === 9 ? Infinity : i / 60)));
    await expect(run()).rejects.toMatchObject({ problem: "non-finite-values", column: "raw score" });
  });

  it("takes large scores that cannot overflow", async () => {
    await table(Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1e140 : i)));
    const r = await run();
    expect(r.overall.value).toBeCloseTo((20 * 1e140) / 60, -130);
  });
});
