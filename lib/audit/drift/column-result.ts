/**
 * Turns the per-column aggregates of the drift scans (bin counts, per-value counts, D, W1) into a
 * `DriftColumnResult`: PSI, Jensen–Shannon, the tests, the test chosen by the convention's rule and
 * the verdict, with a trace. Pure: no SQL, no I/O. Formulas are in divergence.ts,
 * categorical-tests.ts and select-test.ts; conventions in docs/metrics/drift.md.
 */
import { ksPValue } from "../stats";
import { WarningLog } from "../warnings";
import type { BinPlan } from "./bin-plan";
import { chiSquareContingency, chiSquareGoodnessOfFit, twoProportionZTest } from "./categorical-tests";
import { jensenShannon, PSI_EPSILON, psi, psiEvidentlyWithUnseen, type UnseenCurrent } from "./divergence";
import { describeBins, fmt, makeBins, numericBins, type SideCounts, valueBins } from "./drift-bins";
import { isDrifted, selectTest } from "./select-test";
import type { ColumnKind, DriftColumnResult, DriftConvention, DriftMethod, KsMode, TestOutcome } from "./types";

/** Evidently bins a numeric column per value when R has at most this many distinct values. */
export const EVIDENTLY_PER_VALUE_MAX = 20;
/** Wasserstein is normed by max(std_pop(R), this) (Evidently). */
export const WASSERSTEIN_MIN_NORM = 0.001;

export interface ColumnContext {
  convention: DriftConvention;
  ksMode: KsMode;
  nColumns: number;
  warnings: WarningLog;
}

export interface NumericColumnInput {
  column: string;
  nReference: number;
  nCurrent: number;
  droppedReference: number;
  droppedCurrent: number;
  referenceStd: number;
  nDistinct: number;
  /** nDistinct is a lower bound, only given when it exceeds every cap the test rules read. */
  nDistinctIsLowerBound?: boolean;
  nDistinctReference: number;
  ksStatistic: number;
  wassersteinRaw: number;
  /** Largest possible error of ksStatistic and wassersteinRaw when the drift scans left bins unrefined. */
  bounds?: { ks: number; wassersteinRaw: number };
  plan: BinPlan;
  /** Counts for plan.psi and plan.jensenShannon (histogram layout: last entry = outside the edges). */
  psiCounts: SideCounts;
  jsCounts: SideCounts;
  /** Distinct values with counts, sorted; null when not fetched (see needsValueCounts). */
  values: { value: number; reference: number; current: number }[] | null;
  /** Evidently per-value bins with too many current-only values: their aggregates (values = R's only). */
  unseenCurrent?: UnseenCurrent;
  /** Trace lines describing approximations (reference profile), if any. */
  notes?: string[];
}

/** Most distinct values for which per-value counts are fetched for a numeric column. */
export const VALUE_LIST_CAP = 10_000;

/** Whether a numeric column's per-value counts are needed: chi-square / z-test, Evidently per-value bins. */
export function needsUnseenSummary(
  dist: { nDistinct: number; nDistinctReference: number },
  convention: DriftConvention,
): boolean {
  return (
    convention === "evidently" && dist.nDistinctReference <= EVIDENTLY_PER_VALUE_MAX && dist.nDistinct > VALUE_LIST_CAP
  );
}

export function needsValueCounts(
  dist: { nDistinct: number; nDistinctReference: number },
  convention: DriftConvention,
): boolean {
  if (dist.nDistinct <= 5) return true;
  return (
    convention === "evidently" && dist.nDistinctReference <= EVIDENTLY_PER_VALUE_MAX && dist.nDistinct <= VALUE_LIST_CAP
  );
}

export interface CategoricalColumnInput {
  column: string;
  nReference: number;
  nCurrent: number;
  droppedReference: number;
  droppedCurrent: number;
  categories: { value: string; reference: number; current: number }[];
  notes?: string[];
}

function psiRule(convention: DriftConvention): "fixed" | "evidently" {
  return convention === "evidently" ? "evidently" : "fixed";
}

function psiTrace(convention: DriftConvention): string {
  return convention === "evidently"
    ? "PSI: zero shares replaced per side by min(non-zero share)/1e6 when that minimum is ≤ 1e-4, else 1e-4 (Evidently)"
    : `PSI: empty-bin shares replaced by ${PSI_EPSILON}, no renormalisation`;
}

