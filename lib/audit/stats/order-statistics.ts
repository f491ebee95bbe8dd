/**
 * Quantiles from order statistics, for code that locates the few ranks it needs (histograms, a
 * row_number sort) instead of asking DuckDB for the quantile. Two conventions, operation for
 * operation, because their last bits differ:
 *
 * - numpy's `quantile(a, q, method="linear")` (1.22+): h = (n − 1)·q, previous = ⌊h⌋,
 *   next = min(previous + 1, n − 1), t = h − previous, then numpy's `_lerp`: a + (b − a)·t when
 *   t < 0.5, else b − (b − a)·(1 − t). A tie a = b gives a exactly.
 * - DuckDB's `quantile_cont`: RN = (n − 1)·q, the values at ⌊RN⌋ and ⌈RN⌉, then a·(1 − d) + b·d
 *   with d = RN − ⌊RN⌋. A tie 58.4 / 58.4 gives 58.39999999999999, which is why metrics whose
 *   reference is numpy (drift's decile edges, calibration's quantile bins) use the first.
 */

/** The two 0-based ranks numpy reads for quantile q of n sorted values. */
export function numpyQuantileRanks(n: number, q: number): [number, number] {
  const previous = Math.min(Math.max(Math.floor((n - 1) * q), 0), n - 1);
  return [previous, Math.min(previous + 1, n - 1)];
}

/** numpy's linear quantile q of n sorted values, given the value at a 0-based rank. */
export function numpyQuantile(n: number, q: number, at: (rank: number) => number): number {
  const h = (n - 1) * q;
  const [previous, next] = numpyQuantileRanks(n, q);
  const a = at(previous);
  const b = at(next);
  const t = h - Math.floor(h);
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The two 0-based ranks DuckDB's `quantile_cont` reads for level q of n values. */
export function quantileContRanks(n: number, q: number): [number, number] {
  const rn = (n - 1) * q;
  return [Math.floor(rn), Math.ceil(rn)];
}

/** DuckDB's `quantile_cont(x, q)` from the values at its two ranks. */
export function quantileCont(n: number, q: number, at: (rank: number) => number): number {
  const rn = (n - 1) * q;
  const [lo, hi] = quantileContRanks(n, q);
  if (lo === hi) return at(lo);
  const d = rn - lo;
  return at(lo) * (1 - d) + at(hi) * d;
}
