/**
 * A saved summary of a reference table, enough to test drift against it without re-reading it.
 * Plain JSON: store it beside a notebook, or as rows (see reference-profile.ts) in Parquet.
 */

/** Distinct values of R with their counts: KS and Wasserstein against it are exact. */
export interface ExactDistribution {
  exact: true;
  values: number[];
  counts: number[];
}

/**
 * R's quantile function at u = 0, 1/G, …, 1 (quantile_cont): KS and Wasserstein against it are
 * approximate (D within about 1/G plus interpolation error; W1 by the quantile-function integral).
 */
export interface QuantileSketch {
  exact: false;
  quantiles: number[];
}

export interface ProfileNumericColumn {
  column: string;
  type: string;
  kind: "numeric";
  n: number;
  dropped: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Population skewness (Doane's rule). */
  skewness: number;
  nDistinct: number;
  deciles: number[];
  /** Reference counts on the decile bins (edges = distinct deciles, right-closed, open ends). */
  quantileBins: { edges: number[]; counts: number[] };
  /** Reference counts on Doane's bins (numpy layout; the last count, values outside, is 0). */
  doaneBins: { edges: number[]; counts: number[] };
  distribution: ExactDistribution | QuantileSketch;
}

export interface ProfileCategoricalColumn {
  column: string;
  type: string;
  kind: "categorical";
  n: number;
  dropped: number;
  /** Stored as numbers (cast through DOUBLE) in the reference. */
  numericStorage: boolean;
  categories: { value: string; count: number }[];
}

export type ProfileColumn = ProfileNumericColumn | ProfileCategoricalColumn;

export interface ReferenceProfile {
  format: "assay-drift-reference-profile";
  version: 1;
  /** The table or view the profile was computed from. */
  source: string;
  /** What computed it, e.g. "assay drift profile v1". */
  createdWith: string;
  rows: number;
  columns: ProfileColumn[];
  /** Columns left out because they have no finite, non-null value. */
  skipped: string[];
}

export const PROFILE_FORMAT = "assay-drift-reference-profile";

export function isReferenceProfile(value: unknown): value is ReferenceProfile {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<ReferenceProfile>;
  return v.format === PROFILE_FORMAT && v.version === 1 && Array.isArray(v.columns);
}