function jsBase(convention: DriftConvention): number {
  return convention === "evidently" ? Math.E : 2;
}

interface Decision {
  method: DriftMethod;
  statistic: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  reason: string;
}

function decide(
  column: string,
  kind: ColumnKind,
  nReference: number,
  nUnique: number | { atLeast: number },
  ctx: ColumnContext,
  outcomes: {
    ks: TestOutcome | null;
    wasserstein: number | null;
    jensenShannon: number;
    chiSquare: TestOutcome | null;
    zTest: TestOutcome | null;
  },
): Decision {
  const choice = selectTest(kind, nReference, nUnique, ctx.convention, ctx.nColumns);
  let statistic: number;
  let pValue: number | null = null;
  switch (choice.method) {
    case "ks":
      statistic = outcomes.ks?.statistic ?? Number.NaN;
      pValue = outcomes.ks?.pValue ?? Number.NaN;
      break;
    case "wasserstein":
      statistic = outcomes.wasserstein ?? Number.NaN;
      break;
    case "jensen-shannon":
      statistic = outcomes.jensenShannon;
      break;
    case "chi-square":
      statistic = outcomes.chiSquare?.statistic ?? Number.NaN;
      pValue = outcomes.chiSquare?.pValue ?? Number.NaN;
      break;
    case "z-test":
      statistic = outcomes.zTest?.statistic ?? Number.NaN;
      pValue = outcomes.zTest?.pValue ?? Number.NaN;
      break;
  }
  const value = pValue ?? statistic;
  if (Number.isNaN(value)) {
    ctx.warnings.warn(
      "test-unavailable",
      `The ${choice.method} test could not be computed for "${column}"; it is not flagged as drifted.`,
      column,
    );
  }
  return {
    method: choice.method,
    statistic,
    pValue,
    threshold: choice.threshold,
    drifted: Number.isNaN(value) ? false : isDrifted(choice, value),
    reason: choice.reason,
  };
}

function chiSquareFor(convention: DriftConvention, reference: number[], current: number[]): [TestOutcome, string] {
  if (convention === "evidently") {
    return [
      chiSquareGoodnessOfFit(reference, current),
      "chi-square: goodness of fit, f_exp = R counts · n_C / n_R (Evidently; a category absent from R gives +∞)",
    ];
  }
  return [
    chiSquareContingency(reference, current),
    `chi-square: 2×${reference.length} contingency test (scipy chi2_contingency)${reference.length === 2 ? ", Yates correction (df = 1)" : ""}`,
  ];
}

function sideTrace(nR: number, nC: number, dR: number, dC: number): string {
  return `rows used: reference ${fmt(nR)} (dropped ${fmt(dR)} null/NaN/±Inf), current ${fmt(nC)} (dropped ${fmt(dC)})`;
}

function verdictTrace(d: Decision): string {
  const shown = d.pValue === null ? `statistic ${d.statistic}` : `statistic ${d.statistic}, p = ${d.pValue}`;
  return `verdict: ${d.method} ${shown} vs threshold ${d.threshold} ⇒ ${d.drifted ? "drift" : "no drift"}`;
}

