import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../engine/node-engine";
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
});
