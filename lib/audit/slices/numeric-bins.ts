/**
 * Quantile bins of a numeric slicing column. Inner edges are the exact quantiles
 * 1/B, 2/B, … of the finite values (DuckDB `quantile_cont`, linear interpolation), with
 * duplicates removed. Bins are left-closed: bin i holds e_i ≤ x < e_{i+1}; the first bin
 * has no lower bound and the last none above, so every non-NaN value (±Inf included) lands
 * in a bin (numpy `searchsorted(edges, x, side="right")`). NaN gets its own bin (index −1);
 * NULL stays NULL. Labels show the observed range: "[min, e1)", "[e1, e2)", …, "[ek, max]".
 */
import { numberLiteral } from "../../sql/identifiers";

export interface NumericBins {
  /** Sorted distinct inner edges. */
  edges: number[];
  /** Smallest and largest non-NaN value (may be ±Inf). */
  min: number;
  max: number;
}

/** Index of the NaN bin. */
export const NAN_BIN = -1;

/** Sorted distinct edges from a quantile list (nulls dropped). */
export function distinctEdges(quantiles: readonly (number | null)[]): number[] {
  const finite = quantiles.filter((q): q is number => q !== null && Number.isFinite(q)).sort((a, b) => a - b);
  return finite.filter((q, i) => i === 0 || q !== finite[i - 1]);
}

/** SQL CASE giving the bin index of the DOUBLE expression `x`. */
export function binIndexSql(x: string, edges: readonly number[]): string {
  const whens = edges.map((e, i) => `WHEN ${x} < ${numberLiteral(e)} THEN ${i}`).join(" ");
  return `CASE WHEN ${x} IS NULL THEN NULL WHEN isnan(${x}) THEN ${NAN_BIN} ${whens} ELSE ${edges.length} END`;
}

function formatNumber(x: number, precision: number): string {
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  return String(Number(x.toPrecision(precision)));
}

/** Formats numbers with the fewest significant digits (≥ 3) that keep distinct values distinct. */
export function formatDistinct(values: readonly number[]): string[] {
  for (let p = 3; p <= 17; p++) {
    const out = values.map((v) => formatNumber(v, p));
    const clash = values.some((v, i) => values.some((w, j) => j > i && v !== w && out[i] === out[j]));
    if (!clash) return out;
  }
  return values.map((v) => String(v));
}

/** Label of every bin, indexed 0 … edges.length. */
export function binLabels(bins: NumericBins): string[] {
  const points = formatDistinct([bins.min, ...bins.edges, bins.max]);
  const k = bins.edges.length;
  const labels: string[] = [];
  for (let i = 0; i <= k; i++) {
    const lo = points[i] as string;
    const hi = points[i + 1] as string;
    labels.push(i === k ? `[${lo}, ${hi}]` : `[${lo}, ${hi})`);
  }
  return labels;
}

/** The edges around bin i: lower inclusive, upper exclusive; null where the bin is open (first and last). */
export function binInterval(bins: NumericBins, i: number): { lower: number | null; upper: number | null } {
  return {
    lower: i === 0 ? null : (bins.edges[i - 1] ?? null),
    upper: i === bins.edges.length ? null : (bins.edges[i] ?? null),
  };
}
