/**
 * Operational health of a model service from its request log: latency percentiles
 * p50/p95/p99 (linear interpolation — numpy's default, DuckDB `quantile_cont`), mean and
 * max, a fixed-bin latency histogram for plotting (numpy `np.histogram` bins), and the
 * error rate = failed / requests with a known outcome, with a 95% Wilson interval.
 * The error column is a boolean or 0/1 column, or any column with an `errorWhen`
 * predicate (e.g. status ≥ 500). Null latencies and null outcomes are left out and counted.
 */
import type { QueryFn } from "../../engine/types";
import { binaryExpression } from "../performance/binary-label";
import { type AuditTrace, createTrace } from "../performance/trace";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import { quantileCont } from "../stats/order-statistics";
import { unscaleMoment } from "../stats/scaled-moments";
import { type Interval, wilsonInterval } from "../stats/wilson";
import { describeRelation, requireBinaryLabel, requireColumns, requireNumeric, requireRows } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import {
  compileLatencyHistogram,
  compileLatencyMean,
  compileLatencyOrderStatistics,
  compileOperational,
  type ErrorPredicate,
  errorPredicateSql,
  FINE_BINS,
  type FinePick,
  LATENCY_QUANTILES,
  type LatencyRange,
  latencyRange,
} from "./operational-sql";

export interface OperationalSpec {
  source: string;
  /** Numeric latency column (any unit; the unit carries through). */
  latency?: string;
  /** Boolean/0-1 error column, or a status column used with `errorWhen`. */
  error?: string;
  /** Marks a row as failed from a status column, e.g. `{ op: ">=", value: 500 }`. */
  errorWhen?: ErrorPredicate;
  /** Equal-width histogram bins over [min, max]. Default 30. */
  histogramBins?: number;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  min: number;
  n: number;
}

export interface HistogramBin {
  lower: number;
  upper: number;
  count: number;
}

export interface OperationalResult {
  latency: LatencySummary | null;
  errorRate: { rate: number; errors: number; n: number; ci: Interval | null } | null;
  /** Latency histogram, every bin listed (empty ones with count 0); empty without latency. */
  histogram: HistogramBin[];
  trace: AuditTrace;
  warnings: AuditWarning[];
}

