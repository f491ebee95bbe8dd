import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chiSquareContingency, chiSquareGoodnessOfFit, twoProportionZTest } from "./categorical-tests";
import { jensenShannon, psi, psiShares } from "./divergence";

// Worked values of docs/metrics.md: {a: 50, b: 30, c: 20} vs {a: 40, b: 30, c: 30}.
const R = [50, 30, 20];
const C = [40, 30, 30];

describe("divergences and categorical tests on the worked example", () => {
  it("Jensen–Shannon base e = 0.08842, base 2 = 0.10620", () => {
    expect(jensenShannon(R, C, Math.E)).toBeCloseTo(0.08842, 5);
    expect(jensenShannon(R, C, 2)).toBeCloseTo(0.1062, 5);
  });

  it("chi-square goodness of fit p = 0.03020 (drift), contingency p = 0.21107 (no drift)", () => {
    expect(chiSquareGoodnessOfFit(R, C).pValue).toBeCloseTo(0.0302, 5);
    expect(chiSquareContingency(R, C).pValue).toBeCloseTo(0.21107, 5);
  });

  it("goodness of fit is infinite when a category is absent from the reference", () => {
    expect(chiSquareGoodnessOfFit([10, 0], [5, 5])).toEqual({ statistic: Number.POSITIVE_INFINITY, pValue: 0 });
  });

  it("a single category gives no evidence of drift", () => {
    expect(chiSquareContingency([10], [20])).toEqual({ statistic: 0, pValue: 1 });
    expect(chiSquareGoodnessOfFit([10], [20])).toEqual({ statistic: 0, pValue: 1 });
    expect(twoProportionZTest([10], [20])).toEqual({ statistic: 0, pValue: 1 });
  });

  it("Yates' correction at df = 1 (scipy chi2_contingency([[30, 70], [45, 55]]))", () => {
    // scipy.stats.chi2_contingency([[30, 70], [45, 55]]) → (4.181333…, 0.040871…)
    const t = chiSquareContingency([30, 70], [45, 55]);
    expect(t.statistic).toBeCloseTo(4.1813333333, 9);
    expect(t.pValue).toBeCloseTo(0.04087153408900628, 12);
  });

  it("PSI zero-share rules: Assay 1e-4; Evidently min/1e6 when the minimum share is ≤ 1e-4", () => {
    expect(psiShares([0, 5, 5], 10, "fixed")).toEqual([1e-4, 0.5, 0.5]);
    expect(psiShares([0, 1, 99_999], 100_000, "evidently")[0]).toBeCloseTo(1e-11, 20);
    expect(psiShares([0, 5, 5], 10, "evidently")[0]).toBe(1e-4);
  });
});

describe("properties", () => {
  const counts = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 });
  const pair = counts.chain((r) =>
    fc.tuple(fc.constant(r), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: r.length, maxLength: r.length })),
  );
  const positive = (xs: number[]) => xs.reduce((a, b) => a + b, 0) > 0;

  it("Jensen–Shannon is symmetric, within [0, 1] in base 2, and 0 on identical bins", () => {
    fc.assert(
      fc.property(pair, ([r, c]) => {
        fc.pre(positive(r) && positive(c));
        const js = jensenShannon(r, c, 2);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(1 + 1e-12);
        expect(Math.abs(js - jensenShannon(c, r, 2))).toBeLessThan(1e-12);
        expect(jensenShannon(r, r, 2)).toBe(0);
      }),
    );
  });

  it("PSI is ≥ 0, symmetric, and 0 on identical bins", () => {
    fc.assert(
      fc.property(pair, ([r, c]) => {
        fc.pre(positive(r) && positive(c));
        const nR = r.reduce((a, b) => a + b, 0);
        const nC = c.reduce((a, b) => a + b, 0);
        const value = psi(r, c, nR, nC, "fixed");
        expect(value).toBeGreaterThanOrEqual(-1e-12);
        expect(Math.abs(value - psi(c, r, nC, nR, "fixed"))).toBeLessThan(1e-9);
        expect(psi(r, r, nR, nR, "fixed")).toBe(0);
      }),
    );
  });
});
