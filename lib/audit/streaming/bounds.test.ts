/**
 * The streamed bounds against exact values computed from the raw numbers, on random small samples
 * built to share grid bins (so the bounds are actually exercised): KS D and W1 always lie inside
 * their intervals, single-value (integer) bins are exact, and the PSI edges split both samples
 * exactly as the histogram counts say.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantileCont } from "../stats/order-statistics";
import { gridBinOf } from "./grid";
import type { StreamedNumericColumn } from "./profile";
import { distanceBounds, gridDecileEdges, rightClosedCounts, sharedBins } from "./streamed-drift";

function column(values: readonly number[]): StreamedNumericColumn {
  const byBin = new Map<number, number>();
  for (const v of values) byBin.set(gridBinOf(v), (byBin.get(gridBinOf(v)) ?? 0) + 1);
  const bins = [...byBin.keys()].sort((a, b) => a - b);
  const n = values.length;
  const mean = values.reduce((a, v) => a + v, 0) / n;
  return {
    column: "x",
    type: "DOUBLE",
    kind: "numeric",
    n,
    nulls: 0,
    nan: 0,
    posInf: 0,
    negInf: 0,
    min: Math.min(...values),
    max: Math.max(...values),
    mean,
    m2: values.reduce((a, v) => a + (v - mean) ** 2, 0),
    integer: values.every((v) => Number.isInteger(v)),
    bins,
    counts: bins.map((b) => byBin.get(b) ?? 0),
  };
}

/** sup |F_R − F_C| and ∫ |F_R − F_C| from the raw values. */
function exact(r: readonly number[], c: readonly number[]): { ks: number; w1: number } {
  const points = [...new Set([...r, ...c])].sort((a, b) => a - b);
  const cdf = (xs: readonly number[], x: number) => xs.filter((v) => v <= x).length / xs.length;
  let ks = 0;
  let w1 = 0;
  for (const [i, x] of points.entries()) {
    const d = Math.abs(cdf(r, x) - cdf(c, x));
    ks = Math.max(ks, d);
    const next = points[i + 1];
    if (next !== undefined) w1 += d * (next - x);
  }
  return { ks, w1 };
}

/** Values that crowd a few grid bins: whole numbers, points near 1 and 700, and a wide spread. */
const value = fc.oneof(
  fc.integer({ min: -40, max: 40 }),
  fc.integer({ min: 600, max: 620 }),
  fc.double({ min: 1, max: 1.03, noNaN: true }),
  fc.double({ min: 700, max: 712, noNaN: true }),
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  fc.constant(0),
);
const sample = fc.array(value, { minLength: 1, maxLength: 40 });
const wholeSample = fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 1, maxLength: 40 });

describe("streamed bounds", () => {
  it("hold the exact KS D and Wasserstein distance", () => {
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        const ref = column(r);
        const cur = column(c);
        const lo = Math.min(ref.min as number, cur.min as number);
        const hi = Math.max(ref.max as number, cur.max as number);
        const b = distanceBounds(sharedBins(ref, cur, ref.integer && cur.integer), r.length, c.length, lo, hi);
        const truth = exact(r, c);
        const tol = 1e-9 * (1 + truth.w1);
        expect(truth.ks).toBeGreaterThanOrEqual(b.ks.lo - 1e-12);
        expect(truth.ks).toBeLessThanOrEqual(b.ks.hi + 1e-12);
        expect(truth.w1).toBeGreaterThanOrEqual(b.w1.lo - tol);
        expect(truth.w1).toBeLessThanOrEqual(b.w1.hi + tol);
      }),
      { numRuns: 3000 },
    );
  });

  it("are exact for whole numbers in bins at most 1 wide", () => {
    fc.assert(
      fc.property(wholeSample, wholeSample, (r, c) => {
        const ref = column(r);
        const cur = column(c);
        const lo = Math.min(...r, ...c);
        const hi = Math.max(...r, ...c);
        const b = distanceBounds(sharedBins(ref, cur, true), r.length, c.length, lo, hi);
        const truth = exact(r, c);
        expect(b.ks.hi).toBe(b.ks.lo);
        expect(b.ks.lo).toBeCloseTo(truth.ks, 12);
        expect(b.w1.hi).toBeCloseTo(b.w1.lo, 9);
        expect(b.w1.lo).toBeCloseTo(truth.w1, 9);
      }),
      { numRuns: 2000 },
    );
  });

  it("give PSI edges at or above the exact deciles that split both samples as the histograms count", () => {
    fc.assert(
      fc.property(sample, sample, (r, c) => {
        const ref = column(r);
        const cur = column(c);
        const integer = ref.integer && cur.integer;
        const { edges, exact: isExact } = gridDecileEdges(ref, integer);
        const sorted = [...r].sort((a, b) => a - b);
        edges.forEach((e, k) => {
          const q = quantileCont(sorted.length, (k + 1) / 10, (rank) => sorted[rank] as number);
          if (isExact) expect(e).toBeCloseTo(q, 12);
          else expect(e).toBeGreaterThanOrEqual(q - 1e-12 * Math.abs(q));
        });
        const distinct = [...new Set(edges)].sort((a, b) => a - b);
        const bins = sharedBins(ref, cur, integer);
        for (const [side, values] of [
          ["r", r],
          ["c", c],
        ] as const) {
          const counted = rightClosedCounts(bins, side, distinct);
          const direct = new Array<number>(distinct.length + 1).fill(0);
          for (const v of values) {
            const k = distinct.findIndex((e) => v <= e);
            direct[k === -1 ? distinct.length : k] = (direct[k === -1 ? distinct.length : k] as number) + 1;
          }
          expect(counted).toEqual(direct);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
