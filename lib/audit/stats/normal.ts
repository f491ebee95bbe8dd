/**
 * Standard normal distribution: Φ(x) and 1 − Φ(x), both without cancellation in either tail.
 *
 * erf / erfc use W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations
 * for the error function", Math. Comp. 23 (1969) 631–637; the CALERF routine of his SPECFUN
 * package), accurate to about 1e-16 relative. The Gaussian factor exp(−x²/2) is evaluated as
 * exp(−s²/2) · exp(−(x − s)(x + s)/2) with s = x rounded down to a multiple of 1/16, so s²/2 is exact
 * and the tail keeps full relative accuracy down to the subnormal range (x ≈ −37.5).
 * Reference: scipy.special.ndtr, scipy.stats.norm.cdf / norm.sf.
 */

const SQRT1_2 = Math.SQRT1_2;
const RSQRTPI = 0.5641895835477563; // 1 / sqrt(pi)
const ERF_THRESHOLD = 0.46875;

// erf on |z| ≤ 0.46875
const A = [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
const B = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
// erfc on 0.46875 < z ≤ 4
const C = [
  0.5641884969886701, 8.883149794388375, 66.11919063714163, 298.6351381974001, 881.952221241769, 1712.0476126340707,
  2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const D = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597, 4362.619090143247,
  3439.3676741437216, 1230.3393548037493,
];
// erfc on z > 4
const P = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.01608378514874228, 0.0006587491615298367,
  0.016315387137302097,
];
const Q = [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];

function at(coefficients: readonly number[], i: number): number {
  return coefficients[i] as number;
}

/** erf(z) for |z| ≤ 0.46875 (Cody's first interval). */
function erfSmall(z: number): number {
  const zz = z * z;
  let num = at(A, 4) * zz;
  let den = zz;
  for (let i = 0; i < 3; i++) {
    num = (num + at(A, i)) * zz;
    den = (den + at(B, i)) * zz;
  }
  return (z * (num + at(A, 3))) / (den + at(B, 3));
}

/** exp(z²) · erfc(z) for z > 0.46875 (Cody's second and third intervals). */
function erfcScaled(z: number): number {
  if (z <= 4) {
    let num = at(C, 8) * z;
    let den = z;
    for (let i = 0; i < 7; i++) {
      num = (num + at(C, i)) * z;
      den = (den + at(D, i)) * z;
    }
    return (num + at(C, 7)) / (den + at(D, 7));
  }
  const r = 1 / (z * z);
  let num = at(P, 5) * r;
  let den = r;
  for (let i = 0; i < 4; i++) {
    num = (num + at(P, i)) * r;
    den = (den + at(Q, i)) * r;
  }
  return (RSQRTPI - (r * (num + at(P, 4))) / (den + at(Q, 4))) / z;
}

/** exp(−x²/2) with the square split so that large |x| keeps full relative accuracy. */
function halfGaussian(x: number): number {
  const s = Math.trunc(x * 16) / 16;
  return Math.exp((-s * s) / 2) * Math.exp((-(x - s) * (x + s)) / 2);
}

/** Upper tail 1 − Φ(x) for x > 0.46875·√2, computed directly (no subtraction). */
function upperTail(x: number): number {
  if (x > 40) return 0; // below the smallest subnormal
  return 0.5 * halfGaussian(x) * erfcScaled(x * SQRT1_2);
}

/** Φ(x), the standard normal CDF (scipy.stats.norm.cdf). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = x * SQRT1_2;
  if (Math.abs(z) <= ERF_THRESHOLD) return 0.5 + 0.5 * erfSmall(z);
  return x < 0 ? upperTail(-x) : 1 - upperTail(x);
}

/** 1 − Φ(x), the standard normal survival function (scipy.stats.norm.sf), without cancellation. */
export function normalSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = x * SQRT1_2;
  if (Math.abs(z) <= ERF_THRESHOLD) return 0.5 - 0.5 * erfSmall(z);
  return x > 0 ? upperTail(x) : 1 - upperTail(-x);
}
