/**
 * PSI and Jensen–Shannon over per-bin counts (small arrays already aggregated in SQL).
 *
 * PSI = Σ_b (r_b − c_b) · ln(r_b / c_b), r_b = R count / n_R, c_b = C count / n_C.
 *   - Assay: an empty share becomes 1e-4, no renormalisation.
 *   - Evidently (`legacy/calculations/stattests/utils.py:get_binned_data`): on each side separately, zero
 *     shares become min(non-zero share) / 1e6 when that minimum is ≤ 1e-4, else 1e-4.
 * JS = sqrt((KL(p‖m) + KL(q‖m)) / 2 / ln(base)), m = (p + q) / 2, p and q normalised
 *   (scipy.spatial.distance.jensenshannon; no epsilon, terms with p = 0 contribute 0).
 */

/** Assay's empty-bin share for PSI. */
export const PSI_EPSILON = 1e-4;

export type ZeroShareRule = "fixed" | "evidently";

/** Shares count / n with zero shares replaced per `rule`. */
export function psiShares(counts: readonly number[], n: number, rule: ZeroShareRule): number[] {
  const shares = counts.map((c) => c / n);
  let fill = PSI_EPSILON;
  if (rule === "evidently") {
    const positive = shares.filter((s) => s !== 0);
    const least = positive.length > 0 ? Math.min(...positive) : Number.NaN;
    fill = least <= PSI_EPSILON ? least / 1e6 : PSI_EPSILON;
  }
  return shares.map((s) => (s === 0 ? fill : s));
}

/** Population stability index from bin counts. */
export function psi(
  reference: readonly number[],
  current: readonly number[],
  nReference: number,
  nCurrent: number,
  rule: ZeroShareRule,
): number {
  const r = psiShares(reference, nReference, rule);
  const c = psiShares(current, nCurrent, rule);
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    const rb = r[i] as number;
    const cb = c[i] as number;
    total += (rb - cb) * Math.log(rb / cb);
  }
  return total;
}

function relEntr(x: number, y: number): number {
  if (x === 0) return 0;
  return x * Math.log(x / y);
}

/** Jensen–Shannon distance of two count (or share) vectors; base e or 2. */
export function jensenShannon(p: readonly number[], q: readonly number[], base: number): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] as number) / sp;
    const qi = (q[i] as number) / sq;
    const m = (pi + qi) / 2;
    left += relEntr(pi, m);
    right += relEntr(qi, m);
  }
  const js = (left + right) / Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}

/**
 * Current-only values (absent from R) summarised by aggregates, for Evidently's per-value bins when
 * they are too many to fetch: k values, their total count, smallest count, Σ ln q and Σ q ln q over
 * their shares q = count / n_C.
 */
export interface UnseenCurrent {
  values: number;
  total: number;
  minCount: number;
  sumLogShare: number;
  sumShareLogShare: number;
}

/**
 * Evidently PSI over explicit bins plus the unseen values' bins (each with reference share = the
 * reference fill f): Σ_unseen (f − q) ln(f / q) = k·f·ln f − f·Σ ln q − ln f·Σ q + Σ q ln q.
 */
export function psiEvidentlyWithUnseen(
  reference: readonly number[],
  current: readonly number[],
  nReference: number,
  nCurrent: number,
  unseen: UnseenCurrent,
): number {
  const fillFor = (least: number) => (least <= PSI_EPSILON ? least / 1e6 : PSI_EPSILON);
  const rShares = reference.map((c) => c / nReference);
  const cShares = current.map((c) => c / nCurrent);
  const fillR = fillFor(Math.min(...rShares.filter((s) => s !== 0)));
  const fillC = fillFor(Math.min(...cShares.filter((s) => s !== 0), unseen.minCount / nCurrent));
  let total = 0;
  for (let i = 0; i < rShares.length; i++) {
    const rb = rShares[i] === 0 ? fillR : (rShares[i] as number);
    const cb = cShares[i] === 0 ? fillC : (cShares[i] as number);
    total += (rb - cb) * Math.log(rb / cb);
  }
  const lnF = Math.log(fillR);
  return (
    total +
    unseen.values * fillR * lnF -
    fillR * unseen.sumLogShare -
    lnF * (unseen.total / nCurrent) +
    unseen.sumShareLogShare
  );
}
