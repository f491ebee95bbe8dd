/**
 * The exact numeric drift statistics from a fine histogram plus the distinct values of a few bins
 * (scans 2 and 3, `fine-histogram-sql.ts`). Pure: typed arrays in, numbers out.
 *
 * Let the non-empty bins, in value order, be disjoint intervals [lo_b, hi_b] with counts r_b, c_b, and
 * CR_b, CC_b the cumulative counts through bin b. Write G(x) = F_R(x) − F_C(x) (right-continuous
 * ECDFs, as SciPy's `ks_2samp`).
 *   - KS: G at hi_b is exactly CR_b/n_R − CC_b/n_C, so D ≥ D_lo = max_b |G(hi_b)|. Inside bin b, G lies
 *     between CR_{b−1}/n_R − CC_b/n_C and CR_b/n_R − CC_{b−1}/n_C (float division and subtraction are
 *     monotone, so this also holds for the rounded values). A bin whose bound is ≤ D_lo cannot hold the
 *     maximum; the others are refined. D = max over bin ends and refined values: exact, bit for bit.
 *   - W1 = ∫|G|: between bins G is constant. Inside a bin, ∫G = G(lo⁻)(hi − lo) + Σ_R (hi − x)/n_R −
 *     Σ_C (hi − x)/n_C, from the count and Σ(x − m) of each side; when G cannot change sign inside the
 *     bin (same bounds as above), ∫|G| = |∫G|. Bins where it can are refined.
 *   - Reference quantiles (numpy's linear method, `stats/order-statistics.ts`): the bins holding the two ranks
 *     it reads, and any bins between them, are refined. Counts at bin edges: the bins that contain an
 *     edge are refined (quantile edges lie between two refined order statistics).
 *   - Distinct values: a bin with lo = hi holds one value; a refined bin lists its own. Others hold at
 *     least two, which gives a lower bound; when that bound is within the cap the test rules read
 *     (≤ 5 values; ≤ 20 reference values and then ≤ 10 000 for Evidently's per-value bins) every
 *     multi-valued bin is refined, so the counts the rules need are exact.
 * A bin with lo = hi needs no refinement for any of these. Past a refinement budget, KS and W1 keep
 * the bins they could not refine as bounds: the result states how far off each can be
 * (KS: D_lo ≤ D ≤ D_lo + bound; W1: ± bound).
 */

import { numpyQuantile, numpyQuantileRanks } from "../stats/order-statistics";

/** A column's non-empty bins in value order, both sides merged. */
export interface MergedBins {
  /** Bin numbers (as in SQL). */
  bin: Int32Array;
  r: Float64Array;
  c: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  devR: Float64Array;
  devC: Float64Array;
  center: number;
}

interface SideArrays {
  n: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
  dev: Float64Array;
}

/**
 * Merges the two sides' bins; null when the bins are not disjoint intervals in value order (the
 * bin map was not monotone for these values), in which case the caller uses the exact sort.
 */
export function mergeBins(center: number, reference: SideArrays, current: SideArrays): MergedBins | null {
  const size = reference.n.length;
  let k = 0;
  for (let b = 0; b < size; b++) if ((reference.n[b] ?? 0) > 0 || (current.n[b] ?? 0) > 0) k++;
  const out: MergedBins = {
    bin: new Int32Array(k),
    r: new Float64Array(k),
    c: new Float64Array(k),
    lo: new Float64Array(k),
    hi: new Float64Array(k),
    devR: new Float64Array(k),
    devC: new Float64Array(k),
    center,
  };
  let j = 0;
  for (let b = 0; b < size; b++) {
    const r = reference.n[b] ?? 0;
    const c = current.n[b] ?? 0;
    if (r === 0 && c === 0) continue;
    out.bin[j] = b;
    out.r[j] = r;
    out.c[j] = c;
    const rLo = reference.lo[b] ?? 0;
    const rHi = reference.hi[b] ?? 0;
    const cLo = current.lo[b] ?? 0;
    const cHi = current.hi[b] ?? 0;
    out.lo[j] = r === 0 ? cLo : c === 0 ? rLo : Math.min(rLo, cLo);
    out.hi[j] = r === 0 ? cHi : c === 0 ? rHi : Math.max(rHi, cHi);
    out.devR[j] = r > 0 ? (reference.dev[b] ?? 0) : 0;
    out.devC[j] = c > 0 ? (current.dev[b] ?? 0) : 0;
    if (j > 0 && !((out.hi[j - 1] ?? 0) < (out.lo[j] ?? 0))) return null;
    j++;
  }
  return out;
}

