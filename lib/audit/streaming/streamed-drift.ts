/**
 * Drift between two streamed profiles (profile.ts), without reading either table again: Assay's
 * default convention, with every approximate number given with how far off it can be.
 *
 * Numeric columns, from the two grid histograms (bins at most 1/256 of their values wide):
 *   - KS D: exact at every bin boundary; inside a bin that holds values of both sides the ECDF
 *     difference can move by at most that bin's share on either side, so D lies in
 *     [max over boundaries, max over bins of max(d + r_b, c_b − d)], d the difference below the bin.
 *     The p-value is read at the lower end, as for the table path's unrefined bins.
 *   - Wasserstein W1 = ∫|F_R − F_C|: exact over the gaps between occupied bins (F constant there);
 *     inside a bin |F_R − F_C| lies between the distance of [d − c_b, d + r_b] to 0 and its largest
 *     end, times the bin's width (clipped to the data's min and max). Reported as the midpoint ± half.
 *   - Deciles of the reference for PSI: each moved up to the largest value of the grid bin that
 *     holds its upper order statistic (at most 0.39% above that value), so that both sides' counts
 *     on those edges are exact; only values of that one bin can change sides. PSI and
 *     Jensen–Shannon are exact for those edges.
 *   - Integer columns: a bin at most 1 wide holds one integer, so D, W1, deciles and distinct
 *     values are exact there (small integers, labels and flags come out exact).
 * Categorical columns: exact (counts per value merge exactly).
 * The verdict is the table path's rule (docs/metrics.md); a column whose verdict could change inside
 * its bounds is marked `undetermined`.
 */
import { quantileCont, quantileContRanks } from "../stats/order-statistics";
import { SCALE_EXPONENT } from "../stats/scaled-moments";
import { WarningLog } from "../warnings";
import { AuditInputError } from "../errors";
import { quantileBins, type BinPlan } from "../drift/bin-plan";
import {
  type CategoricalColumnInput,
  type ColumnContext,
  categoricalColumnResult,
  type NumericColumnInput,
  numericColumnResult,
} from "../drift/column-result";
import { DECILES } from "../drift/histogram-edges";
import { compareCodePoints } from "../drift/profile-drift";
import type { DriftColumnResult, DriftResult, KsMode } from "../drift/types";
import { gridBinRange, gridBinSingleValue, gridBinUpperEdge } from "./grid";
import type { StreamedCategoricalColumn, StreamedNumericColumn, StreamedProfile } from "./profile";

export interface StreamedDriftOptions {
  /** Columns to compare; default every column profiled on both sides. */
  columns?: readonly string[];
  /** KS p-value path (SciPy `ks_2samp` method). */
  ksMode?: KsMode;
  /** Share of drifted columns at which the dataset counts as drifted (default 0.5). */
  datasetDriftShare?: number;
}

/** One occupied bin of the union of both sides, with its counts. */
export interface SharedBin {
  bin: number;
  r: number;
  c: number;
  /** The bin surely holds one value (zero, or one integer of an integer column): that value. */
  value: number | null;
}

export function sharedBins(ref: StreamedNumericColumn, cur: StreamedNumericColumn, integer: boolean): SharedBin[] {
  const out: SharedBin[] = [];
  let i = 0;
  let j = 0;
  while (i < ref.bins.length || j < cur.bins.length) {
    const a = ref.bins[i] ?? Number.POSITIVE_INFINITY;
    const b = cur.bins[j] ?? Number.POSITIVE_INFINITY;
    const bin = Math.min(a, b);
    const r = a === bin ? (ref.counts[i++] as number) : 0;
    const c = b === bin ? (cur.counts[j++] as number) : 0;
    out.push({ bin, r, c, value: gridBinSingleValue(bin, integer) });
  }
  return out;
}

export interface DistanceBounds {
  ks: { lo: number; hi: number };
  w1: { lo: number; hi: number };
}

