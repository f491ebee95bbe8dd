/**
 * The numeric side of `runDrift` against a reference table: scans 1–3 and the exact sort as fallback.
 *   1. summary: counts, min, max, mean, std per column and side (one pass over each table);
 *   1b. nannyml only: reference skewness for Doane's rule;
 *   2. fine histogram of R ∪ C per column (`fine-histogram-sql.ts`);
 *   3. the distinct values of the few bins the statistics need (`sorted-distribution.ts`), from which
 *      KS D, W1, the reference deciles, the PSI / JS bin counts and small distinct counts are exact.
 * A column whose histogram bins are not disjoint intervals (the bin map was not monotone for its
 * values) takes the exact sort instead: deciles from order statistics, then
 * `compileNumericDistribution`.
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import type { WarningLog } from "../warnings";
import { type BinPlan, equalWidthEdges, type NumericBinInputs, planNumericBins } from "./bin-plan";
import {
  EVIDENTLY_PER_VALUE_MAX,
  type NumericColumnInput,
  VALUE_LIST_CAP,
  WASSERSTEIN_MIN_NORM,
} from "./column-result";
import {
  binTransform,
  compileFineHistogram,
  compileRefinement,
  decodeFineHistogram,
  decodeRefinement,
  FINE_BINS,
  FINE_BINS_MIN,
  type FineHistogram,
  fineBinCount,
  VALUES_PER_FINE_BIN,
  integerBinTransform,
  type FineHistogramSpec,
  type RefineSpec,
} from "./fine-histogram-sql";
import { DECILES } from "./histogram-edges";
import { numpyQuantile, numpyQuantileRanks } from "../stats/order-statistics";
import {
  type BinSpec,
  binCount,
  compileNumericDistribution,
  decodeNumericDistribution,
  type NumericDistribution,
} from "./numeric-distribution-sql";
import { compileSkewness, type NumericSummary } from "./numeric-summary-sql";
import { runNumericSummary, scaledMomentsNote } from "./numeric-summary";
import { compileOrderStatistics, decodeOrderStatistics } from "./quantile-sketch";
import { type MergedBins, mergeBins, planRefinement, SortedDistribution } from "./sorted-distribution";
import { DISTANCE_THRESHOLD } from "./select-test";
import type { DriftConvention } from "./types";
import { fetchValueCounts } from "./value-counts";

export interface NumericScanOptions {
  reference: string;
  current: string;
  columns: readonly string[];
  convention: DriftConvention;
  warnings: WarningLog;
  trace: string[];
  /**
   * Columns with an integer type on both sides: their histogram has one bin per value when the range
   * allows (`integerBinTransform`).
   */
  integerColumns?: ReadonlySet<string>;
  /** Leaves a column out when it has no finite values on a side (warns); true = skip. */
  skip: (column: string, nReference: number, nCurrent: number) => boolean;
}

/** Up to this many distinct values a numeric column gets chi-square / z-test (column-result.ts). */
const SMALL_DISTINCT = 5;

type Summarised = NumericSummary & { inputs: Omit<NumericBinInputs, "deciles"> };

/** The bin-plan inputs a summary gives (all but the deciles). */
export function binInputs(s: NumericSummary, referenceSkewness: number): Omit<NumericBinInputs, "deciles"> {
  return {
    nReference: s.reference.n,
    nCurrent: s.current.n,
    referenceMin: s.reference.min ?? 0,
    referenceMax: s.reference.max ?? 0,
    currentMin: s.current.min ?? 0,
    currentMax: s.current.max ?? 0,
    referenceStd: s.reference.std ?? 0,
    referenceSkewness,
  };
}

/** Per-column result of scans 2–3 (or the fallback), before the value-count follow-up. */
interface ColumnDistribution {
  plan: BinPlan;
  dist: NumericDistribution & { nDistinctIsLowerBound: boolean };
  /** Largest possible error of KS D and of raw W1 (0: exact). */
  bounds: { ks: number; wassersteinRaw: number };
  values: { value: number; reference: number; current: number }[] | null;
}

