import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { type OperationalSpec, runOperational } from "./operational";
import golden from "./testdata/operational.json";

const TOL = 1e-9;

function close(actual: unknown, expected: unknown, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
  } else if (typeof expected === "number") {
    expect(Math.abs((actual as number) - expected), what).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
  } else if (Array.isArray(expected)) {
    expect((actual as unknown[]).length, what).toBe(expected.length);
    for (const [i, e] of expected.entries()) close((actual as unknown[])[i], e, `${what}[${i}]`);
  } else if (typeof expected === "object") {
    for (const [k, v] of Object.entries(expected as object))
      close((actual as Record<string, unknown>)[k], v, `${what}.${k}`);
  } else {
    expect(actual, what).toEqual(expected);
  }
}

interface Golden {
  name: string;
  columns: Record<string, FixtureColumn>;
  spec: Omit<OperationalSpec, "source">;
  expected: Record<string, unknown>;
}

describe("operational metrics against numpy", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  for (const fixture of golden as unknown as Golden[]) {
    it(fixture.name, async () => {
      await createFixtureTable(engine, "ops", fixture.columns);
      const r = await runOperational(engine.query, { source: "ops", ...fixture.spec });
      close(r.latency, fixture.expected.latency, "latency");
      close(r.errorRate, fixture.expected.errorRate, "errorRate");
      close(r.histogram, fixture.expected.histogram, "histogram");
    });
  }

  it("warns about dropped nulls and negative latencies, and rejects bad input", async () => {
    await createFixtureTable(engine, "w", {
      t: { type: "DOUBLE", values: [1, -2, null, 4] },
      nan: { type: "DOUBLE", values: [1, Number.NaN, 2, 3] },
      code: { type: "VARCHAR", values: ["ok", "error", "ok", null] },
      multi: { type: "INTEGER", values: [0, 1, 2, 3] },
    });
    const q = engine.query;
    const r = await runOperational(q, {
      source: "w",
      latency: "t",
      error: "code",
      errorWhen: { op: "in", value: ["error"] },
    });
    expect(r.warnings.map((w) => w.code)).toEqual(["dropped-nulls", "negative-latency", "dropped-nulls"]);
    expect(r.errorRate).toMatchObject({ errors: 1, n: 3 });
    await expect(runOperational(q, { source: "w", latency: "nan" })).rejects.toMatchObject({
      problem: "non-finite-values",
    });
    await expect(runOperational(q, { source: "w", latency: "code" })).rejects.toMatchObject({ problem: "wrong-type" });
    await expect(runOperational(q, { source: "w", error: "multi" })).rejects.toMatchObject({
      problem: "label-not-binary",
    });
    await expect(runOperational(q, { source: "w" })).rejects.toMatchObject({ problem: "invalid-option" });
    await expect(runOperational(q, { source: "w", latency: "t", histogramBins: 0 })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(
      runOperational(q, { source: "w", error: "code", errorWhen: { op: "=", value: [] } }),
    ).rejects.toMatchObject({
      problem: "invalid-option",
    });
  });

  it("bins a range too narrow for k / (last − first) to be finite", async () => {
    await createFixtureTable(engine, "narrow", { t: { type: "DOUBLE", values: [0, 5e-324, 5e-324, 0] } });
    const r = await runOperational(engine.query, { source: "narrow", latency: "t", histogramBins: 9 });
    expect(r.histogram.reduce((a, b) => a + b.count, 0)).toBe(4);
  });

  it("gives the mean of latencies whose sum passes the largest double (avg alone says Infinity)", async () => {
    const values = [1.7e308, 1.7e308, 1.7e308, 2, 3];
    await createFixtureTable(engine, "huge_latency", { t: { type: "DOUBLE", values } });
    const r = await runOperational(engine.query, { source: "huge_latency", latency: "t" });
    // Σ/5 with the sum taken at 1/4 scale, where it is finite: 1.02e308.
    const expected = (values.reduce((a, b) => a + b / 4, 0) / values.length) * 4;
    expect(r.latency?.mean).toBeGreaterThan(1e308);
    expect(Math.abs((r.latency?.mean as number) / expected - 1)).toBeLessThan(1e-15);
    expect(r.latency?.max).toBe(1.7e308);
    expect(r.trace.steps.some((step) => step.includes("2^−600"))).toBe(true);
    const plain = await runOperational(engine.query, { source: "narrow", latency: "t" });
    expect(plain.trace.steps.some((step) => step.includes("2^−600"))).toBe(false);
  });

  it("orders percentiles and keeps every row in the histogram", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 80 }),
        async (xs) => {
          await createFixtureTable(engine, "p", { t: { type: "DOUBLE", values: xs } });
          const r = await runOperational(engine.query, { source: "p", latency: "t", histogramBins: 9 });
          const l = r.latency;
          expect(l).not.toBeNull();
          if (!l) return;
          expect(l.min).toBeLessThanOrEqual(l.p50);
          expect(l.p50).toBeLessThanOrEqual(l.p95);
          expect(l.p95).toBeLessThanOrEqual(l.p99);
          expect(l.p99).toBeLessThanOrEqual(l.max);
          expect(r.histogram.reduce((a, b) => a + b.count, 0)).toBe(xs.length);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("percentiles are DuckDB's quantile_cont to the last bit (ties, skew, negatives, one value)", async () => {
    const value = fc.oneof(
      fc.double({ min: -50, max: 1e4, noNaN: true }),
      fc.constantFrom(0, 1, 1, 2.5, 1e-9, 1e9),
      fc.integer({ min: 0, max: 20 }).map((v) => v / 7),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(value, fc.constant(null)), { minLength: 1, maxLength: 120 }), async (xs) => {
        if (xs.every((x) => x === null)) return;
        await createFixtureTable(engine, "q", { "lat ✓": { type: "DOUBLE", values: xs } });
        const r = await runOperational(engine.query, { source: "q", latency: "lat ✓", histogramBins: 7 });
        const [row] = (
          await engine.query(`SELECT quantile_cont("lat ✓", [0.5, 0.95, 0.99]) AS q FROM q`)
        ).toArray() as { q: { toArray: () => number[] } }[];
        const expected = Array.from(row?.q.toArray() ?? []);
        expect([r.latency?.p50, r.latency?.p95, r.latency?.p99]).toEqual(expected);
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it("finds the order statistics when most rows share one fine bin", async () => {
    // 20 000 latencies near 10 ms and a few far out: p50 and p95 fall in one crowded fine bin.
    await engine.exec(`CREATE OR REPLACE TABLE crowded AS
      SELECT CASE WHEN i % 5000 = 0 THEN 1e6 + i ELSE 10 + (hash(i) % 100000) / 1e7 END AS t FROM range(20000) r(i)`);
    const r = await runOperational(engine.query, { source: "crowded", latency: "t", histogramBins: 30 });
    const [row] = (await engine.query(`SELECT quantile_cont(t, [0.5, 0.95, 0.99]) AS q FROM crowded`)).toArray() as {
      q: { toArray: () => number[] };
    }[];
    expect([r.latency?.p50, r.latency?.p95, r.latency?.p99]).toEqual(Array.from(row?.q.toArray() ?? []));
    expect(r.histogram.reduce((a, b) => a + b.count, 0)).toBe(20000);
  });
});
