/**
 * The fixed grid that streamed histograms count on. Every finite double x ≠ 0 falls in the bin of
 * its binary exponent and the top 8 bits of its significand: |x| in [2^e·(1 + s/256), 2^e·(1 + (s+1)/256)),
 * so a bin is at most 1/256 (0.39%) of its values wide, whatever the column's range or unit. Zero
 * has a bin of its own; negative values mirror the positive ones. The bins do not depend on the
 * data, so histograms of row groups, files and saved profiles merge by adding counts, in one pass.
 *
 * Bin numbers sort like the values they hold (negative bins first), and SQL and JavaScript agree on
 * them bit for bit: the SQL derives e from log2 and then corrects it with an exact division by
 * 2^e, so a last-bit difference between two engines' log2 cannot move a value to another bin.
 */
import { ldexp } from "../stats/double-double";

/** Significand bits per binary exponent: 2^8 bins per power of two. */
export const GRID_SUB_BITS = 8;
const SUB = 2 ** GRID_SUB_BITS;
/** −(smallest exponent of a subnormal) + 1, so that e + EXP_OFFSET ≥ 1. */
const EXP_OFFSET = 1075;

/**
 * SQL for the grid bin (INTEGER) of `x`, a finite DOUBLE column of `from`, as column `bin`, with
 * the columns named in `carry` passed through (already quoted).
 */
export function compileGridBins(from: string, carry: readonly string[] = []): string {
  const kept = carry.map((c) => `${c}, `).join("");
  // e0 = ⌊log2 |x|⌋ can be off by one where log2 rounds; m0 = |x| / 2^e0 is exact (a power of two)
  // and tells: m0 < 1 ⇒ e = e0 − 1 and m = 2·m0, m0 ≥ 2 ⇒ e = e0 + 1 and m = m0 / 2. The bin,
  // (e + 1075)·256 + ⌊(m − 1)·256⌋ + 1, is then written per case in one CASE (7% faster in WASM than
  // computing e and m first). 1023 caps log2 rounding up to 1024 for the largest doubles, whose
  // 2^1024 would overflow.
  const bin = (scale: number, exponent: number) =>
    `floor(m0 * ${scale})::INTEGER + (e0 + ${EXP_OFFSET + exponent}) * ${SUB}`;
  return `SELECT ${kept}CASE WHEN x = 0 THEN 0 ELSE sign(x)::INTEGER * (CASE WHEN m0 < 1 THEN ${bin(2 * SUB, -1)} WHEN m0 >= 2 THEN ${bin(SUB / 2, 1)} ELSE ${bin(SUB, 0)} END - ${SUB - 1}) END AS bin
FROM (SELECT ${kept}x, e0, abs(x) / pow(2.0, e0) AS m0
  FROM (SELECT ${kept}x, least(floor(log2(CASE WHEN x = 0 THEN 1 ELSE abs(x) END)), 1023)::INTEGER AS e0 FROM (${from})))`;
}

const view = new DataView(new ArrayBuffer(8));

/** The grid bin of a finite double (what compileGridBins computes), from its bits. */
export function gridBinOf(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`grid bins hold finite values, not ${x}`);
  if (x === 0) return 0;
  const a = Math.abs(x);
  view.setFloat64(0, a);
  const high = view.getUint32(0);
  const biased = high >>> 20;
  let e: number;
  let s: number;
  if (biased > 0) {
    e = biased - 1023;
    s = (high >>> (20 - GRID_SUB_BITS)) & (SUB - 1);
  } else {
    // Subnormal: a = f · 2^-1074 with f an integer below 2^52; e from f's leading bit.
    const f = ldexp(a, 1074);
    const lead = Math.floor(Math.log2(f));
    const top = f >= 2 ** (lead + 1) ? lead + 1 : f < 2 ** lead ? lead - 1 : lead;
    e = top - 1074;
    s = Math.floor((f / 2 ** top - 1) * SUB);
  }
  return Math.sign(x) * ((e + EXP_OFFSET) * SUB + s + 1);
}

/** Smallest exponent whose bin bounds are doubles: 2^e·(1 + s/256) is a multiple of 2^-1074. */
const SUBNORMAL_EXACT = -1074 + GRID_SUB_BITS;

/** The values a bin can hold. Positive bins hold [lo, hi), negative bins (lo, hi], the zero bin exactly 0. */
export interface GridBinRange {
  lo: number;
  hi: number;
}

export function gridBinRange(bin: number): GridBinRange {
  if (!Number.isInteger(bin)) throw new RangeError(`not a grid bin: ${bin}`);
  if (bin === 0) return { lo: 0, hi: 0 };
  const k = Math.abs(bin) - 1;
  const e = Math.floor(k / SUB) - EXP_OFFSET;
  const s = k % SUB;
  let lo: number;
  let hi: number;
  if (e >= SUBNORMAL_EXACT) {
    lo = ldexp(1 + s / SUB, e);
    hi = ldexp(1 + (s + 1) / SUB, e);
  } else {
    // Below 2^-1066 the bounds fall between subnormals: round both up to the next one, which keeps
    // exactly the doubles of the bin in [lo, hi).
    const unit = 2 ** (e - SUBNORMAL_EXACT);
    lo = Math.ceil((SUB + s) * unit) * Number.MIN_VALUE;
    hi = Math.ceil((SUB + s + 1) * unit) * Number.MIN_VALUE;
  }
  return bin > 0 ? { lo, hi } : { lo: -hi, hi: -lo };
}

/** The largest double below x (x finite, > −max). */
export function previousDouble(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

/**
 * The largest value a bin holds, as the right end of a right-closed interval: counting x ≤ this
 * edge counts exactly the bins up to and including `bin`.
 */
export function gridBinUpperEdge(bin: number): number {
  const { hi } = gridBinRange(bin);
  return bin > 0 ? previousDouble(hi) : hi;
}

/** Whether a bin can hold at most one integer (its width is at most 1): integer columns are exact there. */
export function gridBinHoldsOneInteger(bin: number): boolean {
  const { lo, hi } = gridBinRange(bin);
  return hi - lo <= 1;
}

/** The integer in a bin of width ≤ 1, or null when it holds none. */
export function gridBinInteger(bin: number): number | null {
  if (bin === 0) return 0;
  const { lo, hi } = gridBinRange(bin);
  // Positive bins are [lo, hi), negative (lo, hi].
  const v = bin > 0 ? Math.ceil(lo) : Math.floor(hi);
  return (bin > 0 ? v < hi : v > lo) ? v : null;
}

/**
 * The one value a bin surely holds, or null: zero's bin, and a bin at most 1 wide when the column
 * holds whole numbers only (on both sides, for a comparison, so that counts and edges agree).
 */
export function gridBinSingleValue(bin: number, wholeNumbers: boolean): number | null {
  if (bin === 0) return 0;
  return wholeNumbers && gridBinHoldsOneInteger(bin) ? gridBinInteger(bin) : null;
}