function binSets(plan: BinPlan): BinSpec[] {
  return plan.jensenShannon === plan.psi ? [plan.psi.spec] : [plan.psi.spec, plan.jensenShannon.spec];
}

/** Counts per bin of `spec` from the sorted distribution (see `BinSpec` for the layouts). */
function countBins(d: SortedDistribution, spec: BinSpec): { reference: number[]; current: number[] } {
  const size = binCount(spec);
  const reference = new Array<number>(size).fill(0);
  const current = new Array<number>(size).fill(0);
  const nR = d.nReference;
  const nC = d.nCurrent;
  const e = spec.edges;
  if (spec.layout === "right-closed") {
    let prev: [number, number] = [0, 0];
    e.forEach((edge, j) => {
      const at = d.countsBelow(edge, true);
      reference[j] = at[0] - prev[0];
      current[j] = at[1] - prev[1];
      prev = at;
    });
    reference[e.length] = nR - prev[0];
    current[e.length] = nC - prev[1];
    return { reference, current };
  }
  const below = e.map((edge) => d.countsBelow(edge, false));
  const lastAt = d.countsBelow(e[e.length - 1] as number, true);
  for (let j = 0; j < e.length - 1; j++) {
    const hi = j === e.length - 2 ? lastAt : (below[j + 1] as [number, number]);
    const lo = below[j] as [number, number];
    reference[j] = hi[0] - lo[0];
    current[j] = hi[1] - lo[1];
  }
  const first = below[0] as [number, number];
  reference[e.length - 1] = first[0] + (nR - lastAt[0]);
  current[e.length - 1] = first[1] + (nC - lastAt[1]);
  return { reference, current };
}

/**
 * Refinement budget per column for KS and W1 (values): enough that most columns come out exact.
 * max(REFINE_MIN, REFINE_SHARE · (n_R + n_C)) is set for FINE_BINS bins. A column cut into fewer
 * bins (`fineBinCount`) holds ~FINE_BINS / bins times more values per bin, and its budget grows by
 * the same factor: it then reaches about as many bins as with FINE_BINS bins, so columns whose
 * refinement was complete (exact) with FINE_BINS bins normally stay complete with fewer. Not a
 * guarantee (fuller bins can need more of them refined), but on the bench data at 100k + 100k
 * every column stayed exact, where the unscaled budget left three approximate.
 */
export function refinementBudget(nReference: number, nCurrent: number, bins: number = FINE_BINS): number {
  const base = Math.max(REFINE_MIN, Math.ceil(REFINE_SHARE * (nReference + nCurrent)));
  return Math.ceil((base * FINE_BINS) / bins);
}
const REFINE_MIN = 50_000;
const REFINE_SHARE = 0.02;

/** Whether [value − bound, value + bound] holds the threshold: the verdict would be a guess. */
function straddles(value: number, bound: number, threshold: number): boolean {
  return bound > 0 && value - bound <= threshold && value + bound >= threshold;
}

/**
 * The histogram must count the values the summary counted. It does not when the source gives other
 * rows on each read: every statistic would then mix two samples, so the audit stops and says why.
 */
function requireSameRows(o: NumericScanOptions, s: Summarised, h: FineHistogram): void {
  const total = (n: Float64Array) => n.reduce((a, b) => a + b, 0);
  if (h.outside === 0 && total(h.reference.n) === s.reference.n && total(h.current.n) === s.current.n) return;
  throw new AuditInputError(
    "unstable-source",
    `"${s.column}" read differently on two scans of "${o.reference}" and "${o.current}": one of them gives other rows each time it is read (a view with LIMIT but no ORDER BY, USING SAMPLE, or random()). Save it as a table first (CREATE TABLE … AS SELECT …) and audit the table.`,
    s.column,
  );
}

