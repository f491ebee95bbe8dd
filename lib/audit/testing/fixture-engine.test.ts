import { describe, expect, it } from "vitest";
import { queryRows } from "../rows";
import { createFixtureTable, openFixtureEngine } from "./fixture-engine";

describe("fixture tables", () => {
  it("keeps NaN, infinities, nulls and awkward names", async () => {
    const engine = await openFixtureEngine();
    await createFixtureTable(engine, 'we ird"t', {
      "sc ore": { type: "DOUBLE", values: [0.5, Number.NaN, Infinity, null] },
      grüppe: { type: "VARCHAR", values: ["a'b", "x", null, "y"] },
    });
    const rows = await queryRows(
      engine.query,
      `SELECT count(*) AS n, count(*) FILTER (isnan("sc ore")) AS nans, count(*) FILTER (isinf("sc ore")) AS infs,
              count("grüppe") AS groups, max("grüppe") AS top FROM "we ird""t"`,
    );
    expect(rows).toEqual([{ n: 4, nans: 1, infs: 1, groups: 3, top: "y" }]);
    await engine.close();
  });
});
