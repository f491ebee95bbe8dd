/**
 * Distribution of the two-sided one-sample Kolmogorov–Smirnov statistic D_n = sup |F_n − F|:
 * P(D_n > d), as scipy.stats.kstwo.sf(d, n) (SciPy 1.10 `scipy/stats/_ksstats.py`).
 *
 * Method by region, after Simard & L'Ecuyer, "Computing the two-sided Kolmogorov–Smirnov distribution",
 * J. Stat. Softw. 39(11), 2011 — the same choices as SciPy so the two agree to rounding error:
 *  - nd ≤ 1 or nd ≥ n − 1: Ruben–Gambino closed forms (exact);
 *  - d ≥ 0.5: 2 · P(D_n⁺ ≥ d), exact because the two one-sided events are disjoint;
 *  - n ≤ 140: Durbin's matrix (Marsaglia, Tsang & Wang 2003) for nd² ≤ 0.754693, Pomeranz's recursion
 *    (1974) for nd² ≤ 4 (both exact), else 2 · P(D_n⁺ ≥ d) (Miller's approximation, which drops the
 *    probability that both one-sided statistics exceed d; measured relative error ≤ 4e-8 against Pomeranz);
 *  - n > 140: 0 for nd² ≥ 370; 2 · P(D_n⁺ ≥ d) for nd² ≥ 2.2 (p ≲ 0.025); otherwise 1 − CDF with the CDF from
 *    Durbin's matrix when n ≤ 100 000 and n·d^1.5 ≤ 1.4, else Pelz & Good's asymptotic series (1976)
 *    (measured absolute error up to ~1e-6 near n = 141, shrinking as n grows).
 * Approximate regions are SciPy's own choices: matching SciPy, not the exact distribution, is the goal.
 */
import { smirnovSf } from "./smirnov";

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const MIN_LOG = -708;
// B_{2j} / (2j (2j − 1)) for j = 8 … 1 (Stirling series, highest power first)
const STIRLING = [
  -2.955065359477124e-2, 6.41025641025641e-3, -1.9175269175269176e-3, 8.417508417508417e-4, -5.952380952380953e-4,
  7.936507936507937e-4, -2.777777777777778e-3, 8.333333333333333e-2,
];

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function ldexp(x: number, e: number): number {
  let y = x;
  let k = e;
  while (k > 1000) {
    y *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    y *= 2 ** -1000;
    k += 1000;
  }
  return y * 2 ** k;
}

/** log(n! / n^n) by Stirling's series, without forming n·log(n). */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] = (out[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return out;
}

/** P(D_n ≤ d) by Durbin's matrix method, computing the k-th diagonal entry of H^n with rescaling (MTW 2003). */
function cdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let hm = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - i + 1] as number;
  for (let r = 0; r < m; r++) hm[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c] as number;

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  const diag = (k - 1) * m + (k - 1);
  while (nn > 0) {
    if (nn % 2 === 1) {
      power = matMul(power, hm, m);
      expnt += hExpnt;
    }
    hm = matMul(hm, hm, m);
    hExpnt *= 2;
    if (Math.abs(hm[diag] as number) > E128) {
      for (let i = 0; i < hm.length; i++) hm[i] = (hm[i] as number) / E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[diag] as number;
  // times n! / n^n
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return ldexp(p, expnt);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n ≤ x) by Pomeranz's recursion (1974): rows are convolutions with Poisson-like weights. */
function cdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gPower = new Float64Array(npwrs);
  const twoGPower = new Float64Array(npwrs);
  const oneMinusTwoGPower = new Float64Array(npwrs);
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gPower[m] = ((gPower[m - 1] as number) * (g / n)) / m;
    twoGPower[m] = ((twoGPower[m - 1] as number) * ((2 * g) / n)) / m;
    oneMinusTwoGPower[m] = ((oneMinusTwoGPower[m - 1] as number) * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const weights = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const len = j2 - k1 + 1;
    if (len > 0) {
      const offset = k1 - v0s;
      const srcLen = Math.min(len, npwrs - offset);
      const weightLen = Math.min(len, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c; // index into the full convolution of v0[offset…] with weights[0…len)
        let s = 0;
        for (let a = Math.max(0, idx - weightLen + 1); a <= Math.min(idx, srcLen - 1); a++) {
          s += (v0[offset + a] as number) * (weights[idx - a] as number);
        }
        v1[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < convLen; c++) v1[c] = (v1[c] as number) * E128;
        expnt -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return ldexp(ans, expnt);
}

/** Pelz & Good (1976) asymptotic series for P(D_n ≤ x), suited to small √n·x. */
function cdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qpower + (coeffs[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT_2PI) / (divisors[i] as number);

  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT_2PI) / (-36 * z3);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / n ** (i / 2);
  return sum;
}

/**
 * P(D_n > d) for the two-sided one-sample KS statistic (scipy.stats.kstwo.sf(d, n)).
 * 1 for d ≤ 1/(2n), 0 for d ≥ 1; NaN unless n is a positive integer.
 */
export function kstwoSf(d: number, n: number): number {
  if (Number.isNaN(d) || !Number.isInteger(n) || n <= 0) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const ndSquared = t * d;
  if (n <= 140) {
    if (ndSquared <= 0.754693) return clip01(1 - cdfDurbin(n, d));
    if (ndSquared <= 4) return clip01(1 - cdfPomeranz(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (ndSquared >= 370) return 0;
  if (ndSquared >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * d ** 1.5 <= 1.4 ? cdfDurbin(n, d) : cdfPelzGood(n, d);
  return clip01(1 - cdf);
}