/** The trace's account of the bins: how many per column, of which map. */
function binsTrace(spec: FineHistogramSpec): string {
  const counts = (cols: FineHistogramSpec["columns"]) =>
    [...new Set(cols.map((c) => c.transform.bins.toLocaleString("en-US")))].join(" / ");
  const root = spec.columns.filter((c) => !c.transform.integer && c.transform.bounded);
  const integer = spec.columns.filter((c) => c.transform.integer);
  const parts = [
    ...(root.length > 0
      ? [
          `${counts(root)} fourth-root spaced bins (⌈(n_R + n_C) / ${VALUES_PER_FINE_BIN}⌉ within [${FINE_BINS_MIN.toLocaleString("en-US")}, ${FINE_BINS.toLocaleString("en-US")}]) for ${root.length} column(s)`,
        ]
      : []),
    ...(integer.length > 0 ? [`one bin per integer for ${integer.length} column(s)`] : []),
  ];
  return parts.join("; ") || "none";
}

/** Scans 2 and 3 for the columns; null entries need the exact sort. */
async function histogramDistributions(
  query: QueryFn,
  o: NumericScanOptions,
  summaries: readonly Summarised[],
): Promise<(ColumnDistribution | null)[]> {
  const histSpec: FineHistogramSpec = {
    reference: o.reference,
    current: o.current,
    columns: summaries.map((s) => {
      const min = Math.min(s.reference.min ?? 0, s.current.min ?? 0);
      const max = Math.max(s.reference.max ?? 0, s.current.max ?? 0);
      const integer = o.integerColumns?.has(s.column) ? integerBinTransform(min, max) : null;
      const bins = fineBinCount(s.reference.n + s.current.n);
      return {
        column: s.column,
        transform: integer ?? binTransform(min, max, s.reference.mean, s.reference.std, bins),
      };
    }),
  };
  const histSql = compileFineHistogram(histSpec);
  const hists = histSql ? decodeFineHistogram(histSpec, await query(histSql)) : [];
  hists.forEach((h, i) => {
    if (histSpec.columns[i]?.transform.bounded) requireSameRows(o, summaries[i] as Summarised, h);
  });
  // A column whose bin map overflows, or whose bins are not disjoint intervals, takes the exact sort.
  const merged: (MergedBins | null)[] = histSpec.columns.map((c, i) => {
    const h = hists[i];
    return c.transform.bounded && h ? mergeBins(h.center, h.reference, h.current) : null;
  });
  o.trace.push(`numeric scan 2: fine histogram of ${summaries.length} column(s): ${binsTrace(histSpec)}`);

  /** Scan 3 for the given columns, then every statistic. */
  const refine = async (which: readonly number[], exact: boolean): Promise<Map<number, ColumnDistribution>> => {
    const refineSpec: RefineSpec = {
      ...histSpec,
      columns: histSpec.columns.map((c, i) => {
        const m = merged[i];
        const s = summaries[i] as Summarised;
        if (!m || !which.includes(i)) return { ...c, bins: [] };
        const bins = planRefinement(m, s.reference.n, s.current.n, {
          quantiles: DECILES,
          edges: equalWidthEdges(s.inputs, o.convention),
          distinctCap: SMALL_DISTINCT,
          referenceDistinctCap: EVIDENTLY_PER_VALUE_MAX,
          distinctCapFewReference: o.convention === "evidently" ? VALUE_LIST_CAP : SMALL_DISTINCT,
          // Integer bins hold one value each and are never refined: their count says nothing here.
          budget: exact
            ? null
            : refinementBudget(s.reference.n, s.current.n, c.transform.integer ? FINE_BINS : c.transform.bins),
          exactKs: o.convention === "alibi",
        });
        return { ...c, bins };
      }),
    };
    const sql = compileRefinement(refineSpec);
    const refined = decodeRefinement(refineSpec, sql ? await query(sql) : null);
    const bins = which.reduce((a, i) => a + (refineSpec.columns[i]?.bins.length ?? 0), 0);
    const values = which.reduce((a, i) => a + (refined[i]?.value.length ?? 0), 0);
    o.trace.push(
      `numeric scan 3${exact ? " (again, exact)" : ""}: distinct values of ${bins} bin(s) (${values} values) of ${which.length} column(s), where KS, W1, deciles, bin edges or distinct counts need them`,
    );
    const out = new Map<number, ColumnDistribution>();
    for (const i of which) {
      const m = merged[i];
      const r = refined[i];
      const s = summaries[i] as Summarised;
      if (!m || !r) continue;
      const d = new SortedDistribution(m, r, s.reference.n, s.current.n);
      const deciles = DECILES.map((q) => d.referenceQuantile(q));
      const plan = planNumericBins({ ...s.inputs, deciles }, o.convention);
      const distinct = d.distinct();
      const ks = d.ksStatistic();
      const w1 = d.wasserstein();
      out.set(i, {
        plan,
        dist: {
          nDistinct: distinct.all,
          nDistinctReference: distinct.reference,
          nDistinctIsLowerBound: !distinct.exact,
          ksStatistic: ks.value,
          wassersteinRaw: w1.value,
          bins: binSets(plan).map((spec) => countBins(d, spec)),
        },
        bounds: { ks: ks.bound, wassersteinRaw: w1.bound },
        values: distinct.exact && distinct.all <= VALUE_LIST_CAP ? d.values() : null,
      });
    }
    return out;
  };

  const usable = summaries.map((_, i) => i).filter((i) => merged[i] !== null);
  const first = await refine(usable, false);
  // A bound that could flip the Wasserstein verdict is not good enough: refine those columns fully.
  const again = usable.filter((i) => {
    const r = first.get(i);
    const s = summaries[i] as Summarised;
    if (!r) return false;
    const norm = Math.max(s.reference.std ?? 0, WASSERSTEIN_MIN_NORM);
    return straddles(r.dist.wassersteinRaw / norm, r.bounds.wassersteinRaw / norm, DISTANCE_THRESHOLD);
  });
  const second = again.length > 0 ? await refine(again, true) : new Map<number, ColumnDistribution>();
  return summaries.map((_, i) => second.get(i) ?? first.get(i) ?? null);
}