export async function runOperational(query: QueryFn, spec: OperationalSpec): Promise<OperationalResult> {
  const bins = spec.histogramBins ?? 30;
  if (spec.latency === undefined && spec.error === undefined) {
    throw new AuditInputError("invalid-option", "Give a latency column, an error column, or both.");
  }
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) {
    throw new AuditInputError("invalid-option", `histogramBins must be an integer from 1 to 1000; got ${bins}.`);
  }
  if (spec.errorWhen !== undefined && spec.error === undefined) {
    throw new AuditInputError("invalid-option", "errorWhen needs an error (status) column.");
  }
  const columns = await describeRelation(query, spec.source);
  requireColumns(
    columns,
    [spec.latency, spec.error].filter((c): c is string => c !== undefined),
    spec.source,
  );
  await requireRows(query, spec.source);
  if (spec.latency !== undefined) requireNumeric(columns, spec.latency, "latency");
  let errorSql: string | undefined;
  if (spec.error !== undefined) {
    if (spec.errorWhen !== undefined) {
      const values = Array.isArray(spec.errorWhen.value) ? spec.errorWhen.value : [spec.errorWhen.value];
      const single = !["in", "not in"].includes(spec.errorWhen.op);
      if (values.length === 0 || (single && values.length !== 1)) {
        throw new AuditInputError(
          "invalid-option",
          `errorWhen ${spec.errorWhen.op} needs ${single ? "one value" : "values"}.`,
        );
      }
      errorSql = errorPredicateSql(spec.error, spec.errorWhen);
    } else {
      await requireBinaryLabel(query, spec.source, spec.error);
      errorSql = binaryExpression(spec.error, columns);
    }
  }

  const sql = compileOperational({ source: spec.source, latency: spec.latency, errorSql, histogramBins: bins });
  const rows = await queryRows(query, sql);
  const stats = rows.find((r) => r.kind === "stats");
  if (!stats) throw new Error("operational: the stats row is missing");
  const warnings = new WarningLog();
  const trace = createTrace();
  trace.sql.push(sql);
  trace.parameters = {
    quantiles: [...LATENCY_QUANTILES],
    interpolation: "linear (numpy default, DuckDB quantile_cont)",
    fineBins: spec.latency !== undefined ? FINE_BINS : null,
    histogramBins: bins,
    errorWhen: spec.errorWhen ? `${spec.error} ${spec.errorWhen.op} ${JSON.stringify(spec.errorWhen.value)}` : null,
  };
  const count = (key: string) => num(stats[key]) ?? 0;
  const result: OperationalResult = { latency: null, errorRate: null, histogram: [], trace, warnings: warnings.items };

  if (spec.latency !== undefined) {
    if (count("non_finite") > 0) {
      throw new AuditInputError(
        "non-finite-values",
        `The latency column "${spec.latency}" has ${count("non_finite")} NaN or infinite values. Filter them in a SQL cell first.`,
        spec.latency,
      );
    }
    if (count("null_latency") > 0) {
      warnings.warn("dropped-nulls", `${count("null_latency")} rows with a null latency were left out.`, spec.latency);
    }
    if (count("negative") > 0) {
      warnings.warn(
        "negative-latency",
        `${count("negative")} latencies are negative; check the clock or the unit.`,
        spec.latency,
      );
    }
    const n = count("n_latency");
    if (n === 0) {
      throw new AuditInputError("all-null", `The latency column "${spec.latency}" has no values.`, spec.latency);
    }
    const lo = num(stats.lo) ?? Number.NaN;
    const hi = num(stats.hi) ?? Number.NaN;
    const range = latencyRange(lo, hi);
    const latencySpec = { source: spec.source, latency: spec.latency, histogramBins: bins };
    const histSql = compileLatencyHistogram(latencySpec, range);
    trace.sql.push(histSql);
    const hist = await queryRows(query, histSql);
    const q = await percentiles(query, latencySpec, range, hist, n, trace);
    let mean = num(stats.mean) ?? Number.NaN;
    if (!Number.isFinite(mean)) {
      // avg's running sum passed the largest double (latencies near 1.8e308: a sentinel or a unit
      // error); the mean itself is an ordinary double (stats/scaled-moments.ts).
      const meanSql = compileLatencyMean(latencySpec, true);
      trace.sql.push(meanSql);
      const [row] = await queryRows(query, meanSql);
      mean = unscaleMoment(num(row?.mean), true) ?? Number.NaN;
      trace.steps.push(
        "The mean's running sum overflowed a double; it was taken again over latencies scaled by 2^−600.",
      );
    }
    result.latency = {
      p50: q[0] ?? Number.NaN,
      p95: q[1] ?? Number.NaN,
      p99: q[2] ?? Number.NaN,
      mean,
      max: hi,
      min: lo,
      n,
    };
    result.histogram = histogram(hist, bins, range);
    trace.steps.push(
      `Latency over ${n} rows: p50/p95/p99 by linear interpolation; ${bins} equal-width histogram bins.`,
    );
  }
  if (spec.error !== undefined) {
    const n = count("n_error");
    if (count("null_error") > 0) {
      warnings.warn(
        "dropped-nulls",
        `${count("null_error")} rows with a null "${spec.error}" were left out of the error rate.`,
        spec.error,
      );
    }
    if (n === 0) throw new AuditInputError("all-null", `The error column "${spec.error}" has no values.`, spec.error);
    const errors = count("errors");
    result.errorRate = { rate: errors / n, errors, n, ci: wilsonInterval(errors, n) };
    trace.steps.push(`Error rate = ${errors} failed / ${n} requests, Wilson 95% interval.`);
  }
  result.warnings = warnings.items;
  return result;
}