/** KS D and W1 of two grid histograms, each as an interval that holds the exact value. */
export function distanceBounds(
  bins: readonly SharedBin[],
  nR: number,
  nC: number,
  lo: number,
  hi: number,
): DistanceBounds {
  let fr = 0;
  let fc = 0;
  let ksLo = 0;
  let ksHi = 0;
  let w1Lo = 0;
  let w1Hi = 0;
  let previousEnd = lo;
  for (const b of bins) {
    const range = gridBinRange(b.bin);
    const start = Math.max(range.lo, lo);
    const end = Math.min(range.hi, hi);
    const d = fr - fc;
    // The gap since the previous bin: the ECDFs are flat there.
    if (start > previousEnd) {
      const gap = Math.abs(d) * (start - previousEnd);
      w1Lo += gap;
      w1Hi += gap;
    }
    const r = b.r / nR;
    const c = b.c / nC;
    const after = d + r - c;
    const width = Math.max(0, end - start);
    if (b.value !== null) {
      // One value v: the difference is d below v and `after` from v on.
      const v = Math.min(Math.max(b.value, start), end);
      const exact = Math.abs(d) * (v - start) + Math.abs(after) * (end - v);
      w1Lo += exact;
      w1Hi += exact;
    } else {
      const least = d - c;
      const most = d + r;
      const far = Math.max(Math.abs(least), Math.abs(most));
      const near = least > 0 ? least : most < 0 ? -most : 0;
      w1Lo += near * width;
      w1Hi += far * width;
      if (r > 0 && c > 0) ksHi = Math.max(ksHi, most, -least);
    }
    ksLo = Math.max(ksLo, Math.abs(after));
    fr += r;
    fc += c;
    previousEnd = Math.max(previousEnd, end);
  }
  return { ks: { lo: ksLo, hi: Math.max(ksHi, ksLo) }, w1: { lo: w1Lo, hi: Math.max(w1Hi, w1Lo) } };
}

/**
 * The reference's deciles as right-closed edges that grid counts split exactly: the value of a
 * single-value bin, else the largest value of the bin that holds quantile_cont's upper rank.
 */
export function gridDecileEdges(ref: StreamedNumericColumn, integer: boolean): { edges: number[]; exact: boolean } {
  const cumulative: number[] = [];
  let total = 0;
  for (const k of ref.counts) {
    total += k;
    cumulative.push(total);
  }
  const binOfRank = (rank: number) => {
    let a = 0;
    let b = cumulative.length - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if ((cumulative[m] as number) > rank) b = m;
      else a = m + 1;
    }
    return a;
  };
  const single = (bin: number) => gridBinSingleValue(bin, integer);
  let exact = true;
  const edges = DECILES.map((q) => {
    const [below, above] = quantileContRanks(ref.n, q);
    const low = single(ref.bins[binOfRank(below)] as number);
    const bin = ref.bins[binOfRank(above)] as number;
    const high = single(bin);
    // Both order statistics known: quantile_cont itself. Integer data splits exactly at any edge.
    if (low !== null && high !== null) return quantileCont(ref.n, q, (rank) => (rank === below ? low : high));
    exact = false;
    return gridBinUpperEdge(bin);
  });
  return { edges, exact };
}

/** Counts of the right-closed bins (−∞, e0], (e0, e1], …, (ek, +∞) from a grid histogram. */
export function rightClosedCounts(bins: readonly SharedBin[], side: "r" | "c", edges: readonly number[]): number[] {
  const out = new Array<number>(edges.length + 1).fill(0);
  let k = 0;
  for (const b of bins) {
    // Edges are upper ends of bins or values of single-value bins: a bin is wholly on one side of each.
    const top = b.value ?? gridBinUpperEdge(b.bin);
    while (k < edges.length && top > (edges[k] as number)) k++;
    out[k] = (out[k] as number) + b[side];
  }
  return out;
}

/**
 * The reference's population std, which normalises W1. When its m2 overflowed (values near
 * ±1.8e308), the std is taken from the grid histogram instead (each value at its bin's middle,
 * computed on values scaled by 2^−600), within 0.39% of the exact one; the notes say so.
 */
