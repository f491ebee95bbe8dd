/**
 * numpy's `quantile(a, q, method="linear")` (1.22+) from order statistics, operation by operation:
 * virtual index h = (n − 1)·q, previous = ⌊h⌋, next = min(previous + 1, n − 1), t = h − previous, and
 * numpy's `_lerp`: a + (b − a)·t when t < 0.5, else b − (b − a)·(1 − t).
 * Why not DuckDB's `quantile_cont`: it interpolates as a·(1 − t) + b·t, which turns a tie a = b = 58.4
 * into 58.39999999999999 — and every reference row equal to 58.4 then lands in the next decile bin.
 * Assay's decile edges are numpy's (docs/metrics/drift.md), so they are computed here.
 */

/** The 0-based ranks numpy reads for quantile q of n values. */
export function linearQuantileRanks(n: number, q: number): [number, number] {
  const previous = Math.floor((n - 1) * q);
  return [previous, Math.min(previous + 1, n - 1)];
}

/** numpy's linear quantile q of n sorted values, given the value at a 0-based rank. */
export function linearQuantile(n: number, q: number, at: (rank: number) => number): number {
  const h = (n - 1) * q;
  const [previous, next] = linearQuantileRanks(n, q);
  const a = at(previous);
  const b = at(next);
  const t = h - previous;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
