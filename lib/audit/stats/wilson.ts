/**
 * Wilson score interval for a binomial proportion k / n (Wilson 1927), the interval
 * statsmodels' `proportion_confint(method="wilson")` gives. Null when n = 0.
 */
export const Z_95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}
