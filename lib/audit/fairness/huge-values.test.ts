/**
 * Fairness sums scores and squared score errors per group (`fairness-sql.ts`), which would overflow
 * for scores near the largest double; scores are checked to lie in [0, 1] first, so such a column
 * is refused with an input error naming it and never reaches those sums. The other inputs are
 * 0/1 labels, 0/1 predictions and group keys (counted, never summed).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { runFairness } from "./fairness";

const engine = await openFixtureEngine();
afterAll(() => engine.close());

describe("fairness with scores near the largest double", () => {
  it("refuses them as out of [0, 1] before any sum, naming the column", async () => {
    await createFixtureTable(engine, "huge fair", {
      y: { type: "INTEGER", values: [1, 0, 1, 0] },
      "sco're ✓": { type: "DOUBLE", values: [1.7e308, -1.7e308, 1e308, 0.5] },
      g: { type: "VARCHAR", values: ["a", "a", "b", "b"] },
    });
    await expect(
      runFairness(engine.query, { source: "huge fair", label: "y", score: "sco're ✓", attributes: ["g"] }),
    ).rejects.toMatchObject({ problem: "score-out-of-range", column: "sco're ✓" });
  });
});