export function numericColumnResult(input: NumericColumnInput, ctx: ColumnContext): DriftColumnResult {
  const { column, nReference: nR, nCurrent: nC, convention } = { ...input, convention: ctx.convention };
  const trace = [`convention: ${convention}`, sideTrace(nR, nC, input.droppedReference, input.droppedCurrent)];
  trace.push(...(input.notes ?? []));
  const values = input.values;

  let psiBins = numericBins(input.plan.psi, input.psiCounts, nR, nC);
  let jsBins = numericBins(input.plan.jensenShannon, input.jsCounts, nR, nC);
  let psiValue: number | null = null;
  if (convention === "evidently" && input.nDistinctReference <= EVIDENTLY_PER_VALUE_MAX) {
    if (values) {
      psiBins = valueBins(values, nR, nC);
      trace.push(`reference has ${input.nDistinctReference} ≤ 20 distinct values ⇒ per-value bins (Evidently)`);
      const unseen = input.unseenCurrent;
      if (unseen) {
        // One bin per current-only value in Evidently; merged here for the plot. JS is unchanged by the
        // merge (a bin with p = 0 adds q·ln 2, linear in q); PSI is summed from the aggregates.
        psiBins = makeBins(
          "categories",
          null,
          [...psiBins.labels, `(${fmt(unseen.values)} values unseen in reference)`],
          { reference: [...psiBins.reference, 0], current: [...psiBins.current, unseen.total] },
          nR,
          nC,
        );
        psiValue = psiEvidentlyWithUnseen(
          values.map((v) => v.reference),
          values.map((v) => v.current),
          nR,
          nC,
          unseen,
        );
        trace.push(
          `${fmt(unseen.values)} current-only values: one bin each in the PSI sum (from SQL aggregates Σ ln q, Σ q ln q), merged into one bin for display`,
        );
      }
      jsBins = psiBins;
    } else {
      ctx.warnings.warn(
        "evidently-binning-fallback",
        `"${column}" has ≤ 20 distinct reference values but its per-value counts were not available; Sturges bins were used instead of Evidently's per-value bins.`,
        column,
      );
    }
  }
  trace.push(describeBins("PSI", psiBins));
  trace.push(psiTrace(convention));
  psiValue ??= psi(psiBins.reference, psiBins.current, nR, nC, psiRule(convention));
  if (jsBins !== psiBins) trace.push(describeBins("Jensen–Shannon", jsBins));
  const base = jsBase(convention);
  const js = jensenShannon(jsBins.reference, jsBins.current, base);
  trace.push(`Jensen–Shannon: base ${base === 2 ? "2" : "e"}, no epsilon`);

  const ksMode: KsMode = convention === "alibi" ? "asymp" : ctx.ksMode;
  const ksP = ksPValue(input.ksStatistic, nR, nC, ksMode);
  const ks = { statistic: input.ksStatistic, pValue: ksP.pValue };
  trace.push(
    `KS: D = ${ks.statistic}, p (${ksP.method}${ksMode !== "auto" ? `, requested ${ksMode}` : ""}) = ${ks.pValue}`,
  );
  if (ksP.fallback) trace.push(`KS: asymptotic p-value because ${ksP.fallback}`);
  const norm = Math.max(input.referenceStd, WASSERSTEIN_MIN_NORM);
  const wasserstein = input.wassersteinRaw / norm;
  trace.push(`Wasserstein: W1 = ${input.wassersteinRaw}, normed by max(std_pop(R), 0.001) = ${norm} ⇒ ${wasserstein}`);
  const bounds = input.bounds;

  let chiSquare: TestOutcome | null = null;
  let zTest: TestOutcome | null = null;
  if (values && input.nDistinct <= 5) {
    const r = values.map((v) => v.reference);
    const c = values.map((v) => v.current);
    const [chi, how] = chiSquareFor(convention, r, c);
    chiSquare = chi;
    trace.push(`${how}: χ² = ${chi.statistic}, p = ${chi.pValue}`);
    if (input.nDistinct <= 2) {
      zTest = twoProportionZTest(r, c);
      trace.push(`z-test: pooled two proportions, two-sided: z = ${zTest.statistic}, p = ${zTest.pValue}`);
    }
  }
  const nUnique = input.nDistinctIsLowerBound ? { atLeast: input.nDistinct } : input.nDistinct;
  const decision = decide(column, "numeric", nR, nUnique, ctx, {
    ks,
    wasserstein,
    jensenShannon: js,
    chiSquare,
    zTest,
  });
  trace.push(`test: ${decision.reason}`);
  let undetermined = false;
  if (bounds) {
    // The verdict at the other ends of the bounds: the table path never leaves one that differs.
    const quiet = { ...ctx, warnings: new WarningLog() };
    const dHigh = ks.statistic + bounds.ks;
    const wBound = bounds.wassersteinRaw / norm;
    const ends = [
      { ks: { statistic: dHigh, pValue: ksPValue(dHigh, nR, nC, ksMode).pValue }, wasserstein: wasserstein + wBound },
      { ks, wasserstein: Math.max(0, wasserstein - wBound) },
    ];
    undetermined = ends.some(
      (end) =>
        decide(column, "numeric", nR, nUnique, quiet, { ...end, jensenShannon: js, chiSquare, zTest }).drifted !==
        decision.drifted,
    );
    trace.push(
      `APPROXIMATE (see docs/metrics/drift.md): KS D in [${ks.statistic}, ${dHigh}] (p-value from the lower end); normed W1 within ± ${wBound}; ${undetermined ? "the verdict COULD CHANGE within these bounds (undetermined)" : "the verdict does not depend on it"}`,
    );
  }
  trace.push(verdictTrace(decision));
  return {
    column,
    kind: "numeric",
    method: decision.method,
    statistic: decision.statistic,
    pValue: decision.pValue,
    threshold: decision.threshold,
    drifted: decision.drifted,
    psi: psiValue,
    ks,
    wasserstein,
    wassersteinRaw: input.wassersteinRaw,
    jensenShannon: js,
    chiSquare,
    zTest,
    nReference: nR,
    nCurrent: nC,
    droppedReference: input.droppedReference,
    droppedCurrent: input.droppedCurrent,
    bins: { psi: psiBins, jensenShannon: jsBins },
    ...(bounds ? { errorBounds: { ks: bounds.ks, wasserstein: bounds.wassersteinRaw / norm } } : {}),
    ...(undetermined ? { undetermined } : {}),
    trace,
  };
}

