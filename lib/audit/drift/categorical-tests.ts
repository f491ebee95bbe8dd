/**
 * Tests on per-category counts of R and C (the union of categories, each present on at least one side).
 *
 * - Contingency (Assay, NannyML, Alibi): `scipy.stats.chi2_contingency` on the 2×K table [R; C]:
 *   expected = row · column / total, Yates' correction (|O − E| reduced by min(0.5, |O − E|)) when
 *   df = K − 1 = 1; df = 0 gives χ² = 0, p = 1.
 * - Goodness of fit (Evidently `stattests/chisquare_stattest.py`): `scipy.stats.chisquare(f_obs = C,
 *   f_exp = R · n_C / n_R)`, df = K − 1; a category absent from R has expected 0 ⇒ χ² = +∞, p = 0.
 *   With a single category scipy gives NaN; we give χ² = 0, p = 1 (no drift either way).
 * - z-test (Evidently `stattests/z_stattest.py`): pooled two-proportion test, two-sided,
 *   z = (p_R − p_C) / sqrt(P(1 − P)(1/n_R + 1/n_C)), p = 2·Φ(−|z|); the proportion is the share of the
 *   second category in sort order. One category overall ⇒ z = 0, p = 1 (Evidently's special case).
 */
import { chi2Sf, normalSf } from "../stats";
import type { TestOutcome } from "./types";

export function chiSquareContingency(reference: readonly number[], current: readonly number[]): TestOutcome {
  const k = reference.length;
  const df = k - 1;
  if (df <= 0) return { statistic: 0, pValue: 1 };
  const nR = reference.reduce((a, b) => a + b, 0);
  const nC = current.reduce((a, b) => a + b, 0);
  const total = nR + nC;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const column = (reference[i] as number) + (current[i] as number);
    for (const [observed, rowTotal] of [
      [reference[i] as number, nR],
      [current[i] as number, nC],
    ] as const) {
      const expected = (rowTotal * column) / total;
      let o = observed;
      if (df === 1) {
        const diff = expected - observed;
        o = observed + Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += ((o - expected) * (o - expected)) / expected;
    }
  }
  return { statistic, pValue: chi2Sf(statistic, df) };
}

export function chiSquareGoodnessOfFit(reference: readonly number[], current: readonly number[]): TestOutcome {
  const k = reference.length;
  if (k <= 1) return { statistic: 0, pValue: 1 };
  const nR = reference.reduce((a, b) => a + b, 0);
  const nC = current.reduce((a, b) => a + b, 0);
  const scale = nC / nR;
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const expected = (reference[i] as number) * scale;
    const observed = current[i] as number;
    statistic += ((observed - expected) * (observed - expected)) / expected;
  }
  return { statistic, pValue: statistic === Number.POSITIVE_INFINITY ? 0 : chi2Sf(statistic, k - 1) };
}

/** Counts of the (at most two) categories in sort order. */
export function twoProportionZTest(reference: readonly number[], current: readonly number[]): TestOutcome {
  const nR = reference.reduce((a, b) => a + b, 0);
  const nC = current.reduce((a, b) => a + b, 0);
  const pR = (reference[1] ?? 0) / nR;
  const pC = (current[1] ?? 0) / nC;
  const pooled = (pR * nR + pC * nC) / (nR + nC);
  const variance = pooled * (1 - pooled) * (1 / nR + 1 / nC);
  if (reference.length < 2 || variance === 0) return { statistic: 0, pValue: 1 };
  const z = (pR - pC) / Math.sqrt(variance);
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
