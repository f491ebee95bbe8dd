/**
 * Calibration sums scores and squared score errors per bin (`calibration-sql.ts`), which would
 * overflow for scores near the largest double; scores are checked to lie in [0, 1] first, so such a
 * column is refused with an input error naming it and never reaches those sums.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { runCalibration } from "./calibration";

const engine = await openFixtureEngine();
afterAll(() => engine.close());

describe("calibration with scores near the largest double", () => {
  it("refuses them as out of [0, 1] before any sum, naming the column", async () => {
    await createFixtureTable(engine, "huge cal", {
      y: { type: "INTEGER", values: [1, 0, 1, 0] },
      "sco're ✓": { type: "DOUBLE", values: [1.7e308, 1.7e308, 1e308, 0.5] },
    });
    for (const strategy of ["uniform", "quantile"] as const) {
      await expect(
        runCalibration(engine.query, { source: "huge cal", label: "y", score: "sco're ✓", strategy }),
      ).rejects.toMatchObject({ problem: "score-out-of-range", column: "sco're ✓" });
    }
  });
});
