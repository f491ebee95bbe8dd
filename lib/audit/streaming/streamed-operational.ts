/**
 * Latency and error rate of a streamed dataset, read off its streamed profile (profile.ts) without
 * touching the data again, in the layout of runOperational (operational/operational.ts):
 *   - latency count, mean, min, max and the count of negative values: exact;
 *   - p50/p95/p99 (quantile_cont): exact in single-value bins (whole numbers below 512), else the
 *     midpoint of the range their grid bins allow, with `bounds` the half-widths;
 *   - the latency histogram: each grid bin counted in the equal-width bin holding its middle, so
 *     a grid bin that straddles an edge may be shown one bin off (display only, said in the trace);
 *   - error rate: exact, from a BOOLEAN column's category counts or a 0/1 numeric column's
 *     single-value bins; other error columns are refused with a message.
 * NaN or ±Inf latencies fail as on the table path.
 */
import { AuditInputError } from "../errors";
import { latencyRange } from "../operational/operational-sql";
import type { HistogramBin, OperationalResult } from "../operational/operational";
import { createTrace } from "../performance/trace";
import { wilsonInterval } from "../stats";
import { WarningLog } from "../warnings";
import { gridBinOf, gridBinRange, gridBinSingleValue } from "./grid";
import type { StreamedColumn, StreamedNumericColumn, StreamedProfile } from "./profile";
import { gridQuantile } from "./streamed-quality";

export interface StreamedOperationalSpec {
  latency?: string;
  error?: string;
  /** Equal-width histogram bins over [min, max]. Default 30. */
  histogramBins?: number;
}

/** The result, with the half-widths of p50/p95/p99 when they are not exact. */
export type StreamedOperationalResult = OperationalResult & {
  latencyBounds?: { p50: number; p95: number; p99: number };
};

function column(profile: StreamedProfile, name: string, role: string): StreamedColumn {
  const found = profile.columns.find((c) => c.column === name);
  if (found) return found;
  const inSchema = profile.schema?.find((c) => c.name === name);
  throw new AuditInputError(
    inSchema ? "wrong-type" : "missing-column",
    inSchema
      ? `The ${role} column "${name}" (${inSchema.type}) was not profiled when "${profile.source}" was streamed; load the file to use it.`
      : `Column "${name}" is not in "${profile.source}".`,
    name,
  );
}

function histogramOf(c: StreamedNumericColumn, bins: number): HistogramBin[] {
  const { first, last } = latencyRange(c.min as number, c.max as number);
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  const counts = new Array<number>(bins).fill(0);
  c.bins.forEach((bin, i) => {
    const value = gridBinSingleValue(bin, c.integer);
    const { lo, hi } = gridBinRange(bin);
    const middle = value ?? (Math.max(lo, c.min as number) + Math.min(hi, c.max as number)) / 2;
    const k = Math.min(bins - 1, Math.max(0, Math.floor((middle - first) / step)));
    counts[k] = (counts[k] as number) + (c.counts[i] as number);
  });
  return counts.map((count, i) => ({ lower: edges[i] as number, upper: edges[i + 1] as number, count }));
}

/** Errors and usable rows of an error column: BOOLEAN categories, or a 0/1 numeric column. */
function errorCounts(c: StreamedColumn, name: string): { errors: number; n: number; nulls: number } {
  if (c.kind === "categorical") {
    const values = new Set(c.categories.map((x) => x.value));
    if (c.type.toUpperCase() === "BOOLEAN" || [...values].every((v) => v === "true" || v === "false")) {
      return { errors: c.categories.find((x) => x.value === "true")?.count ?? 0, n: c.n, nulls: c.dropped };
    }
  } else if (
    c.nan + c.posInf + c.negInf === 0 &&
    c.bins.every((b) => [0, 1].includes(gridBinSingleValue(b, c.integer) ?? -1))
  ) {
    const ones = c.bins.indexOf(gridBinOf(1));
    return { errors: ones === -1 ? 0 : (c.counts[ones] as number), n: c.n, nulls: c.nulls };
  }
  throw new AuditInputError(
    "label-not-binary",
    `The error column "${name}" of a streamed dataset must be BOOLEAN or hold only 0 and 1; map it in the file, or load the file to use a status rule.`,
    name,
  );
}

