/**
 * The blocked counting plan (slice-blocks.ts) against the straightforward GROUPING SETS query:
 * every slice of every rate metric must come out identical, on random data with a categorical
 * column of 17–50 values (a raw part), small categorical and boolean columns, NULLs, NaN and ±Inf.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import type { SliceMetric } from "./slice-metric";
import { runWorstSlices } from "./worst-slices";

const RATES: SliceMetric[] = ["accuracy", "error_rate", "recall", "precision", "fpr", "selection_rate"];

describe("blocked slice counting equals the direct GROUPING SETS query", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  it("on random tables", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 17, max: 50 }),
        fc.constantFrom(...RATES),
        async (seed, levels, metric) => {
          let s = seed;
          const r = () => {
            s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
            s ^= s >>> 13;
            return (s >>> 0) / 2 ** 32;
          };
          const rows = 1500;
          const pick = <T>(f: () => T, nulls = 0.05): (T | null)[] =>
            Array.from({ length: rows }, () => (r() < nulls ? null : f()));
          await createFixtureTable(engine, "rand", {
            label: { type: "INTEGER", values: pick(() => (r() < 0.4 ? 1 : 0), 0.02) },
            pred: { type: "INTEGER", values: pick(() => (r() < 0.5 ? 1 : 0), 0.02) },
            "many levels": { type: "VARCHAR", values: pick(() => `v${Math.floor(r() * levels)}`) },
            small: { type: "VARCHAR", values: pick(() => ["a", "b", "c", "d"][Math.floor(r() * 4)] as string) },
            flag: { type: "BOOLEAN", values: pick(() => r() < 0.3) },
            x: {
              type: "DOUBLE",
              values: pick(() => {
                const u = r();
                if (u < 0.05) return Number.NaN;
                if (u < 0.07) return Number.POSITIVE_INFINITY;
                if (u < 0.09) return Number.NEGATIVE_INFINITY;
                return Math.round(r() * 40) / 4;
              }),
            },
            k: { type: "INTEGER", values: pick(() => Math.floor(r() * 3), 0) },
            y: { type: "DOUBLE", values: pick(() => r() * 100, 0) },
          });
          const spec = { source: "rand", label: "label", prediction: "pred", metric, minSupport: 1, limit: 100_000 };
          const blocked = await runWorstSlices(engine.query, spec);
          const direct = await runWorstSlices(engine.query, spec, { plan: "direct" });
          expect(blocked.trace.some((t) => t.startsWith("Counted in blocks"))).toBe(true);
          expect(direct.trace.some((t) => t.startsWith("Counted in blocks"))).toBe(false);
          expect(blocked.overall).toEqual(direct.overall);
          expect(blocked.counts).toEqual(direct.counts);
          expect(blocked.slices).toEqual(direct.slices);
          expect(blocked.slices.length).toBeGreaterThan(100);
        },
      ),
      { numRuns: 6, seed: 20261127 },
    );
  }, 60_000);
});
