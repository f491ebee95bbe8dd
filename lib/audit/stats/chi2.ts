/**
 * Chi-square survival function: P(X > x) for X ~ χ²(df) equals Q(df / 2, x / 2), the upper
 * regularized incomplete gamma function.
 * Reference: scipy.stats.chi2.sf (scipy.special.chdtrc).
 */
import { regularizedGammaQ } from "./gamma";

/** P(χ²_df > x) (scipy.stats.chi2.sf); 1 for x ≤ 0, NaN for df ≤ 0 or NaN input. */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
