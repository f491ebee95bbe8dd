import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson";

describe("wilsonInterval", () => {
  it("gives the textbook 95% interval for 3 / 10", () => {
    const interval = wilsonInterval(3, 10);
    expect(interval?.lower).toBeCloseTo(0.1078, 4);
    expect(interval?.upper).toBeCloseTo(0.6032, 4);
  });

  it("is null for n = 0", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it("lies in [0, 1] and contains the observed share", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.round(share * n);
        const interval = wilsonInterval(k, n);
        expect(interval).not.toBeNull();
        if (!interval) return;
        expect(interval.lower).toBeGreaterThanOrEqual(0);
        expect(interval.upper).toBeLessThanOrEqual(1);
        expect(interval.lower).toBeLessThanOrEqual(k / n + 1e-12);
        expect(interval.upper).toBeGreaterThanOrEqual(k / n - 1e-12);
      }),
    );
  });
});
