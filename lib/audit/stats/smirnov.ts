/**
 * One-sided Kolmogorov–Smirnov (Smirnov) survival function P(D_n⁺ ≥ x), exact.
 *
 * Smirnov (1944) / Birnbaum & Tingey (1951):
 *   P(D_n⁺ ≥ x) = x Σ_{v=0}^{⌊n(1−x)⌋} C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v),
 * or 1 − x Σ over v > n(1 − x) (the "upper" sum: few terms but alternating, used only when it has at
 * most three terms and x is small). Each term is evaluated in double-double arithmetic with a separate
 * binary exponent (the binomial overflows a double beyond n ≈ 1030), and the sum stops once the remaining
 * terms cannot change it. For n > 10⁶ the approximation exp(−(6nx + 1)² / (18n)) is used.
 * This follows scipy.special.smirnov (van Mulbregt, arXiv:1802.06966), whose choices of method it copies so
 * the two agree to rounding error.
 */
import {
  add,
  type DD,
  DD_ONE,
  dd,
  div,
  divNumbers,
  floor,
  frexpDD,
  ldexpDD,
  mul,
  mulNumber,
  mulNumbers,
  powInt,
  powScaled,
  type Scaled,
  sub,
  toNumber,
} from "./double-double";
import { logGamma } from "./gamma";

const DBL_EPSILON = 2.220446049250313e-16;
/** cephes MINLOG = log(2^−1022): below it the survival function is reported as 0. */
const MIN_LOG = -708.3964185322641;
const MAX_COMPUTE_N = 1_000_000;
const UPPER_SUM_MAX_TERMS = 3;
const UPPER_SUM_MIN_N = 10;
/** Above this n the lower sum is evaluated in log space (fast) rather than in double-double. */
const LOG_SPACE_MIN_N = 10_000;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** log(k!) − log(√(2πk) (k/e)^k), Stirling's error term (Loader 2000). */
function stirlingError(k: number): number {
  if (k <= 15) return logGamma(k + 1) - (k + 0.5) * Math.log(k) + k - HALF_LOG_2PI;
  const kk = k * k;
  return (S0 - (S1 - (S2 - (S3 - S4 / kk) / kk) / kk) / kk) / k;
}

/** k log(k / m) + m − k without cancellation when k ≈ m (Loader's bd0). */
function deviance(k: number, m: number): number {
  if (Math.abs(k - m) < 0.1 * (k + m)) {
    const v = (k - m) / (k + m);
    let s = (k - m) * v;
    let ej = 2 * k * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const next = s + ej / (2 * j + 1);
      if (next === s) return s;
      s = next;
    }
    return s;
  }
  return k * Math.log(k / m) + m - k;
}

/**
 * Σ_{v=1}^{last} C(n, v) p_v^(v−1) (1 − p_v)^(n−v), p_v = x + v/n, for large n: each term is the binomial
 * probability b(v; n, p_v) / p_v evaluated in log space with Loader's saddle-point form (stirling errors and
 * deviances, no large cancelling logarithms; relative error ~1e-13 per term). The terms are unimodal in v,
 * so the sum starts at the largest term and walks outwards until the rest cannot matter. Plus the v = 0 term.
 */
function lowerSumLogSpace(n: number, x: number, nx: DD, last: number): number {
  const logN = Math.log(n);
  const stirlingN = stirlingError(n);
  const logTerm = (v: number): number => {
    const np = v + nx.hi + nx.lo; // n · p_v
    const nq = n - v - nx.hi - nx.lo; // n · (1 − p_v)
    return (
      stirlingN -
      stirlingError(v) -
      stirlingError(n - v) -
      deviance(v, np) -
      deviance(n - v, nq) +
      0.5 * Math.log(n / (2 * Math.PI * v * (n - v))) -
      (Math.log(np) - logN)
    );
  };
  // Integer ternary search for the largest term.
  let lo = 1;
  let hi = last;
  while (hi - lo > 2) {
    const m1 = lo + Math.floor((hi - lo) / 3);
    const m2 = hi - Math.floor((hi - lo) / 3);
    if (logTerm(m1) < logTerm(m2)) lo = m1 + 1;
    else hi = m2 - 1;
  }
  let peak = lo;
  for (let v = lo + 1; v <= hi; v++) if (logTerm(v) > logTerm(peak)) peak = v;
  const logPeak = logTerm(peak);
  // Sum relative to the peak to stay in range, small terms first for accuracy.
  const tiny = Math.log(DBL_EPSILON * 1e-4) - Math.log(n);
  const below: number[] = [];
  for (let v = peak - 1; v >= 1; v--) {
    const r = logTerm(v) - logPeak;
    if (r < tiny) break;
    below.push(Math.exp(r));
  }
  const above: number[] = [];
  for (let v = peak + 1; v <= last; v++) {
    const r = logTerm(v) - logPeak;
    if (r < tiny) break;
    above.push(Math.exp(r));
  }
  let sum = 0;
  for (let i = below.length - 1; i >= 0; i--) sum += below[i] as number;
  for (let i = above.length - 1; i >= 0; i--) sum += above[i] as number;
  sum += 1;
  const zeroTerm = n * Math.log1p(-x) - Math.log(x); // v = 0: (1 − x)^n / x
  return Math.exp(logPeak) * sum + Math.exp(zeroTerm);
}

