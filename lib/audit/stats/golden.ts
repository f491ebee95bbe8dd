/**
 * Test helpers for the golden files in ./testdata (written by testdata/generate.py with SciPy).
 * Not part of the public API.
 */

/** A JSON number, or "inf" / "-inf" / "nan" for the values JSON cannot hold. */
export type GoldenNumber = number | string;

/** Decodes a golden value. */
export function decode(value: GoldenNumber | undefined): number {
  if (typeof value === "number") return value;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  if (value === "nan") return Number.NaN;
  throw new Error(`bad golden value: ${String(value)}`);
}

/** Values below this are subnormal or nearly so: compared absolutely, as their relative precision is gone. */
export const SUBNORMAL_FLOOR = 1e-300;

/**
 * Error of `actual` against `expected` measured relative to |expected| (absolute below SUBNORMAL_FLOOR,
 * scaled so that 1e-310 counts as 1e-10); 0 when both are the same non-finite value.
 */
export function relativeError(actual: number, expected: number): number {
  if (Number.isNaN(expected)) return Number.isNaN(actual) ? 0 : Number.POSITIVE_INFINITY;
  if (!Number.isFinite(expected)) return actual === expected ? 0 : Number.POSITIVE_INFINITY;
  const diff = Math.abs(actual - expected);
  if (Math.abs(expected) < SUBNORMAL_FLOOR) return diff / 1e-300;
  return diff / Math.abs(expected);
}

export interface WorstCase {
  error: number;
  label: string;
}

/** Tracks the largest error over a grid, remembering where it happened. */
export function createWorstCase(): WorstCase & { add(error: number, label: string): void } {
  const worst = {
    error: 0,
    label: "",
    add(error: number, label: string) {
      if (!(error <= worst.error)) {
        worst.error = error;
        worst.label = label;
      }
    },
  };
  return worst;
}