/** numpy's reference deciles from order statistics (one sort per column). */
export async function sortedDeciles(
  query: QueryFn,
  source: string,
  columns: readonly { column: string; n: number }[],
): Promise<number[][]> {
  const spec = {
    source,
    columns: columns.map(({ column, n }) => ({
      column,
      ranks: [...new Set(DECILES.flatMap((q) => numpyQuantileRanks(n, q)))].sort((a, b) => a - b),
    })),
  };
  const stats = decodeOrderStatistics(spec, await queryRows(query, compileOrderStatistics(spec)));
  return columns.map(({ n }, i) =>
    DECILES.map((q) =>
      numpyQuantile(n, q, (rank) => {
        const v = stats[i]?.get(rank);
        if (v === undefined) throw new Error(`drift: missing order statistic ${rank}`);
        return v;
      }),
    ),
  );
}

/** The exact sort for columns the histogram could not serve. */
async function sortedFallback(
  query: QueryFn,
  o: NumericScanOptions,
  summaries: readonly Summarised[],
): Promise<ColumnDistribution[]> {
  if (summaries.length === 0) return [];
  const deciles = await sortedDeciles(
    query,
    o.reference,
    summaries.map((s) => ({ column: s.column, n: s.reference.n })),
  );
  const plans = summaries.map((s, i) => planNumericBins({ ...s.inputs, deciles: deciles[i] ?? [] }, o.convention));
  const distSpec = {
    reference: o.reference,
    current: o.current,
    columns: summaries.map((s, i) => ({
      column: s.column,
      nReference: s.reference.n,
      nCurrent: s.current.n,
      bins: binSets(plans[i] as BinPlan),
    })),
  };
  const dists = decodeNumericDistribution(distSpec, await queryRows(query, compileNumericDistribution(distSpec)));
  o.trace.push(`numeric exact sort (bins not monotone) for ${summaries.map((s) => `"${s.column}"`).join(", ")}`);
  return summaries.map((_, i) => ({
    plan: plans[i] as BinPlan,
    dist: { ...(dists[i] as NumericDistribution), nDistinctIsLowerBound: false },
    bounds: { ks: 0, wassersteinRaw: 0 },
    values: null,
  }));
}

