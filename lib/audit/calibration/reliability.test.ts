/**
 * A bin that comes back in two rows (a GROUP BY key split across threads) gives the same table as
 * the bin in one row: it is one bin with both rows' sums, not two half-bins.
 */
import { describe, expect, it } from "vitest";
import { type BinAggregate, reliabilityFromBins } from "./reliability";

const bin = (
  b: number,
  count: number,
  scoreSum: number,
  positives: number,
  min: number,
  max: number,
): BinAggregate => ({
  bin: b,
  count,
  scoreSum,
  positives,
  squaredErrorSum: count * 0.1,
  minScore: min,
  maxScore: max,
});

describe("reliabilityFromBins", () => {
  it("adds up rows that repeat a bin", () => {
    const whole = [bin(0, 10, 1.5, 1, 0.05, 0.2), bin(1, 30, 16.5, 25, 0.4, 0.7)];
    // Bin 1 split 12 + 18, with its positives split unevenly between the parts.
    const split = [bin(1, 12, 6.6, 12, 0.45, 0.7), whole[0] as BinAggregate, bin(1, 18, 9.9, 13, 0.4, 0.6)];
    const a = reliabilityFromBins(whole);
    const b = reliabilityFromBins(split);
    expect(b.bins).toHaveLength(2);
    expect(b.count).toBe(a.count);
    expect(b.ece).toBeCloseTo(a.ece, 12);
    expect(b.mce).toBeCloseTo(a.mce, 12);
    expect(b.brier).toBeCloseTo(a.brier, 12);
    expect(b.bins[1]).toMatchObject({ lower: 0.4, upper: 0.7, count: 30 });
    // As two half-bins, MCE would read the first part's gap (|1 − 0.55| = 0.45), not the bin's.
    expect(b.mce).toBeLessThan(0.45);
  });
});