/** Cumulative counts through each merged bin. */
function cumulative(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i] ?? 0;
    out[i] = s;
  }
  return out;
}

/** First index i with cum[i] > rank (cum is non-decreasing). */
function firstAbove(cum: Float64Array, rank: number): number {
  let a = 0;
  let b = cum.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((cum[mid] ?? 0) > rank) b = mid;
    else a = mid + 1;
  }
  return a;
}

export interface RefinementNeeds {
  /** Reference quantile levels whose order statistics are needed. */
  quantiles: readonly number[];
  /** Values at which counts (≤ and <) are needed, known before refinement (equal-width edges). */
  edges: readonly number[];
  /** Refine every multi-valued bin when the distinct-count lower bound is at most this. */
  distinctCap: number;
  /** Refine the reference's multi-valued bins when its distinct-count lower bound is at most this… */
  referenceDistinctCap: number;
  /** …and then use this cap instead of `distinctCap` (Evidently's per-value bins need up to 10 000). */
  distinctCapFewReference: number;
  /**
   * Most values to refine for KS and W1 beyond the bins needed above (null: no limit, exact). Bins
   * left out keep KS and W1 within a stated bound (`SortedDistribution.ksStatistic`, `.wasserstein`).
   */
  budget: number | null;
  /** Refine every KS candidate regardless of the budget (KS decides the verdict). */
  exactKs: boolean;
}

/** G's range inside merged bin i: [CR_{i−1}/n_R − CC_i/n_C, CR_i/n_R − CC_{i−1}/n_C]. */
function gapRange(cr: Float64Array, cc: Float64Array, i: number, nR: number, nC: number): [number, number] {
  const rPrev = i > 0 ? (cr[i - 1] ?? 0) : 0;
  const cPrev = i > 0 ? (cc[i - 1] ?? 0) : 0;
  return [rPrev / nR - (cc[i] ?? 0) / nC, (cr[i] ?? 0) / nR - cPrev / nC];
}

