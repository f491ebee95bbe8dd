/**
 * numpy 1.24 `np.quantile(values, [0.1, …, 0.9])` (default linear method), printed by Debian's
 * /usr/bin/python3 and pasted here; the ties case is the one DuckDB's quantile_cont gets wrong
 * (58.39999999999999). Also checked end to end: runDrift's PSI edges on the same values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { DECILES } from "./histogram-edges";
import { numpyQuantile } from "../stats/order-statistics";
import { runDrift } from "./run-drift";

const NUMPY: Record<string, { values: number[]; deciles: number[] }> = {
  ties: {
    values: [58.4, 58.4, 58.4, 58.4, 58.4, 58.4, 58.4, 58.5, 58.5, 58.5],
    deciles: [58.4, 58.4, 58.4, 58.4, 58.4, 58.4, 58.43, 58.5, 58.5],
  },
  rounded: {
    values: [58.4, 58.4, 58.4, 1.2, 3.3, 99.0, 58.4, 70.1, 70.2, 0.1],
    deciles: [1.09, 2.88, 41.86999999999998, 58.4, 58.4, 58.4, 61.91, 70.11999999999999, 73.08],
  },
  spread: {
    values: [0.1, 0.7, 1e-12, -3.3, 1000000000.0, 2.5, 2.5, 7.125, -0.2],
    deciles: [
      -0.8199999999999998, -0.07999999999939998, 0.04000000000059999, 0.2200000000000001, 0.7, 2.1399999999999997, 2.5,
      4.350000000000001, 200000005.70000017,
    ],
  },
};

let engine: NodeEngine;
beforeAll(async () => {
  engine = await openFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

describe("numpy's linear quantile", () => {
  for (const [name, { values, deciles }] of Object.entries(NUMPY)) {
    it(`${name}: bit for bit`, () => {
      const sorted = [...values].sort((a, b) => a - b);
      expect(DECILES.map((q) => numpyQuantile(sorted.length, q, (k) => sorted[k] as number))).toEqual(deciles);
    });
    it(`${name}: runDrift's PSI edges are numpy's deciles`, async () => {
      await createFixtureTable(engine, "lq_ref", { x: { type: "DOUBLE", values } });
      await createFixtureTable(engine, "lq_cur", { x: { type: "DOUBLE", values: [...values].reverse() } });
      const result = await runDrift(engine.query, { reference: "lq_ref", current: "lq_cur", columns: ["x"] });
      const distinct = [...new Set(deciles)].sort((a, b) => a - b);
      expect(result.columns[0]?.bins.psi.edges).toEqual(distinct);
    });
  }
});
