/**
 * Two-sided two-sample Kolmogorov–Smirnov p-values, as scipy.stats.ks_2samp (SciPy 1.10).
 *
 * Exact: the statistic is first put on the lattice of the two ECDFs, h = round(d · lcm(n1, n2))
 * (round half to even, as numpy) and d = h / lcm; then
 *  - n1 = n2 = n: P(D ≥ h/n) = 2 Σ_k (−1)^(k−1) C(2n, n − k·h) / C(2n, n), summed as a Horner-like
 *    product of ratios so no binomial is ever formed (scipy `_compute_prob_outside_square`);
 *  - otherwise: the proportion of monotone lattice paths from (0, 0) to (m, n) that leave the band
 *    |x/m − y/n| < h/lcm, counted column by column over a sliding window with Viehmann's recursion for
 *    1 − p, which keeps every entry in [0, 1] (scipy `_compute_outer_prob_inside_method`;
 *    Hodges 1958; Viehmann 2021, arXiv:2102.08037).
 * Asymptotic: kstwo.sf(d, round(n1·n2 / (n1 + n2))), the one-sample two-sided distribution at the
 * effective sample size (see ./kstwo.ts).
 * 'auto' is exact when max(n1, n2) ≤ 10 000. As in SciPy, 'exact' switches to 'asymp' when
 * lcm(n1, n2) would not fit a 32-bit integer or when the exact value is not a finite probability.
 */
import { kstwoSf } from "./kstwo";

export { kstwoSf } from "./kstwo";

/** Largest max(n1, n2) for which 'auto' computes the exact p-value (scipy MAX_AUTO_N). */
export const KS_MAX_AUTO_N = 10_000;
const INT32_MAX = 2_147_483_647;

/** How a two-sample KS p-value was computed. */
export type KsMethod = "exact" | "asymp";

/** Result of {@link ksPValue}. */
export interface KsPValue {
  /** Two-sided p-value in [0, 1]. */
  pValue: number;
  /** The method actually used. */
  method: KsMethod;
  /** Why 'exact' was requested (or chosen by 'auto') but 'asymp' was used; absent otherwise. */
  fallback?: string;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy.round: round half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function isSampleSize(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** P(D_{n,n} ≥ h/n), two-sided, for equal sample sizes. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Proportion of lattice paths from (0, 0) to (m, n) that do not stay strictly inside |x/m − y/n| < h/lcm,
 * i.e. P(D ≥ h/lcm) for unequal sample sizes (g = gcd(m, n)).
 */
function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    // a[j] holds the share of paths to (i, j) that have already left the band (1 outside it).
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((a[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, curlen, Math.min(curlen + (lastlen - curlen), a.length));
  }
  return a[maxj - minj - 1] as number;
}

interface ExactAttempt {
  ok: boolean;
  /** The statistic moved onto the lattice, h / lcm. */
  d: number;
  p: number;
}

function attemptExact(d: number, n1: number, n2: number): ExactAttempt {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dLattice = h / lcm;
  if (h === 0) return { ok: true, d: dLattice, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return { ok: p >= 0 && p <= 1, d: dLattice, p };
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/**
 * Exact two-sided p-value of the two-sample KS statistic d (scipy ks_2samp method='exact'), or NaN
 * when it cannot be computed exactly (ksPValue then falls back to the asymptotic value).
 */
export function ksPValueExact(d: number, n1: number, n2: number): number {
  if (!isSampleSize(n1) || !isSampleSize(n2) || !(d >= 0 && d <= 1)) return Number.NaN;
  const attempt = attemptExact(d, n1, n2);
  return attempt.ok ? clip01(attempt.p) : Number.NaN;
}

/** Asymptotic two-sided p-value: kstwo.sf(d, round(n1·n2 / (n1 + n2))) (scipy ks_2samp method='asymp'). */
export function ksPValueAsymptotic(d: number, n1: number, n2: number): number {
  if (!isSampleSize(n1) || !isSampleSize(n2) || !(d >= 0 && d <= 1)) return Number.NaN;
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  return clip01(kstwoSf(d, roundHalfEven((m * n) / (m + n))));
}

/**
 * Two-sided two-sample KS p-value as scipy.stats.ks_2samp(method=mode): 'auto' (default) is exact when
 * max(n1, n2) ≤ 10 000, asymptotic otherwise. NaN p-value for invalid input (d outside [0, 1], sizes
 * that are not positive integers).
 */
export function ksPValue(d: number, n1: number, n2: number, mode: "auto" | "exact" | "asymp" = "auto"): KsPValue {
  if (!isSampleSize(n1) || !isSampleSize(n2) || !(d >= 0 && d <= 1)) {
    return { pValue: Number.NaN, method: mode === "asymp" ? "asymp" : "exact" };
  }
  if (mode === "asymp" || (mode === "auto" && Math.max(n1, n2) > KS_MAX_AUTO_N)) {
    return { pValue: ksPValueAsymptotic(d, n1, n2), method: "asymp" };
  }
  const g = gcd(n1, n2);
  if (mode === "exact" && n1 / g >= INT32_MAX / (n2 / g)) {
    return {
      pValue: ksPValueAsymptotic(d, n1, n2),
      method: "asymp",
      fallback: `lcm(${n1}, ${n2}) is too large for the exact distribution`,
    };
  }
  const attempt = attemptExact(d, n1, n2);
  if (attempt.ok) return { pValue: clip01(attempt.p), method: "exact" };
  return {
    pValue: ksPValueAsymptotic(attempt.d, n1, n2),
    method: "asymp",
    fallback: `the exact computation gave ${attempt.p}, not a probability`,
  };
}
