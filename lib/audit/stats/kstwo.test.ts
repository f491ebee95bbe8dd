import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorstCase, decode, type GoldenNumber, relativeError } from "./golden";
import { kstwoSf } from "./kstwo";
import { smirnovSf } from "./smirnov";
import kstwoGolden from "./testdata/kstwo.json";
import smirnovGolden from "./testdata/smirnov.json";

describe("smirnovSf", () => {
  it("matches scipy.special.smirnov to 1e-12 relative (n 1 … 10⁶ + 1)", () => {
    const worst = createWorstCase();
    for (const row of smirnovGolden.rows as GoldenNumber[][]) {
      const n = decode(row[0]);
      const x = decode(row[1]);
      worst.add(relativeError(smirnovSf(n, x), decode(row[2])), `smirnov(${n}, ${x})`);
    }
    expect(worst.error, worst.label).toBeLessThan(1e-12);
  });

  it("returns NaN outside its domain", () => {
    expect(smirnovSf(0, 0.5)).toBeNaN();
    expect(smirnovSf(2.5, 0.5)).toBeNaN();
    expect(smirnovSf(10, 1.5)).toBeNaN();
    expect(smirnovSf(10, Number.NaN)).toBeNaN();
  });
});

describe("kstwoSf", () => {
  it("matches scipy.stats.kstwo.sf to 1e-11 relative over every method region (n 1 … 10⁶)", () => {
    // Measured: ≤ 2e-13 except n = 100 … 140 at n·d² ≈ 4 (Pomeranz, 1 − CDF): ≤ 1.6e-12.
    const worst = createWorstCase();
    for (const row of kstwoGolden.rows as GoldenNumber[][]) {
      const n = decode(row[0]);
      const d = decode(row[1]);
      worst.add(relativeError(kstwoSf(d, n), decode(row[2])), `kstwo.sf(${d}, ${n})`);
    }
    expect(worst.error, worst.label).toBeLessThan(1e-11);
  });

  it("handles the support ends and bad input", () => {
    expect(kstwoSf(0, 10)).toBe(1);
    expect(kstwoSf(0.05, 10)).toBe(1); // d ≤ 1/(2n)
    expect(kstwoSf(1, 10)).toBe(0);
    expect(kstwoSf(0.5, 0)).toBeNaN();
    expect(kstwoSf(0.5, 3.5)).toBeNaN();
    expect(kstwoSf(Number.NaN, 3)).toBeNaN();
  });

  it("is a probability that does not increase with d", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const pLo = kstwoSf(lo, n);
          const pHi = kstwoSf(hi, n);
          expect(pLo).toBeGreaterThanOrEqual(0);
          expect(pLo).toBeLessThanOrEqual(1);
          expect(pHi).toBeLessThanOrEqual(pLo * (1 + 1e-9) + 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });
});
