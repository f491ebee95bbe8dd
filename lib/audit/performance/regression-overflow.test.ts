/**
 * Regression metrics of finite values near the largest double (~1.8e308). DuckDB's `var_pop`
 * fails ("VARPOP is out of range!") and `avg` / `sum` of errors or squared errors overflow to
 * Infinity although MAE, RMSE, R² and MAPE are ordinary doubles; only a metric whose own value
 * exceeds the largest double is Infinity, with a warning naming the columns.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import {
  quotientTimesPow2,
  type RegressionPerformanceResult,
  runRegressionPerformance,
} from "./regression-performance";

const engine = await openFixtureEngine();
afterAll(() => engine.close());

const SHIFT = 2 ** 700;
const Y = "true value ✓";
const P = `pré'd "x"`;

async function regression(y: (number | null)[], p: (number | null)[], table = "huge reg") {
  await createFixtureTable(engine, table, { [Y]: { type: "DOUBLE", values: y }, [P]: { type: "DOUBLE", values: p } });
  return runRegressionPerformance(engine.query, { source: table, target: Y, prediction: P });
}

/** The metrics of the same values divided by 2^700 (ordinary doubles, no overflow anywhere), scaled back. */
async function reference(y: number[], p: number[]) {
  const r = await regression(
    y.map((v) => v / SHIFT),
    p.map((v) => v / SHIFT),
    "small reg",
  );
  return { mae: r.mae * SHIFT, rmse: r.rmse * SHIFT, r2: r.r2, mape: r.mape };
}