function referenceStdOf(ref: StreamedNumericColumn, notes: string[]): number {
  if (Number.isFinite(ref.m2)) return Math.sqrt(ref.m2 / ref.n);
  const scale = 2 ** -SCALE_EXPONENT;
  // The outermost bins end at ±2^1024, which is not a double: their ends are taken scaled.
  const top = 2 ** (1024 - SCALE_EXPONENT);
  const scaled = (x: number) =>
    x === Number.POSITIVE_INFINITY ? top : x === Number.NEGATIVE_INFINITY ? -top : x * scale;
  const mids = ref.bins.map((bin) => {
    const { lo, hi } = gridBinRange(bin);
    return (scaled(lo) + scaled(hi)) / 2;
  });
  const mean = ref.mean * scale;
  let sum = 0;
  mids.forEach((mid, i) => {
    sum += (ref.counts[i] as number) * (mid - mean) ** 2;
  });
  notes.push(
    "W1 normalised by the reference's std from its grid histogram (within 0.39%): its sum of squares exceeds the double range",
  );
  return Math.sqrt(sum / ref.n) / scale;
}

function numericInput(
  ref: StreamedNumericColumn,
  cur: StreamedNumericColumn,
  warnings: WarningLog,
): NumericColumnInput | null {
  const integer = ref.integer && cur.integer;
  const bins = sharedBins(ref, cur, integer);
  const allSingle = bins.every((b) => b.value !== null);
  if (!allSingle && bins.length <= 5) {
    warnings.warn(
      "too-few-bins",
      `"${ref.column}" holds values in only ${bins.length} grid bins, too few to tell how many distinct values it has, which decides its drift test; it was left out. Load both files to drift it exactly, or profile it as categorical (\`assay profile --categorical\`).`,
      ref.column,
    );
    return null;
  }
  const lo = Math.min(ref.min as number, cur.min as number);
  const hi = Math.max(ref.max as number, cur.max as number);
  const distance = distanceBounds(bins, ref.n, cur.n, lo, hi);
  const deciles = gridDecileEdges(ref, integer);
  const plan: BinPlan = { psi: quantileBins(deciles.edges), jensenShannon: quantileBins(deciles.edges) };
  const edges = plan.psi.spec.edges;
  const counts = { reference: rightClosedCounts(bins, "r", edges), current: rightClosedCounts(bins, "c", edges) };
  const ksBound = distance.ks.hi - distance.ks.lo;
  const w1 = (distance.w1.lo + distance.w1.hi) / 2;
  const w1Bound = (distance.w1.hi - distance.w1.lo) / 2;
  const notes = [
    `streamed: grid histograms of ${ref.bins.length} (reference) and ${cur.bins.length} (current) bins, each at most 1/256 of its values wide`,
    deciles.exact
      ? "PSI: reference deciles exact (single-value bins)"
      : "PSI and Jensen–Shannon: on the reference deciles moved up to the end of the grid bin of their upper order statistic (within 0.39% of it); counts on those edges are exact",
  ];
  const shared = deciles.edges.length - edges.length;
  if (shared > 0 && !deciles.exact) {
    notes.push(
      `PSI: ${shared} of the deciles share a grid bin with another, so PSI has ${edges.length + 1} bins; exact deciles could give up to ${deciles.edges.length + 1}`,
    );
  }
  const refBins = ref.bins.length;
  return {
    column: ref.column,
    nReference: ref.n,
    nCurrent: cur.n,
    droppedReference: ref.nulls + ref.nan + ref.posInf + ref.negInf,
    droppedCurrent: cur.nulls + cur.nan + cur.posInf + cur.negInf,
    referenceStd: referenceStdOf(ref, notes),
    nDistinct: bins.length,
    ...(allSingle ? {} : { nDistinctIsLowerBound: true }),
    nDistinctReference: refBins,
    ksStatistic: distance.ks.lo,
    wassersteinRaw: w1,
    ...(ksBound > 0 || w1Bound > 0 ? { bounds: { ks: ksBound, wassersteinRaw: w1Bound } } : {}),
    plan,
    psiCounts: counts,
    jsCounts: counts,
    values:
      allSingle && bins.length <= 5
        ? bins.map((b) => ({ value: b.value as number, reference: b.r, current: b.c }))
        : null,
    notes,
  };
}

