/**
 * Bin edges for reliability tables, reproducing numpy's floating-point steps exactly so
 * that a score lying on an edge falls in the same bin as in scikit-learn.
 *
 * - uniform: `np.linspace(0, 1, bins + 1)` = i · (1 / bins), last edge exactly 1.
 * - quantile: `np.percentile(p, np.linspace(0, 1, bins + 1) * 100)` with numpy's default
 *   'linear' method: virtual index h = (n − 1) · q, result = lerp(x⌊h⌋, x⌊h⌋+1, h − ⌊h⌋)
 *   using numpy's two-sided `_lerp` (numpy 1.24 `lib/function_base.py`).
 * - nannyml: index bins over the sorted scores (`nannyml/calibration.py`
 *   `_get_bin_index_edges`): when n ≤ 2·bins the bin count becomes n // 2; width = n // bins;
 *   edges 0, width, 2·width, … with the last moved to n, so the last bin absorbs the
 *   remainder (and there are n // width bins, which can exceed `bins`).
 */
import { numpyQuantile, numpyQuantileRanks } from "../stats/order-statistics";
import { AuditInputError } from "../errors";

/** `np.linspace(0, 1, bins + 1)`. */
export function uniformEdges(bins: number): number[] {
  const step = 1 / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step);
  edges[bins] = 1;
  return edges;
}

/** The quantile levels sklearn passes to `np.percentile`, already divided by 100 as numpy does. */
export function quantileLevels(bins: number): number[] {
  return uniformEdges(bins).map((q) => (q * 100) / 100);
}

/** Zero-based order-statistic positions `np.percentile(..., 'linear')` reads for `levels` over n values. */
export function percentilePositions(n: number, levels: readonly number[]): number[] {
  return [...new Set(levels.flatMap((q) => numpyQuantileRanks(n, q)))].sort((a, b) => a - b);
}

/** `np.percentile(x, levels·100)` from the order statistics `at(position)` of n sorted values. */
export function linearPercentiles(n: number, levels: readonly number[], at: (position: number) => number): number[] {
  return levels.map((q) => numpyQuantile(n, q, at));
}

export interface IndexBinLayout {
  /** Rows per bin (the last bin takes the remainder too). */
  width: number;
  /** Number of bins actually used. */
  count: number;
}

/** NannyML's equal-count layout for n sorted scores and a requested bin count. */
export function nannymlLayout(n: number, bins: number): IndexBinLayout {
  let b = bins;
  if (n <= 2 * b) {
    b = Math.floor(n / 2);
    if (b < 2) {
      throw new AuditInputError(
        "invalid-option",
        `NannyML-style calibration needs at least 2 bins of 2 rows; only ${n} rows are available.`,
      );
    }
  }
  const width = Math.floor(n / b);
  return { width, count: Math.floor(n / width) };
}