export function categoricalColumnResult(input: CategoricalColumnInput, ctx: ColumnContext): DriftColumnResult {
  const { column, nReference: nR, nCurrent: nC } = input;
  const convention = ctx.convention;
  const trace = [`convention: ${convention}`, sideTrace(nR, nC, input.droppedReference, input.droppedCurrent)];
  trace.push(...(input.notes ?? []));
  const r = input.categories.map((c) => c.reference);
  const c = input.categories.map((x) => x.current);
  const labels = input.categories.map((x) => x.value);
  const psiBins = makeBins("categories", null, labels, { reference: r, current: c }, nR, nC);
  let jsBins = psiBins;
  if (convention === "nannyml") {
    const seen = input.categories.filter((x) => x.reference > 0);
    const unseen = nC - seen.reduce((a, x) => a + x.current, 0);
    const counts: SideCounts = { reference: seen.map((x) => x.reference), current: seen.map((x) => x.current) };
    const names = seen.map((x) => x.value);
    if (unseen > 0) {
      counts.reference.push(0);
      counts.current.push(unseen);
      names.push("(unseen in reference)");
    }
    jsBins = makeBins("reference-categories", null, names, counts, nR, nC);
  }
  trace.push(describeBins("PSI", psiBins));
  trace.push(psiTrace(convention));
  const psiValue = psi(r, c, nR, nC, psiRule(convention));
  if (jsBins !== psiBins) trace.push(describeBins("Jensen–Shannon", jsBins));
  const base = jsBase(convention);
  const js = jensenShannon(jsBins.reference, jsBins.current, base);
  trace.push(`Jensen–Shannon: base ${base === 2 ? "2" : "e"}, no epsilon`);
  const [chiSquare, how] = chiSquareFor(convention, r, c);
  trace.push(`${how}: χ² = ${chiSquare.statistic}, p = ${chiSquare.pValue}`);
  let zTest: TestOutcome | null = null;
  if (input.categories.length <= 2) {
    zTest = twoProportionZTest(r, c);
    trace.push(`z-test: pooled two proportions, two-sided: z = ${zTest.statistic}, p = ${zTest.pValue}`);
  }
  const decision = decide(column, "categorical", nR, input.categories.length, ctx, {
    ks: null,
    wasserstein: null,
    jensenShannon: js,
    chiSquare,
    zTest,
  });
  trace.push(`test: ${decision.reason}`);
  trace.push(verdictTrace(decision));
  return {
    column,
    kind: "categorical",
    method: decision.method,
    statistic: decision.statistic,
    pValue: decision.pValue,
    threshold: decision.threshold,
    drifted: decision.drifted,
    psi: psiValue,
    ks: null,
    wasserstein: null,
    wassersteinRaw: null,
    jensenShannon: js,
    chiSquare,
    zTest,
    nReference: nR,
    nCurrent: nC,
    droppedReference: input.droppedReference,
    droppedCurrent: input.droppedCurrent,
    bins: { psi: psiBins, jensenShannon: jsBins },
    trace,
  };
}