function categoricalInput(ref: StreamedCategoricalColumn, cur: StreamedCategoricalColumn): CategoricalColumnInput {
  const merged = new Map<string, { reference: number; current: number }>();
  for (const { value, count } of ref.categories) merged.set(value, { reference: count, current: 0 });
  for (const { value, count } of cur.categories) {
    const m = merged.get(value) ?? { reference: 0, current: 0 };
    m.current += count;
    merged.set(value, m);
  }
  return {
    column: ref.column,
    nReference: ref.n,
    nCurrent: cur.n,
    droppedReference: ref.dropped,
    droppedCurrent: cur.dropped,
    categories: [...merged.entries()]
      .sort(([a], [b]) => compareCodePoints(a, b))
      .map(([value, k]) => ({ value, ...k })),
    notes: ["streamed: counts per value merged over batches (exact)"],
  };
}

/** Drift of the current profile against the reference profile. */
export function streamedDrift(
  reference: StreamedProfile,
  current: StreamedProfile,
  options: StreamedDriftOptions = {},
): DriftResult {
  const share = options.datasetDriftShare ?? 0.5;
  if (!(share > 0 && share <= 1)) {
    throw new AuditInputError("invalid-option", `datasetDriftShare must be in (0, 1]; got ${share}.`);
  }
  const warnings = new WarningLog();
  const names = options.columns
    ? [...options.columns]
    : reference.columns.map((c) => c.column).filter((n) => current.columns.some((c) => c.column === n));
  const inputs: (NumericColumnInput | (CategoricalColumnInput & { categorical: true }))[] = [];
  for (const name of names) {
    const r = reference.columns.find((c) => c.column === name);
    const c = current.columns.find((x) => x.column === name);
    if (!r || !c) {
      throw new AuditInputError(
        "missing-column",
        `"${name}" is not in the ${r ? "current" : "reference"} profile (of "${r ? current.source : reference.source}"). Profile it, or leave it out of the compared columns.`,
        name,
      );
    }
    if (r.kind !== c.kind) {
      throw new AuditInputError(
        "wrong-type",
        `"${name}" is profiled as ${r.kind} in "${reference.source}" but as ${c.kind} in "${current.source}". Profile both with the same \`categorical\` option.`,
        name,
      );
    }
    const nR = r.n;
    const nC = c.n;
    if (nR === 0 || nC === 0) {
      const side = nR === 0 && nC === 0 ? "either table" : nR === 0 ? "the reference" : "the current table";
      warnings.warn(
        "column-all-null",
        `"${name}" has no non-null finite values in ${side}; it was left out of the drift verdict.`,
        name,
      );
      continue;
    }
    if (r.kind === "numeric" && c.kind === "numeric") {
      const input = numericInput(r, c, warnings);
      if (input) inputs.push(input);
    } else if (r.kind === "categorical" && c.kind === "categorical") {
      inputs.push({ ...categoricalInput(r, c), categorical: true });
    }
  }
  if (inputs.length === 0) {
    throw new AuditInputError(
      "all-null",
      "No compared column has finite, non-null values in both profiles; there is nothing to test for drift.",
    );
  }
  const ctx: ColumnContext = {
    convention: "assay",
    ksMode: options.ksMode ?? "auto",
    nColumns: inputs.length,
    warnings,
  };
  const columns: DriftColumnResult[] = inputs.map((input) =>
    "categorical" in input ? categoricalColumnResult(input, ctx) : numericColumnResult(input, ctx),
  );
  const drifted = columns.filter((c) => c.drifted).length;
  const shareDrifted = drifted / columns.length;
  const datasetDrift = shareDrifted >= share;
  const undetermined = columns.filter((c) => c.undetermined).length;
  return {
    columns,
    shareDrifted,
    datasetDrift,
    trace: [
      "convention: assay",
      `reference: streamed profile of "${reference.source}" (${reference.rows} rows, ${reference.batches} batches); current: streamed profile of "${current.source}" (${current.rows} rows, ${current.batches} batches)`,
      ...(undetermined > 0
        ? [`${undetermined} column(s) have a verdict that could change within their bounds (undetermined)`]
        : []),
      `dataset drift: share drifted ${shareDrifted} ≥ ${share} ⇒ ${datasetDrift} (undetermined columns not counted here; the check's gate counts them as drifted)`,
    ],
    warnings: warnings.items,
  };
}
