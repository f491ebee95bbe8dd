/**
 * Bin edges for drift, computed in JavaScript from small aggregates (min, max, n, deciles, skewness)
 * so that the bin counts can then be taken in SQL.
 *
 * - Quantile (Assay default): inner edges at the reference deciles 0.1 … 0.9 (linear interpolation,
 *   DuckDB `quantile_cont` = numpy `quantile(method="linear")`), duplicates removed; bins are
 *   right-closed with open outer bins: (−∞, e0], (e0, e1], …, (ek, +∞) (pandas `qcut`, but never dropping
 *   current values outside the reference range).
 * - Sturges / Doane: numpy 1.24 `histogram_bin_edges(a, "sturges" | "doane")`, reproduced operation by
 *   operation (the bin count is `ceil(ptp / width)` in floating point, and edges come from `linspace`),
 *   so that the edges are bit-identical to numpy's.
 */

/** The nine deciles Assay uses as inner PSI edges. */
export const DECILES: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Sorted distinct edges (deciles of a tied column collapse). */
export function distinctEdges(quantiles: readonly number[]): number[] {
  const out: number[] = [];
  for (const q of [...quantiles].sort((a, b) => a - b)) {
    if (out.length === 0 || out[out.length - 1] !== q) out.push(q);
  }
  return out;
}

/** numpy `linspace(start, stop, num, endpoint=True)`: i·step + start, last set to stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const div = num - 1;
  const delta = stop - start;
  const step = delta / div;
  const out: number[] = [];
  for (let i = 0; i < num; i++) {
    out.push(step === 0 ? (i / div) * delta + start : i * step + start);
  }
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** numpy `_get_outer_edges` + `linspace` for an estimator width (0 ⇒ one bin). */
function equalWidthEdges(min: number, max: number, width: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const bins = width > 0 ? Math.ceil((last - first) / width) : 1;
  return linspace(first, last, bins + 1);
}

/** numpy `histogram_bin_edges(a, "sturges")` for data of size n with the given min and max. */
export function sturgesEdges(min: number, max: number, n: number): number[] {
  const width = (max - min) / (Math.log2(n) + 1);
  return equalWidthEdges(min, max, width);
}

/**
 * numpy `histogram_bin_edges(a, "doane")`; `std` is the population std, `g1` the population skewness
 * mean(((x − mean) / std)³) (ignored when std = 0 or n ≤ 2, where numpy falls back to one bin).
 */
export function doaneEdges(min: number, max: number, n: number, std: number, g1: number): number[] {
  let width = 0;
  if (n > 2 && std > 0) {
    const sg1 = Math.sqrt((6 * (n - 2)) / ((n + 1) * (n + 3)));
    width = (max - min) / (1 + Math.log2(n) + Math.log2(1 + Math.abs(g1) / sg1));
  }
  return equalWidthEdges(min, max, width);
}

/** Labels of right-closed bins with open outer bins. */
export function quantileLabels(edges: readonly number[]): string[] {
  const labels = [`(-inf, ${edges[0]}]`];
  for (let i = 1; i < edges.length; i++) labels.push(`(${edges[i - 1]}, ${edges[i]}]`);
  labels.push(`(${edges[edges.length - 1]}, +inf)`);
  return labels;
}

/** Labels of numpy histogram bins: [a, b) and a closed last bin. */
export function histogramLabels(edges: readonly number[]): string[] {
  const labels: string[] = [];
  for (let i = 1; i < edges.length; i++) {
    labels.push(`[${edges[i - 1]}, ${edges[i]}${i === edges.length - 1 ? "]" : ")"}`);
  }
  return labels;
}
