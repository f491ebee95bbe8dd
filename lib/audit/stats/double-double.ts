/**
 * Minimal double-double arithmetic (an unevaluated sum hi + lo, about 32 significant digits) and
 * scaled numbers (a double-double significand times 2^exponent, for values far outside the double
 * range), enough for the exact one-sided Smirnov sum. Algorithms: Dekker's TwoProduct with Veltkamp
 * splitting, Knuth's TwoSum (Hida, Li & Bailey, "Library for double-double and quad-double arithmetic", 2000).
 */

/** hi + lo with |lo| ≤ ulp(hi) / 2. */
export interface DD {
  hi: number;
  lo: number;
}

/** A value significand · 2^exponent with |significand| in [0.5, 1) (or 0). */
export interface Scaled {
  man: DD;
  exp: number;
}

const SPLITTER = 134_217_729; // 2^27 + 1

export const DD_ZERO: DD = { hi: 0, lo: 0 };
export const DD_ONE: DD = { hi: 1, lo: 0 };

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function split(a: number): [number, number] {
  const t = SPLITTER * a;
  const hi = t - (t - a);
  return [hi, a - hi];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

export function dd(x: number): DD {
  return { hi: x, lo: 0 };
}

export function toNumber(a: DD): number {
  return a.hi + a.lo;
}

export function add(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = quickTwoSum(s.hi, s.lo + t.hi);
  return quickTwoSum(u.hi, u.lo + t.lo);
}

export function neg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

export function sub(a: DD, b: DD): DD {
  return add(a, neg(b));
}

export function mul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

export function mulNumber(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  return quickTwoSum(p.hi, p.lo + a.lo * b);
}

export function div(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = sub(a, mulNumber(b, q1));
  const q2 = r.hi / b.hi;
  r = sub(r, mulNumber(b, q2));
  const q3 = r.hi / b.hi;
  return add(quickTwoSum(q1, q2), dd(q3));
}

/** a / b of two doubles, rounded to double-double. */
export function divNumbers(a: number, b: number): DD {
  return div(dd(a), dd(b));
}

/** The exact product of two doubles. */
export function mulNumbers(a: number, b: number): DD {
  return twoProd(a, b);
}

export function floor(a: DD): DD {
  const hi = Math.floor(a.hi);
  if (hi !== a.hi) return dd(hi);
  return quickTwoSum(hi, Math.floor(a.lo));
}

const TWO_POW_1000 = 2 ** 1000;
const TWO_POW_MINUS_1000 = 2 ** -1000;

/** x · 2^e without spurious overflow or underflow in the scale factor. */
export function ldexp(x: number, e: number): number {
  let y = x;
  let k = e;
  while (k > 1000) {
    y *= TWO_POW_1000;
    k -= 1000;
  }
  while (k < -1000) {
    y *= TWO_POW_MINUS_1000;
    k += 1000;
    if (y === 0) return y;
  }
  return y * 2 ** k;
}

/** Splits x = m · 2^e with |m| in [0.5, 1); (x, 0) for 0 and non-finite x. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = ldexp(x, -e);
  while (Math.abs(m) >= 1) {
    m /= 2;
    e += 1;
  }
  while (Math.abs(m) < 0.5) {
    m *= 2;
    e -= 1;
  }
  return [m, e];
}

/** Splits a double-double into a significand with |hi| in [0.5, 1] and a power of two. */
export function frexpDD(a: DD): Scaled {
  const [m, e] = frexp(a.hi);
  if (m === 0 || !Number.isFinite(m)) return { man: { hi: a.hi, lo: a.lo }, exp: 0 };
  const man = { hi: m, lo: ldexp(a.lo, -e) };
  return { man, exp: e };
}

export function ldexpDD(a: DD, e: number): DD {
  return { hi: ldexp(a.hi, e), lo: ldexp(a.lo, e) };
}

/** a^m for an integer m ≥ 0: pow of the high part, corrected to first order (or exactly) for the low part. */
export function powInt(a: DD, m: number): DD {
  if (m === 0) return DD_ONE;
  if (a.hi === 0) return DD_ZERO;
  const ans = a.hi ** m;
  const r = a.lo / a.hi;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) {
    adj = Math.abs(adj) < 1e-4 ? adj + m * r * (((m - 1) / 2) * r) : Math.expm1(m * Math.log1p(r));
  }
  return twoSum(ans, ans * adj);
}

const MAX_CHUNK_EXPONENT = 960;

/** a^m (integer m ≥ 0) as a scaled number, splitting the power so no partial result leaves the double range. */
export function powScaled(a: DD, m: number): Scaled {
  if (m === 0) return { man: DD_ONE, exp: 0 };
  const y = frexpDD(a);
  if (m === 1) return y;
  let chunk = m;
  if (y.man.hi > 0) {
    const log2y = Math.log2(y.man.hi);
    if (m * log2y <= -MAX_CHUNK_EXPONENT) chunk = Math.max(1, Math.floor(-MAX_CHUNK_EXPONENT / log2y));
  }
  if (m <= chunk) {
    const p = frexpDD(powInt(y.man, m));
    return { man: p.man, exp: p.exp + m * y.exp };
  }
  const q = Math.floor(m / chunk);
  const r = m - q * chunk;
  const yr = powScaled(y.man, r);
  const yChunk = powScaled(y.man, chunk);
  const yChunkQ = powScaled(yChunk.man, q);
  const product = frexpDD(mul(yr.man, yChunkQ.man));
  return { man: product.man, exp: product.exp + yChunkQ.exp + yChunk.exp * q + yr.exp + m * y.exp };
}