/** Bin numbers to refine (scan 3): every statistic here is exact, within the budget for KS and W1. */
export function planRefinement(m: MergedBins, nR: number, nC: number, needs: RefinementNeeds): number[] {
  const k = m.bin.length;
  const refine = new Uint8Array(k);
  const multi = (i: number) => (m.lo[i] ?? 0) < (m.hi[i] ?? 0);
  const cr = cumulative(m.r);
  const cc = cumulative(m.c);
  let dLow = 0;
  for (let i = 0; i < k; i++) dLow = Math.max(dLow, Math.abs((cr[i] ?? 0) / nR - (cc[i] ?? 0) / nC));
  let lower = 0;
  let lowerR = 0;
  for (let i = 0; i < k; i++) {
    lower += multi(i) ? 2 : 1;
    const r = m.r[i] ?? 0;
    lowerR += r === 0 ? 0 : multi(i) && r > 1 ? 2 : 1;
  }
  const fewReference = lowerR <= needs.referenceDistinctCap;
  const cap = fewReference ? needs.distinctCapFewReference : needs.distinctCap;
  for (let i = 0; i < k; i++) {
    if (!multi(i)) continue;
    if (lower <= cap) refine[i] = 1;
    else if (fewReference && (m.r[i] ?? 0) > 1) refine[i] = 1;
  }
  for (const q of needs.quantiles) {
    if (nR === 0) break;
    const [previous, next] = numpyQuantileRanks(nR, q);
    const from = firstAbove(cr, previous);
    const to = Math.min(firstAbove(cr, next), k - 1);
    for (let i = from; i <= to; i++) if (multi(i)) refine[i] = 1;
  }
  for (const e of needs.edges) {
    // The last bin with lo ≤ e; it contains e when e ≤ hi.
    let a = 0;
    let b = k;
    while (a < b) {
      const mid = (a + b) >> 1;
      if ((m.lo[mid] ?? 0) <= e) a = mid + 1;
      else b = mid;
    }
    const i = a - 1;
    if (i >= 0 && multi(i) && e <= (m.hi[i] ?? 0)) refine[i] = 1;
  }
  // KS: a bin whose bound beats the largest gap at bin ends may hold the maximum. W1: G may change
  // sign inside, so |∫G| understates ∫|G| by up to e_b = 2 (hi − lo) min(high, −low).
  const ks: { i: number; gain: number }[] = [];
  const w1: { i: number; gain: number }[] = [];
  for (let i = 0; i < k; i++) {
    if (!multi(i) || refine[i]) continue;
    const [low, high] = gapRange(cr, cc, i, nR, nC);
    const bound = Math.max(Math.abs(low), Math.abs(high));
    if (bound > dLow) {
      if (needs.exactKs || needs.budget === null) refine[i] = 1;
      else ks.push({ i, gain: bound - dLow });
    }
    if (low < 0 && high > 0 && !refine[i]) {
      if (needs.budget === null) refine[i] = 1;
      else w1.push({ i, gain: 2 * ((m.hi[i] ?? 0) - (m.lo[i] ?? 0)) * Math.min(high, -low) });
    }
  }
  if (needs.budget !== null) {
    let left = needs.budget;
    // The largest KS excesses first (D is a maximum: one bin can matter), then W1's largest errors.
    const order = [...ks.sort((a, b) => b.gain - a.gain), ...w1.sort((a, b) => b.gain - a.gain)];
    for (const { i } of order) {
      const size = (m.r[i] ?? 0) + (m.c[i] ?? 0);
      if (refine[i] || size > left) continue;
      refine[i] = 1;
      left -= size;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < k; i++) if (refine[i]) out.push(m.bin[i] ?? 0);
  return out;
}

export interface RefinedBinValues {
  bin: Int32Array;
  value: Float64Array;
  reference: Float64Array;
  current: Float64Array;
}

/**
 * The sorted distribution of R ∪ C as segments: a refined bin contributes one point per distinct
 * value, any other bin one aggregate [lo, hi] (a point when lo = hi).
 */
export class SortedDistribution {
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly r: Float64Array;
  private readonly c: Float64Array;
  private readonly devR: Float64Array;
  private readonly devC: Float64Array;
  /** Whether the segment is a refined point or a single-valued bin (its inside is known). */
  private readonly known: Uint8Array;
  private readonly cumR: Float64Array;
  private readonly cumC: Float64Array;
  readonly center: number;

  constructor(
    m: MergedBins,
    refined: RefinedBinValues,
    readonly nReference: number,
    readonly nCurrent: number,
  ) {
    const refinedBins = new Set<number>();
    for (let j = 0; j < refined.bin.length; j++) refinedBins.add(refined.bin[j] ?? -1);
    const size = m.bin.length - refinedBins.size + refined.bin.length;
    this.lo = new Float64Array(size);
    this.hi = new Float64Array(size);
    this.r = new Float64Array(size);
    this.c = new Float64Array(size);
    this.devR = new Float64Array(size);
    this.devC = new Float64Array(size);
    this.known = new Uint8Array(size);
    this.center = m.center;
    let s = 0;
    let j = 0;
    for (let i = 0; i < m.bin.length; i++) {
      const b = m.bin[i] ?? -1;
      if (refinedBins.has(b)) {
        let r = 0;
        let c = 0;
        while (j < refined.bin.length && refined.bin[j] === b) {
          const v = refined.value[j] ?? 0;
          this.lo[s] = v;
          this.hi[s] = v;
          this.r[s] = refined.reference[j] ?? 0;
          this.c[s] = refined.current[j] ?? 0;
          this.known[s] = 1;
          r += this.r[s] ?? 0;
          c += this.c[s] ?? 0;
          s++;
          j++;
        }
        if (r !== m.r[i] || c !== m.c[i]) {
          throw new Error(`drift: refined bin ${b} holds ${r}/${c} values, the histogram ${m.r[i]}/${m.c[i]}`);
        }
        continue;
      }
      this.lo[s] = m.lo[i] ?? 0;
      this.hi[s] = m.hi[i] ?? 0;
      this.r[s] = m.r[i] ?? 0;
      this.c[s] = m.c[i] ?? 0;
      this.devR[s] = m.devR[i] ?? 0;
      this.devC[s] = m.devC[i] ?? 0;
      this.known[s] = this.lo[s] === this.hi[s] ? 1 : 0;
      s++;
    }
    if (j !== refined.bin.length) throw new Error("drift: refined values outside the histogram's bins");
    this.cumR = cumulative(this.r);
    this.cumC = cumulative(this.c);
  }

  private gap(i: number): number {
    return (this.cumR[i] ?? 0) / this.nReference - (this.cumC[i] ?? 0) / this.nCurrent;
  }

  /**
   * KS D = max |F_R − F_C|: the largest gap at segment ends, which is attained. `bound` is how much
   * larger D can be inside multi-valued bins left unrefined (0: exact).
   */
  ksStatistic(): { value: number; bound: number } {
    let d = 0;
    for (let i = 0; i < this.lo.length; i++) d = Math.max(d, Math.abs(this.gap(i)));
    let high = d;
    for (let i = 0; i < this.lo.length; i++) {
      if (this.known[i]) continue;
      const [low, up] = gapRange(this.cumR, this.cumC, i, this.nReference, this.nCurrent);
      high = Math.max(high, Math.abs(low), Math.abs(up));
    }
    return { value: d, bound: high - d };
  }

  /**
   * W1 = ∫ |F_R − F_C| (scipy.stats.wasserstein_distance), Neumaier-summed. In an unrefined bin where
   * G may change sign, ∫|G| lies in [|∫G|, |∫G| + e_b]: the midpoint is used and `bound` = Σ e_b / 2.
   */
  wasserstein(): { value: number; bound: number } {
    let sum = 0;
    let comp = 0;
    let bound = 0;
    const add = (x: number) => {
      const t = sum + x;
      comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    };
    let g = 0;
    let prevEnd = this.lo[0] ?? 0;
    for (let i = 0; i < this.lo.length; i++) {
      const lo = this.lo[i] ?? 0;
      const hi = this.hi[i] ?? 0;
      if (g !== 0) add(Math.abs(g) * (lo - prevEnd));
      if (hi > lo) {
        const insideR = (this.r[i] ?? 0) * (hi - this.center) - (this.devR[i] ?? 0);
        const insideC = (this.c[i] ?? 0) * (hi - this.center) - (this.devC[i] ?? 0);
        const integral = Math.abs(g * (hi - lo) + insideR / this.nReference - insideC / this.nCurrent);
        const [low, up] = gapRange(this.cumR, this.cumC, i, this.nReference, this.nCurrent);
        if (low < 0 && up > 0) {
          const half = (hi - lo) * Math.min(up, -low);
          add(integral + half);
          bound += half;
        } else add(integral);
      }
      g = this.gap(i);
      prevEnd = hi;
    }
    return { value: sum + comp, bound };
  }

  /** Reference value at 0-based rank k of its sorted values. */
  private referenceAtRank(k: number): number {
    const i = firstAbove(this.cumR, k);
    if (i >= this.lo.length || !this.known[i]) throw new Error(`drift: rank ${k} falls in an unrefined bin`);
    return this.lo[i] ?? Number.NaN;
  }

  /** numpy `quantile(R, q)` (linear), see stats/order-statistics.ts. */
  referenceQuantile(q: number): number {
    return numpyQuantile(this.nReference, q, (k) => this.referenceAtRank(k));
  }

  /** [#R, #C] with value ≤ e (`inclusive`) or < e. */
  countsBelow(e: number, inclusive: boolean): [number, number] {
    // The number of segments entirely below e (segments are ordered and disjoint).
    let a = 0;
    let b = this.lo.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      const hi = this.hi[mid] ?? 0;
      if (inclusive ? hi <= e : hi < e) a = mid + 1;
      else b = mid;
    }
    if (a < this.lo.length) {
      const lo = this.lo[a] ?? 0;
      const straddles = inclusive ? lo <= e : lo < e;
      if (straddles) throw new Error(`drift: edge ${e} falls inside an unrefined bin`);
    }
    return a === 0 ? [0, 0] : [this.cumR[a - 1] ?? 0, this.cumC[a - 1] ?? 0];
  }

  /** Distinct values of R ∪ C and of R, each with whether it is exact or a lower bound. */
  distinct(): { all: number; reference: number; exact: boolean; referenceExact: boolean } {
    let all = 0;
    let reference = 0;
    let exact = true;
    let referenceExact = true;
    for (let i = 0; i < this.lo.length; i++) {
      const r = this.r[i] ?? 0;
      if (this.known[i]) {
        all += 1;
        if (r > 0) reference += 1;
        continue;
      }
      all += 2;
      exact = false;
      if (r > 1) {
        reference += 2;
        referenceExact = false;
      } else reference += r;
    }
    return { all, reference, exact, referenceExact };
  }

  /** Every distinct value with its counts, when all are known. */
  values(): { value: number; reference: number; current: number }[] | null {
    if (!this.known.every((k) => k === 1)) return null;
    return Array.from(this.lo, (value, i) => ({ value, reference: this.r[i] ?? 0, current: this.c[i] ?? 0 }));
  }
}