/** Scans 1–3 for the numeric columns of two tables. */
export async function numericScans(query: QueryFn, o: NumericScanOptions): Promise<Map<string, NumericColumnInput>> {
  const out = new Map<string, NumericColumnInput>();
  if (o.columns.length === 0) return out;
  const summarySpec = { reference: o.reference, current: o.current, columns: o.columns };
  const summarised1 = await runNumericSummary(query, summarySpec);
  const summaries = summarised1.summaries.filter((s) => !o.skip(s.column, s.reference.n, s.current.n));
  o.trace.push(`numeric scan 1: counts, min, max, mean, std of ${o.columns.length} column(s)`);
  const note = scaledMomentsNote(summarised1.scaled);
  if (note) o.trace.push(`numeric scan 1: ${note}`);
  if (summaries.length === 0) return out;
  const skewness = new Map<string, number>();
  if (o.convention === "nannyml") {
    const wanted = summaries
      .filter((s) => (s.reference.std ?? 0) > 0 && s.reference.n > 2)
      .map((s) => ({ column: s.column, mean: s.reference.mean ?? 0, std: s.reference.std ?? 0 }));
    if (wanted.length > 0) {
      const [row] = await queryRows(query, compileSkewness({ source: o.reference, columns: wanted }));
      wanted.forEach((w, i) => {
        skewness.set(w.column, num(row?.[`g1_${i}`]) ?? 0);
      });
      o.trace.push(`numeric scan 1b: reference skewness of ${wanted.length} column(s) for Doane's rule`);
    }
  }
  const summarised: Summarised[] = summaries.map((s) => ({
    ...s,
    inputs: binInputs(s, skewness.get(s.column) ?? 0),
  }));
  const fromHistogram = await histogramDistributions(query, o, summarised);
  const missing = summarised.filter((_, i) => fromHistogram[i] === null);
  const fromSort = await sortedFallback(query, o, missing);
  const results = summarised.map((s, i) => fromHistogram[i] ?? (fromSort[missing.indexOf(s)] as ColumnDistribution));

  const fetched = await fetchValueCounts(
    query,
    o.reference,
    o.current,
    summarised
      .map((s, i) => ({ s, r: results[i] as ColumnDistribution }))
      .filter(({ r }) => r.values === null)
      .map(({ s, r }) => ({ column: s.column, nCurrent: s.current.n, dist: r.dist })),
    o.convention,
    o.trace,
  );
  summarised.forEach((s, i) => {
    const { plan, dist, values, bounds } = results[i] as ColumnDistribution;
    const psiCounts = dist.bins[0] ?? { reference: [], current: [] };
    const follow = fetched.get(s.column);
    out.set(s.column, {
      column: s.column,
      nReference: s.reference.n,
      nCurrent: s.current.n,
      droppedReference: s.reference.dropped,
      droppedCurrent: s.current.dropped,
      referenceStd: s.reference.std ?? 0,
      nDistinct: dist.nDistinct,
      nDistinctIsLowerBound: dist.nDistinctIsLowerBound,
      nDistinctReference: dist.nDistinctReference,
      ksStatistic: dist.ksStatistic,
      wassersteinRaw: dist.wassersteinRaw,
      ...(bounds.ks > 0 || bounds.wassersteinRaw > 0 ? { bounds } : {}),
      plan,
      psiCounts,
      jsCounts: dist.bins[1] ?? psiCounts,
      values: values ?? follow?.values ?? null,
      ...(follow?.unseen ? { unseenCurrent: follow.unseen } : {}),
    });
  });
  return out;
}
