import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorstCase, decode, type GoldenNumber, relativeError } from "./golden";
import { ksPValue, ksPValueAsymptotic, ksPValueExact } from "./ks";
import ksGolden from "./testdata/ks.json";

type Row = (GoldenNumber | boolean)[];
const num = (v: GoldenNumber | boolean | undefined) => decode(v as GoldenNumber);

describe("ksPValueExact", () => {
  it("matches scipy's exact two-sided ks_2samp path to 1e-12 relative (equal and unequal n up to 10 000)", () => {
    const worst = createWorstCase();
    for (const row of ksGolden.exact as Row[]) {
      const [n1, n2, d] = [num(row[0]), num(row[1]), num(row[2])];
      if (row[3] === true) {
        worst.add(relativeError(ksPValueExact(d, n1, n2), num(row[5])), `exact(${d}, ${n1}, ${n2})`);
      }
    }
    expect(worst.error, worst.label).toBeLessThan(1e-12);
  });

  it("fails exactly where scipy's exact path fails (p rounds above 1) and ksPValue then falls back to asymp", () => {
    const failures = (ksGolden.exact as Row[]).filter((row) => row[3] === false);
    expect(failures.length).toBeGreaterThan(0);
    for (const row of failures) {
      const [n1, n2, d, dLattice] = [num(row[0]), num(row[1]), num(row[2]), num(row[4])];
      expect(ksPValueExact(d, n1, n2), `exact(${d}, ${n1}, ${n2})`).toBeNaN();
      const result = ksPValue(d, n1, n2, "exact");
      expect(result.method).toBe("asymp");
      expect(result.fallback).toMatch(/not a probability/);
      expect(result.pValue).toBe(ksPValueAsymptotic(dLattice, n1, n2));
    }
  });

  it("reproduces the worked value: R = 0.0 … 9.9 vs R + 1, D = 0.1 ⇒ p = 0.70206 (asymptotic 0.66231)", () => {
    expect(ksPValueExact(0.1, 100, 100)).toBeCloseTo(0.70206, 5);
    expect(ksPValueAsymptotic(0.1, 100, 100)).toBeCloseTo(0.66231, 5);
    expect(ksPValue(0.1, 100, 100)).toEqual({ pValue: ksPValueExact(0.1, 100, 100), method: "exact" });
  });

  it("is 1 when d rounds to 0 on the lattice and NaN for bad input", () => {
    expect(ksPValueExact(0, 5, 7)).toBe(1);
    expect(ksPValueExact(1e-9, 5, 7)).toBe(1);
    expect(ksPValueExact(0.5, 0, 7)).toBeNaN();
    expect(ksPValueExact(0.5, 2.5, 7)).toBeNaN();
    expect(ksPValueExact(1.5, 3, 7)).toBeNaN();
    expect(ksPValueExact(Number.NaN, 3, 7)).toBeNaN();
    expect(ksPValue(-0.1, 3, 7).pValue).toBeNaN();
  });
});

describe("ksPValueAsymptotic", () => {
  it("matches scipy kstwo.sf(d, round(n1·n2/(n1+n2))) to 1e-12 relative", () => {
    const worst = createWorstCase();
    for (const row of ksGolden.asymp as GoldenNumber[][]) {
      const [n1, n2, d] = [num(row[0]), num(row[1]), num(row[2])];
      worst.add(relativeError(ksPValueAsymptotic(d, n1, n2), num(row[3])), `asymp(${d}, ${n1}, ${n2})`);
    }
    expect(worst.error, worst.label).toBeLessThan(1e-12);
  });
});

describe("ksPValue", () => {
  it("matches scipy.stats.ks_2samp end to end for method auto / exact / asymp", () => {
    for (const row of ksGolden.samples as (string | number)[][]) {
      const [name, n1, n2, method, statistic, p] = row as [
        string,
        number,
        number,
        "auto" | "exact" | "asymp",
        number,
        GoldenNumber,
      ];
      const result = ksPValue(statistic, n1, n2, method);
      const expectedMethod = method === "auto" ? (Math.max(n1, n2) <= 10_000 ? "exact" : "asymp") : method;
      expect(result.method, `${name} ${method}`).toBe(expectedMethod);
      expect(relativeError(result.pValue, decode(p)), `${name} ${method}`).toBeLessThan(1e-12);
    }
  });

  it("is NaN in asymp mode for one observation per side (kstwo with n = round(0.5) = 0), as scipy", () => {
    expect(ksPValue(1, 1, 1, "asymp").pValue).toBeNaN();
    expect(ksPValue(1, 1, 1).pValue).toBe(1);
  });

  it("chooses exact up to 10 000 per side and asymptotic above, as scipy 'auto'", () => {
    expect(ksPValue(0.01, 10_000, 10_000).method).toBe("exact");
    expect(ksPValue(0.01, 10_001, 10_000).method).toBe("asymp");
    expect(ksPValue(0.01, 10_001, 10_000, "asymp").method).toBe("asymp");
  });

  it("falls back to asymp, saying why, when lcm(n1, n2) overflows 32 bits in 'exact' mode", () => {
    const result = ksPValue(0.01, 100_003, 100_019, "exact");
    expect(result.method).toBe("asymp");
    expect(result.fallback).toMatch(/lcm/);
    expect(result.pValue).toBe(ksPValueAsymptotic(0.01, 100_003, 100_019));
  });

  it("gives p-values in [0, 1] that do not increase with d, exact and asymptotic", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          // One observation per side has an effective size round(0.5) = 0: asymp is NaN there, as in scipy.
          const modes = n1 === 1 && n2 === 1 ? (["exact"] as const) : (["exact", "asymp"] as const);
          for (const mode of modes) {
            const pLo = ksPValue(lo, n1, n2, mode).pValue;
            const pHi = ksPValue(hi, n1, n2, mode).pValue;
            expect(pLo).toBeGreaterThanOrEqual(0);
            expect(pLo).toBeLessThanOrEqual(1);
            expect(pHi).toBeLessThanOrEqual(pLo * (1 + 1e-9) + 1e-12);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is symmetric in the two sample sizes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, d) => {
          expect(ksPValueExact(d, n1, n2)).toBe(ksPValueExact(d, n2, n1));
          expect(ksPValueAsymptotic(d, n1, n2)).toBe(ksPValueAsymptotic(d, n2, n1));
        },
      ),
      { numRuns: 200 },
    );
  });
});