/**
 * p50/p95/p99 exactly as `quantile_cont`: RN = (n − 1)·q, d = RN − ⌊RN⌋, x₍⌊RN⌋₎ when d = 0,
 * else x₍⌊RN⌋₎·(1 − d) + x₍⌈RN⌉₎·d (DuckDB 1.4's arithmetic, so the doubles are identical).
 * The order statistics come from the fine bins that hold them (see operational-sql.ts).
 */
async function percentiles(
  query: QueryFn,
  spec: { source: string; latency: string },
  range: LatencyRange,
  rows: Row[],
  n: number,
  trace: AuditTrace,
): Promise<number[]> {
  const fine = new Map<number, number>();
  for (const r of rows) {
    if (r.kind !== "hist") continue;
    const j = num(r.fine) ?? -1;
    fine.set(j, (fine.get(j) ?? 0) + (num(r.count) ?? 0));
  }
  const order = [...fine.keys()].sort((a, b) => a - b);
  const ranks = new Set<number>();
  for (const q of LATENCY_QUANTILES) {
    const rn = (n - 1) * q;
    ranks.add(Math.floor(rn));
    ranks.add(Math.ceil(rn));
  }
  // Rank r lies in the first fine bin whose cumulative count exceeds it.
  const picks: (FinePick & { rank: number })[] = [];
  const sortedRanks = [...ranks].sort((a, b) => a - b);
  let below = 0;
  let i = 0;
  for (const j of order) {
    const count = fine.get(j) ?? 0;
    while (i < sortedRanks.length && (sortedRanks[i] as number) < below + count) {
      const rank = sortedRanks[i] as number;
      picks.push({ fine: j, local: rank - below, rank });
      i++;
    }
    below += count;
  }
  if (below !== n || picks.length !== sortedRanks.length) {
    throw new Error(`operational: the fine bins hold ${below} latencies, expected ${n}`);
  }
  // Position of each pick among the sorted values of the chosen bins (see compileLatencyOrderStatistics).
  const chosen = [...new Set(picks.map((p) => p.fine))].sort((a, b) => a - b);
  const offset = new Map<number, number>();
  let before = 0;
  for (const j of chosen) {
    offset.set(j, before);
    before += fine.get(j) ?? 0;
  }
  const positionOf = (p: FinePick) => (offset.get(p.fine) ?? 0) + p.local;
  const sql = compileLatencyOrderStatistics(spec, range, chosen, [...new Set(picks.map(positionOf))]);
  trace.sql.push(sql);
  const values = new Map<number, number | null>();
  for (const row of await queryRows(query, sql)) values.set(num(row.pos) ?? -1, num(row.v));
  const at = new Map<number, number>();
  for (const p of picks) {
    const v = values.get(positionOf(p));
    if (v === null || v === undefined) throw new Error(`operational: order statistic ${p.rank} is missing`);
    at.set(p.rank, v);
  }
  const binsRead = new Set(picks.map((p) => p.fine)).size;
  trace.steps.push(
    `Percentiles from the order statistics at ranks ${sortedRanks.join(", ")} (0-based, of ${n}), located through ${FINE_BINS} fine bins; ${binsRead} bin${binsRead === 1 ? "" : "s"} sorted.`,
  );
  // DuckDB 1.4's interpolation, operation for operation (checked against quantile_cont in the tests).
  return LATENCY_QUANTILES.map((q) => quantileCont(n, q, (rank) => at.get(rank) as number));
}

function histogram(hist: Row[], bins: number, { first, last }: LatencyRange): HistogramBin[] {
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  const counts = new Map<number, number>();
  for (const r of hist) {
    const bin = num(r.bin) ?? -1;
    counts.set(bin, (counts.get(bin) ?? 0) + (num(r.count) ?? 0));
  }
  return Array.from({ length: bins }, (_, i) => ({
    lower: edges[i] as number,
    upper: edges[i + 1] as number,
    count: counts.get(i) ?? 0,
  }));
}
