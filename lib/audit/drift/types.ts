/**
 * Public shapes of the drift audit (reference R vs current C). `DriftResult` is a JSON
 * interface read by the CLI and the UI: keep field names stable.
 */
import type { AuditWarning } from "../warnings";

/** Whose numbers to reproduce; see docs/metrics/drift.md. */
export type DriftConvention = "assay" | "evidently" | "nannyml" | "alibi";

/** The test that decides a column's drift flag. */
export type DriftMethod = "ks" | "wasserstein" | "jensen-shannon" | "chi-square" | "z-test";

/** KS p-value path: SciPy `ks_2samp` method (auto = exact up to 10 000 rows per side). */
export type KsMode = "auto" | "exact" | "asymp";

export type ColumnKind = "numeric" | "categorical";

/** How a set of bins was built. */
export type BinScheme =
  | "quantile" // reference deciles, right-closed, open outer bins (Assay default)
  | "sturges" // equal width over R ∪ C, numpy histogram semantics (Evidently)
  | "doane" // equal width over R, numpy semantics, plus an out-of-range bin (NannyML)
  | "categories" // one bin per value of R ∪ C
  | "reference-categories"; // one bin per value of R, plus one for unseen current values (NannyML)

/** Bins with per-side counts and shares, for PSI / Jensen–Shannon and for plots. */
export interface DriftBins {
  scheme: BinScheme;
  /** Numeric edges (null for categories). Quantile bins: (−∞, e0], (e0, e1], …, (ek, +∞). */
  edges: number[] | null;
  /** One label per bin, e.g. `(-inf, 1.5]`, `[0, 1.1)`, `a`, `(outside reference range)`. */
  labels: string[];
  reference: number[];
  current: number[];
  referenceShares: number[];
  currentShares: number[];
}

export interface TestOutcome {
  statistic: number;
  pValue: number;
}

export interface DriftColumnResult {
  column: string;
  kind: ColumnKind;
  /** The test that decided `drifted`. */
  method: DriftMethod;
  /** Statistic of `method` (D, normed W1, JS distance, χ², z). */
  statistic: number;
  /** p-value of `method`; null for distances (Wasserstein, Jensen–Shannon). */
  pValue: number | null;
  /** p-value threshold (drift when below) or distance threshold (drift when at or above). */
  threshold: number;
  drifted: boolean;
  psi: number;
  /** Numeric columns only. */
  ks: TestOutcome | null;
  /** W1 divided by max(population std of R, 0.001) (Evidently); numeric only. */
  wasserstein: number | null;
  wassersteinRaw: number | null;
  jensenShannon: number;
  /** Categorical columns, and numeric columns with 3–5 distinct values when that test decided. */
  chiSquare: TestOutcome | null;
  /** Pooled two-proportion z-test, when R ∪ C holds at most two distinct values. */
  zTest?: TestOutcome | null;
  nReference: number;
  nCurrent: number;
  /** Nulls, NaN and ±Inf left out of every test. */
  droppedReference: number;
  droppedCurrent: number;
  bins: { psi: DriftBins; jensenShannon: DriftBins };
  /**
   * Present only when a statistic is not exact (very large inputs, bins past the refinement budget):
   * the true KS D lies in [ks.statistic, ks.statistic + ks], the true normed Wasserstein within
   * ± wasserstein of `wasserstein`. A bound that could flip the verdict is never left: those columns
   * are computed exactly.
   */
  errorBounds?: { ks: number; wasserstein: number };
  /**
   * The verdict could change within `errorBounds` (streamed profiles only: a table run refines
   * such columns until it cannot). `drifted` is the verdict at the reported statistic.
   */
  undetermined?: boolean;
  trace: string[];
}

export interface DriftResult {
  columns: DriftColumnResult[];
  shareDrifted: number;
  datasetDrift: boolean;
  trace: string[];
  warnings: AuditWarning[];
}
