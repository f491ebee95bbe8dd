/**
 * The data-quality profile of a streamed dataset, read off its streamed profile (profile.ts)
 * without touching the data again, in the layout of runQualityProfile (quality/profile.ts):
 *   - counts of nulls, NaN and ±Inf, min, max, mean and sample std: exact (std up to the merge's
 *     rounding);
 *   - quantiles (quantile_cont): exact where both order statistics sit in single-value bins
 *     (whole numbers below 512, zero); otherwise the midpoint of the range their grid bins allow,
 *     clipped to min and max, with `quantileBound` the largest half-width;
 *   - distinct values: exact for categorical columns and when every bin holds one value;
 *     otherwise between the occupied bins and the finite values (`distinctInterval`, certain);
 *   - top values of categorical columns: exact.
 * Columns the stream did not profile (timestamps, lists…) are listed with a warning.
 */
import type { ColumnInfo } from "../../engine/types";
import { columnKind } from "../quality/column-kind";
import {
  PROFILE_QUANTILES,
  type ColumnProfile,
  type QualityProfileResult,
  type QuantileName,
} from "../quality/profile";
import { TOP_VALUES } from "../quality/profile-categorical";
import { quantileCont, quantileContRanks } from "../stats/order-statistics";
import { WarningLog } from "../warnings";
import { gridBinRange, gridBinSingleValue } from "./grid";
import type { StreamedCategoricalColumn, StreamedNumericColumn, StreamedProfile } from "./profile";

/** quantile_cont of a grid histogram: the value, or the midpoint of its range, and that range's half-width. */
export function gridQuantile(c: StreamedNumericColumn, q: number): { value: number; bound: number } {
  const cumulative: number[] = [];
  let total = 0;
  for (const k of c.counts) {
    total += k;
    cumulative.push(total);
  }
  const binOfRank = (rank: number) => c.bins[cumulative.findIndex((x) => x > rank)] as number;
  const [below, above] = quantileContRanks(c.n, q);
  const low = binOfRank(below);
  const high = binOfRank(above);
  const lowValue = gridBinSingleValue(low, c.integer);
  const highValue = gridBinSingleValue(high, c.integer);
  if (lowValue !== null && highValue !== null) {
    return { value: quantileCont(c.n, q, (rank) => (rank === below ? lowValue : highValue)), bound: 0 };
  }
  const from = Math.max(gridBinRange(low).lo, c.min as number);
  const to = Math.min(gridBinRange(high).hi, c.max as number);
  // Halved first: both ends near the largest double would overflow their sum.
  return { value: from / 2 + to / 2, bound: to / 2 - from / 2 };
}

function numericColumn(c: StreamedNumericColumn, rows: number): ColumnProfile {
  const extras = (c.nan > 0 ? 1 : 0) + (c.posInf > 0 ? 1 : 0) + (c.negInf > 0 ? 1 : 0);
  const single = c.bins.every((b) => gridBinSingleValue(b, c.integer) !== null);
  const distinctLow = c.bins.length + extras;
  const distinctHigh = c.n + extras;
  let quantiles: Record<QuantileName, number | null> | null = null;
  let bound = 0;
  if (c.n > 0) {
    quantiles = {} as Record<QuantileName, number | null>;
    for (const [name, q] of Object.entries(PROFILE_QUANTILES) as [QuantileName, number][]) {
      const at = gridQuantile(c, q);
      quantiles[name] = at.value;
      bound = Math.max(bound, at.bound);
    }
  }
  return {
    column: c.column,
    type: c.type,
    kind: "numeric",
    nullCount: c.nulls,
    nullRate: rows > 0 ? c.nulls / rows : 0,
    nanCount: c.nan,
    posInfCount: c.posInf,
    negInfCount: c.negInf,
    distinctCount: single ? distinctLow : Math.round((distinctLow + distinctHigh) / 2),
    distinctApproximate: !single,
    distinctInterval: single ? null : [distinctLow, distinctHigh],
    min: c.min,
    max: c.max,
    mean: c.n > 0 ? c.mean : null,
    // An m2 beyond the double range (values near ±1.8e308) gives no std, rather than Infinity.
    std: c.n > 1 && Number.isFinite(c.m2) ? Math.sqrt(c.m2 / (c.n - 1)) : null,
    quantiles,
    quantilesApproximate: bound > 0,
    quantileBound: bound,
    topValues: null,
  };
}

function categoricalColumn(c: StreamedCategoricalColumn, rows: number): ColumnProfile {
  const byCount = [...c.categories].sort(
    (a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  return {
    column: c.column,
    type: c.type,
    kind: columnKind(c.type),
    nullCount: c.dropped,
    nullRate: rows > 0 ? c.dropped / rows : 0,
    nanCount: 0,
    posInfCount: 0,
    negInfCount: 0,
    distinctCount: c.categories.length,
    distinctApproximate: false,
    distinctInterval: null,
    // Categories are in code-point order, DuckDB's order for text.
    min: c.categories[0]?.value ?? null,
    max: c.categories.at(-1)?.value ?? null,
    mean: null,
    std: null,
    quantiles: null,
    quantilesApproximate: false,
    quantileBound: 0,
    topValues: byCount.slice(0, TOP_VALUES).map(({ value, count }) => ({ value, count })),
  };
}

/** The columns of the streamed file, profiled or not. */
export function streamedSchema(profile: StreamedProfile): ColumnInfo[] {
  return profile.schema ?? profile.columns.map((c) => ({ name: c.column, type: c.type }));
}

/** runQualityProfile's result, from a streamed profile. */
export function qualityFromStreamedProfile(profile: StreamedProfile): QualityProfileResult {
  const warnings = new WarningLog();
  const columns = profile.columns.map((c) =>
    c.kind === "numeric" ? numericColumn(c, profile.rows) : categoricalColumn(c, profile.rows),
  );
  const profiled = new Set(profile.columns.map((c) => c.column));
  const left = streamedSchema(profile).filter((c) => !profiled.has(c.name));
  if (left.length > 0) {
    warnings.warn(
      "not-profiled",
      `${left.map((c) => `"${c.name}" (${c.type})`).join(", ")} ${left.length > 1 ? "were" : "was"} not profiled when the file was streamed; load the file to profile ${left.length > 1 ? "them" : "it"}.`,
    );
  }
  const approximate = columns.filter((c) => c.quantilesApproximate || c.distinctApproximate).length;
  return {
    rows: profile.rows,
    columns,
    trace: [
      `streamed profile of "${profile.source}": ${profile.rows} rows in ${profile.batches} batches, read once`,
      "counts, min, max, mean and std exact; categorical distinct and top values exact",
      approximate > 0
        ? `${approximate} numeric column(s) with quantiles or distinct counts from grid bins (at most 1/256 of their values wide): quantiles within ± quantileBound, distinct counts within distinctInterval`
        : "quantiles and distinct counts exact (every grid bin holds one value)",
    ],
    warnings: warnings.items,
  };
}
