import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createWorstCase, decode, type GoldenNumber, relativeError } from "./golden";
import { normalCdf, normalSf } from "./normal";
import golden from "./testdata/normal.json";

describe("normalCdf / normalSf", () => {
  it("match scipy.stats.norm.cdf and .sf to 1e-12 relative where scipy does not underflow", () => {
    // scipy's ndtr evaluates erfc(x/√2); rounding x/√2 costs it about x²·1e-16 relative (2e-13 at |x| = 38),
    // and it flushes values below about 1e-310 to 0.
    const worst = createWorstCase();
    for (const row of golden.rows as GoldenNumber[][]) {
      const x = decode(row[0]);
      const cdf = decode(row[1]);
      const sf = decode(row[2]);
      if (cdf > 1e-305) worst.add(relativeError(normalCdf(x), cdf), `cdf(${x})`);
      if (sf > 1e-305) worst.add(relativeError(normalSf(x), sf), `sf(${x})`);
    }
    expect(worst.error, worst.label).toBeLessThan(1e-12);
  });

  it("match 40-digit mpmath to 1e-14 relative, subnormal tail included (absolute 1e-314 there)", () => {
    const worst = createWorstCase();
    for (const row of golden.rows as GoldenNumber[][]) {
      const x = decode(row[0]);
      worst.add(relativeError(normalCdf(x), decode(row[3])), `cdf(${x})`);
      worst.add(relativeError(normalSf(x), decode(row[4])), `sf(${x})`);
    }
    expect(worst.error, worst.label).toBeLessThan(1e-14);
  });

  it("handles infinities, NaN and the centre", () => {
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalSf(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(Number.NaN)).toBeNaN();
    expect(normalSf(Number.NaN)).toBeNaN();
  });

  it("cdf + sf = 1, cdf(x) = sf(−x), and cdf is monotone", () => {
    const x = fc.double({ min: -40, max: 40, noNaN: true });
    fc.assert(
      fc.property(x, (v) => {
        expect(Math.abs(normalCdf(v) + normalSf(v) - 1)).toBeLessThanOrEqual(2.3e-16);
        expect(normalCdf(v)).toBe(normalSf(-v));
      }),
    );
    fc.assert(
      fc.property(x, x, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(normalCdf(lo)).toBeLessThanOrEqual(normalCdf(hi));
      }),
    );
  });
});