/** runOperational's result, from a streamed profile. */
export function operationalFromStreamedProfile(
  profile: StreamedProfile,
  spec: StreamedOperationalSpec,
): StreamedOperationalResult {
  const bins = spec.histogramBins ?? 30;
  if (spec.latency === undefined && spec.error === undefined) {
    throw new AuditInputError("invalid-option", "Give a latency column, an error column, or both.");
  }
  const warnings = new WarningLog();
  const trace = createTrace();
  trace.parameters = {
    quantiles: [0.5, 0.95, 0.99],
    interpolation: "linear (DuckDB quantile_cont)",
    histogramBins: bins,
  };
  trace.steps.push(
    `Streamed: read off the profile of "${profile.source}" (${profile.rows} rows, ${profile.batches} batches).`,
  );
  const result: StreamedOperationalResult = {
    latency: null,
    errorRate: null,
    histogram: [],
    trace,
    warnings: warnings.items,
  };
  if (spec.latency !== undefined) {
    const c = column(profile, spec.latency, "latency");
    if (c.kind !== "numeric") {
      throw new AuditInputError(
        "wrong-type",
        `The latency column "${spec.latency}" must be numeric; it is ${c.type}.`,
        spec.latency,
      );
    }
    const nonFinite = c.nan + c.posInf + c.negInf;
    if (nonFinite > 0) {
      throw new AuditInputError(
        "non-finite-values",
        `The latency column "${spec.latency}" has ${nonFinite} NaN or infinite values. Filter them in a SQL cell first.`,
        spec.latency,
      );
    }
    if (c.nulls > 0) warnings.warn("dropped-nulls", `${c.nulls} rows with a null latency were left out.`, spec.latency);
    const negative = c.bins.reduce((acc, b, i) => acc + (b < 0 ? (c.counts[i] as number) : 0), 0);
    if (negative > 0) {
      warnings.warn(
        "negative-latency",
        `${negative} latencies are negative; check the clock or the unit.`,
        spec.latency,
      );
    }
    if (c.n === 0)
      throw new AuditInputError("all-null", `The latency column "${spec.latency}" has no values.`, spec.latency);
    const [p50, p95, p99] = [0.5, 0.95, 0.99].map((q) => gridQuantile(c, q)) as [
      { value: number; bound: number },
      { value: number; bound: number },
      { value: number; bound: number },
    ];
    result.latency = {
      p50: p50.value,
      p95: p95.value,
      p99: p99.value,
      mean: c.mean,
      max: c.max as number,
      min: c.min as number,
      n: c.n,
    };
    if (p50.bound > 0 || p95.bound > 0 || p99.bound > 0) {
      result.latencyBounds = { p50: p50.bound, p95: p95.bound, p99: p99.bound };
      trace.steps.push(
        `APPROXIMATE: p50/p95/p99 from grid bins at most 1/256 of their values wide: within ± ${p50.bound}, ${p95.bound}, ${p99.bound}.`,
      );
    } else trace.steps.push("p50/p95/p99 exact (their order statistics sit in single-value bins).");
    result.histogram = histogramOf(c, bins);
    trace.steps.push(
      `Latency over ${c.n} rows; the ${bins}-bin histogram counts each grid bin in the bin holding its middle (display only).`,
    );
  }
  if (spec.error !== undefined) {
    const { errors, n, nulls } = errorCounts(column(profile, spec.error, "error"), spec.error);
    if (nulls > 0) {
      warnings.warn(
        "dropped-nulls",
        `${nulls} rows with a null "${spec.error}" were left out of the error rate.`,
        spec.error,
      );
    }
    if (n === 0) throw new AuditInputError("all-null", `The error column "${spec.error}" has no values.`, spec.error);
    result.errorRate = { rate: errors / n, errors, n, ci: wilsonInterval(errors, n) };
    trace.steps.push(`Error rate = ${errors} failed / ${n} requests, Wilson 95% interval (exact counts).`);
  }
  result.warnings = warnings.items;
  return result;
}