/** C(n, j + 1) from C(n, j), kept as a scaled double-double. */
function nextBinomial(c: Scaled, n: number, j: number): Scaled {
  const next = frexpDD(mul(c.man, divNumbers(n - j, j + 1)));
  return { man: next.man, exp: c.exp + next.exp };
}

/** C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v), with C(n, v) given scaled. */
function term(n: number, x: number, v: number, c: Scaled): DD {
  const lowerBase = sub(divNumbers(n - v, n), dd(x));
  const upperBase = add(divNumbers(v, n), dd(x));
  const t2 = powScaled(lowerBase, n - v);
  const t1 = powScaled(upperBase, v - 1);
  const product = mul(mul(t1.man, t2.man), c.man);
  return ldexpDD(product, c.exp + t1.exp + t2.exp);
}

/** P(D_n⁺ ≥ x), the one-sided KS survival function (scipy.special.smirnov(n, x)). NaN outside n ≥ 1, 0 ≤ x ≤ 1. */
export function smirnovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  // ⌊n·x⌋ and its fractional part alpha, exactly.
  const nxExact = mulNumbers(n, x);
  const nxFloorDD = floor(nxExact);
  let alpha = sub(nxExact, nxFloorDD).hi;
  let nxFloor = toNumber(nxFloorDD);
  if (alpha === 1) {
    nxFloor += 1;
    alpha = 0;
  }
  let lowerLast = n - nxFloor - (alpha === 0 ? 0 : 1);
  let upperFirst = n - nxFloor;
  // When n·x is an integer the boundary term belongs to neither sum.
  if (alpha === 0) {
    lowerLast -= 1;
    upperFirst += 1;
  }

  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    // x ≤ 1/n: P(D⁺ < x) = x (1 + x)^(n−1)
    const cdf = x * toNumber(powInt(add(DD_ONE, dd(x)), n - 1));
    return clip01(1 - cdf);
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clip01(toNumber(powInt(sub(DD_ONE, dd(x)), n)));
  if (n > MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }

  const upperTerms = n - upperFirst + 1;
  if (n > LOG_SPACE_MIN_N && x < 0.5 && upperTerms > UPPER_SUM_MAX_TERMS) {
    return clip01(x * lowerSumLogSpace(n, x, nxExact, lowerLast));
  }
  const useUpperSum =
    (upperTerms <= 1 && x < 0.5) ||
    (n >= UPPER_SUM_MIN_N && upperTerms <= UPPER_SUM_MAX_TERMS && x <= 0.5 / Math.sqrt(n));

  const start = useUpperSum ? n : 0;
  const step = useUpperSum ? -1 : 1;
  const nTerms = useUpperSum ? upperTerms : lowerLast + 1;
  const vMid = Math.floor(n / 2);
  let sum = useUpperSum
    ? powInt(add(DD_ONE, dd(x)), n - 1) // v = n: (1 + x)^(n−1)
    : div(powInt(sub(DD_ONE, dd(x)), n), dd(x)); // v = 0: (1 − x)^n / x
  let binomial: Scaled = { man: DD_ONE, exp: 0 };
  binomial = nextBinomial(binomial, n, 0);
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    const a = term(n, x, v, binomial);
    const aHi = a.hi;
    if (Number.isFinite(aHi) && aHi !== 0) sum = add(sum, a);
    if (aHi !== 0) {
      if (4 * (nTerms - j) * Math.abs(aHi) < DBL_EPSILON * toNumber(sum) && j !== nTerms - 1) break;
    } else if (j > vMid) {
      break;
    }
    binomial = nextBinomial(binomial, n, j);
  }
  const prob = toNumber(mulNumber(sum, x));
  return clip01(useUpperSum ? 1 - prob : prob);
}