function relClose(actual: number, expected: number, tol = 1e-12) {
  expect(Number.isFinite(actual)).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

const codes = (r: RegressionPerformanceResult) => r.warnings.map((w) => w.code);

describe("regression performance near the largest double", () => {
  it("gives MAE, RMSE, R² and MAPE of same-sign values near 1.7e308 (VARPOP threw before)", async () => {
    const y = [1.7e308, 1.6e308, 1.5e308, 1.0e308, 3e307];
    const p = [1.69e308, 1.65e308, 1.4e308, 1.1e308, 1e307];
    const r = await regression(y, p);
    const e = await reference(y, p);
    relClose(r.mae, e.mae);
    relClose(r.rmse, e.rmse);
    relClose(r.r2, e.r2);
    relClose(r.mape, e.mape);
    expect(codes(r)).toEqual([]);
    expect(r.trace.steps.join(" ")).toMatch(/scaled by 2\^−600/);
  });

  it("gives MAE and MAPE when y − ŷ itself overflows (opposite signs); RMSE beyond the largest double is Infinity with a warning", async () => {
    const y = [1.7e308, -1.5e308, 3, 5];
    const p = [-1.7e308, 1e308, 2, 4];
    const r = await regression(y, p);
    // MAE = (3.4e308 + 2.5e308 + 1 + 1) / 4 = 1.475e308; each |y − ŷ| overflows a double on its own.
    relClose(r.mae, 1.475e308, 1e-15);
    // MAPE = (2 + 2.5e308/1.5e308 + 1/3 + 1/5) / 4.
    relClose(r.mape, (2 + 2.5 / 1.5 + 1 / 3 + 1 / 5) / 4, 1e-14);
    // RMSE = sqrt((3.4² + 2.5²)/4) · 1e308 ≈ 2.1e308 > the largest double.
    expect(r.rmse).toBe(Number.POSITIVE_INFINITY);
    const w = r.warnings.find((x) => x.code === "metric-overflow");
    expect(w?.message).toMatch(/RMSE/);
    expect(w?.message).toContain(Y);
    expect(w?.message).toContain(P);
    expect(w?.message).toMatch(/largest double/);
    expect(w?.message).toMatch(/[Rr]escale/);
    // R² = 1 − SS_res/SS_tot, both beyond the largest double, their ratio an ordinary number.
    // In units of 1e616 (SS_res = (3.4² + 2.5²)·1e616 + 2; the 2 is far below a double's precision).
    const ssRes = 3.4 ** 2 + 2.5 ** 2;
    const mean = 1.7e308 / 4 - 1.5e308 / 4 + 2;
    const ssTot = y.reduce((a, v) => a + ((v - mean) / 1e308) ** 2, 0);
    relClose(r.r2, 1 - ssRes / ssTot, 1e-12);
  });

  it("gives RMSE of a huge prediction against an ordinary target; an R² below −1.8e308 is −Infinity with a warning", async () => {
    const r = await regression([1, 2, 3, 4], [1e200, 1, 2, 3]);
    // The squared error 1e400 overflows; RMSE = sqrt((1e400 + 3) / 4) = 5e199.
    relClose(r.rmse, 5e199, 1e-15);
    relClose(r.mae, (1e200 + 3) / 4, 1e-15);
    // SS_res / SS_tot = 1e400 / 5: R² is genuinely beyond the largest double.
    expect(r.r2).toBe(Number.NEGATIVE_INFINITY);
    expect(r.warnings.find((x) => x.code === "metric-overflow")?.message).toMatch(/R²/);
  });

  it("keeps small errors exact when only the target's variance overflowed", async () => {
    const d = 5 + 1e-10 - 5;
    const r = await regression([1e300, 5, 6], [1e300, 5 + 1e-10, 6]);
    expect(r.rmse).toBeCloseTo(Math.sqrt((d * d) / 3), 25);
    relClose(r.rmse, Math.sqrt((d * d) / 3), 1e-15);
    relClose(r.mae, d / 3, 1e-15);
    expect(r.r2).toBe(1);
    expect(codes(r)).toEqual([]);
  });

  it("runs one statement on ordinary data", async () => {
    const r = await regression([1, 2, 3, null], [1.5, 2, 2.5, 4]);
    expect(r.trace.sql).toHaveLength(1);
    expect(r.trace.steps.join(" ")).not.toMatch(/2\^−600/);
    relClose(r.mae, 1 / 3, 1e-15);
  });

  it("equal the metrics of the values divided by 2^700, scaled back (property)", async () => {
    const nonZero = fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((v) => v !== 0);
    const rows = fc.array(fc.tuple(nonZero, fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.boolean()), {
      minLength: 3,
      maxLength: 30,
    });
    await fc.assert(
      fc.asyncProperty(rows, async (xs) => {
        fc.pre(new Set(xs.map(([y]) => y)).size > 1);
        // Some predictions exact, so small and zero errors mix with huge ones.
        const y = xs.map(([v]) => v * SHIFT);
        const p = xs.map(([v, q, exact]) => (exact ? v : q) * SHIFT);
        const r = await regression(y, p);
        const e = await reference(y, p);
        for (const k of ["mae", "rmse", "r2", "mape"] as const) {
          expect(Math.abs(r[k] - e[k])).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(e[k]), k === "r2" ? 1 : 0));
        }
        expect(codes(r)).toEqual([]);
      }),
      { numRuns: 25, seed: 20261127 },
    );
  });
});

describe("quotientTimesPow2", () => {
  it("is (a / b) · 2^k where that is a double, whatever the sizes on the way", () => {
    expect(quotientTimesPow2(3, 4, 0)).toBe(0.75);
    expect(quotientTimesPow2(1e-300, 1e300, 1200) / ((1e-300 * 2 ** 600 * 2 ** 600) / 1e300)).toBeCloseTo(1, 14);
    expect(quotientTimesPow2(1e300, 1e-300, -1200) / ((1e300 * 2 ** -600 * 2 ** -600) / 1e-300)).toBeCloseTo(1, 14);
    expect(quotientTimesPow2(5e-324, 1, 1074)).toBe(1);
    expect(quotientTimesPow2(1, 1, 1024)).toBe(Number.POSITIVE_INFINITY);
    expect(quotientTimesPow2(1, 1, -1075)).toBe(0);
    expect(quotientTimesPow2(0, 1e-300, 1200)).toBe(0);
  });
});
