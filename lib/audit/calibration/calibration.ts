/**
 * Calibration of a binary classifier's probabilities: the reliability table (per bin:
 * count, mean score, observed positive rate), ECE = Σ (n_b / n) |rate_b − mean_b|,
 * MCE = max over non-empty bins, and the Brier score; optionally per group.
 *
 * Strategies: `uniform` (default, 10 equal-width bins on [0, 1], sklearn
 * `calibration_curve(strategy='uniform')` edges and bin rule), `quantile` (sklearn
 * `strategy='quantile'`: edges at score percentiles, numpy 'linear'), `nannyml`
 * (NannyML `_get_bin_index_edges`: equal-count bins over the sorted scores).
 * Per group, `uniform` and `quantile` use the edges of the whole table (so bins line up
 * across groups); `nannyml` lays out each group's own index bins.
 * Assumptions: the label is 0/1 or boolean, scores are probabilities in [0, 1]; rows with
 * a null label or score are dropped and counted.
 */
import type { QueryFn } from "../../engine/types";
import { type BatchCheck, sumOverBatches } from "../streaming/batch-sums";
import type { BatchStream } from "../streaming/profile";
import { AuditInputError } from "../errors";
import { binaryExpression } from "../performance/binary-label";
import { type AuditTrace, createTrace } from "../performance/trace";
import { num, queryRows, type Row } from "../rows";
import {
  describeRelation,
  requireBinaryLabel,
  requireColumns,
  requireNumeric,
  requireProbabilities,
} from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { linearPercentiles, nannymlLayout, percentilePositions, quantileLevels, uniformEdges } from "./bin-edges";
import {
  type CalibrationStrategy,
  compileCalibrationBins,
  compileOrderStatistics,
  compileScoreCount,
} from "./calibration-sql";
import { type BinAggregate, type ReliabilityBin, reliabilityFromBins } from "./reliability";

/** Shown for a null group value. */
export const NULL_GROUP = "(null)";

export interface CalibrationSpec {
  source: string;
  /** Binary 0/1 or boolean outcome column. */
  label: string;
  /** Probability column in [0, 1]. */
  score: string;
  /** Number of bins. Default 10. */
  bins?: number;
  /** Binning strategy. Default `uniform`. */
  strategy?: CalibrationStrategy;
  /** Column whose values split the rows into groups, each with its own table. */
  groupBy?: string;
}

export interface CalibrationGroup {
  /** The group's value as text; null values form the group "(null)". */
  group: string;
  ece: number | null;
  mce: number | null;
  brier: number;
  count: number;
  bins: ReliabilityBin[];
}

export interface CalibrationResult {
  ece: number;
  mce: number;
  brier: number;
  /** Rows used. */
  n: number;
  bins: ReliabilityBin[];
  groups?: CalibrationGroup[];
  trace: AuditTrace;
  warnings: AuditWarning[];
}

export const STRATEGIES: readonly CalibrationStrategy[] = ["uniform", "quantile", "nannyml"];

function aggregateOf(row: Row): BinAggregate {
  return {
    bin: num(row.bin) ?? 0,
    count: num(row.n) ?? 0,
    scoreSum: num(row.score_sum) ?? 0,
    positives: num(row.positives) ?? 0,
    squaredErrorSum: num(row.sq_sum) ?? 0,
    minScore: num(row.lo) ?? 0,
    maxScore: num(row.hi) ?? 0,
  };
}

/** Streamed datasets keep no order of all scores, which the quantile and NannyML bins need. */
export function requireStreamableStrategy(strategy: CalibrationStrategy, source: string): void {
  if (strategy === "uniform") return;
  throw new AuditInputError(
    "invalid-option",
    `The ${strategy} strategy places its bins by the order of all scores, which a streamed dataset does not keep; use the uniform strategy on "${source}", or load the file normally.`,
  );
}

export interface CalibrationRunOptions {
  /**
   * Read `spec.source` batch by batch (a streamed dataset, lib/audit/streaming). The `uniform`
   * strategy's bins are fixed, and their counts, sums, minima and maxima add up over the batches
   * to the table's; the other strategies need the whole column's order and are refused.
   */
  batches?: BatchStream;
}

export async function runCalibration(
  query: QueryFn,
  spec: CalibrationSpec,
  options: CalibrationRunOptions = {},
): Promise<CalibrationResult> {
  const bins = spec.bins ?? 10;
  const strategy = spec.strategy ?? "uniform";
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) {
    throw new AuditInputError("invalid-option", `bins must be an integer from 1 to 1000; got ${bins}.`);
  }
  if (!STRATEGIES.includes(strategy)) {
    throw new AuditInputError("invalid-option", `Unknown strategy "${strategy}"; use ${STRATEGIES.join(", ")}.`);
  }
  if (options.batches) requireStreamableStrategy(strategy, spec.source);
  const columns = options.batches ? options.batches.columns : await describeRelation(query, spec.source);
  requireColumns(columns, [spec.label, spec.score, ...(spec.groupBy ? [spec.groupBy] : [])], spec.source);
  requireNumeric(columns, spec.score, "score");
  const checks: BatchCheck[] = [
    (q, relation) => requireBinaryLabel(q, relation, spec.label),
    (q, relation) => requireProbabilities(q, relation, spec.score),
  ];
  if (!options.batches) for (const check of checks) await check(query, spec.source);
  const labelSql = binaryExpression(spec.label, columns);
  const warnings = new WarningLog();
  const trace = createTrace();
  trace.parameters = { strategy, bins, groupBy: spec.groupBy ?? null };

  let edges: number[] | undefined;
  if (strategy === "uniform") {
    edges = uniformEdges(bins);
    trace.steps.push(
      `${bins} equal-width bins on [0, 1] (np.linspace); bin k holds (e_k, e_k+1], the first also holds 0.`,
    );
  } else if (strategy === "quantile") {
    edges = await quantileEdges(query, spec, labelSql, bins, trace);
    trace.steps.push(`${bins} bins at score percentiles (numpy 'linear'); bin k holds (e_k, e_k+1].`);
  } else {
    trace.steps.push(
      `NannyML equal-count bins over scores sorted ascending (ties: negatives first); width n // ${bins}, the last bin takes the remainder.`,
    );
  }
  if (edges) trace.parameters.edges = edges;

  const compile = (source: string) =>
    compileCalibrationBins({ source, labelSql, score: spec.score, strategy, bins, edges, groupBy: spec.groupBy });
  let rows: Row[];
  if (options.batches) {
    const summed = await sumOverBatches(query, options.batches, {
      checks,
      compile,
      keys: ["level", "grp", "bin"],
      minimum: ["lo"],
      maximum: ["hi"],
    });
    rows = summed.rows;
    trace.sql.push(compile(spec.source));
    trace.steps.push(
      `Streamed: the statement below ran once per batch (row group) and the bins were added up over ${summed.batches} batches of "${spec.source}" (exact).`,
    );
  } else {
    const sql = compile(spec.source);
    trace.sql.push(sql);
    rows = await queryRows(query, sql);
  }
  const dropped = num(rows.find((r) => r.level === "dropped")?.n) ?? 0;
  if (dropped > 0) {
    warnings.warn("dropped-nulls", `${dropped} rows with a null label or score were left out.`);
    trace.steps.push(`Dropped ${dropped} rows with a null label or score.`);
  }
  const overall = rows.filter((r) => r.level === "all").map(aggregateOf);
  const n = overall.reduce((acc, a) => acc + a.count, 0);
  if (n === 0) {
    throw new AuditInputError("all-null", `No row of "${spec.source}" has both a label and a score.`, spec.label);
  }
  if (strategy === "nannyml") {
    const layout = nannymlLayout(n, bins);
    trace.parameters.binWidth = layout.width;
    trace.parameters.binCount = layout.count;
  }
  const table = reliabilityFromBins(overall, edges);
  trace.steps.push(
    `${table.bins.length} non-empty bins of ${n} rows; ECE = Σ (n_b / n)·|rate_b − mean_b| = ${table.ece}, MCE = ${table.mce}.`,
  );
  const result: CalibrationResult = {
    ece: table.ece,
    mce: table.mce,
    brier: table.brier,
    n,
    bins: table.bins,
    trace,
    warnings: warnings.items,
  };
  if (spec.groupBy !== undefined) {
    result.groups = groupTables(rows, edges, spec.groupBy, warnings);
    trace.steps.push(`Per group of "${spec.groupBy}": ${result.groups.length} groups, each with its own table.`);
  }
  result.warnings = warnings.items;
  return result;
}

async function quantileEdges(
  query: QueryFn,
  spec: CalibrationSpec,
  labelSql: string,
  bins: number,
  trace: AuditTrace,
): Promise<number[]> {
  const countSql = compileScoreCount(spec.source, spec.score, labelSql);
  const [countRow] = await queryRows(query, countSql);
  const n = num(countRow?.n) ?? 0;
  if (n === 0) {
    throw new AuditInputError("all-null", `No row of "${spec.source}" has both a label and a score.`, spec.label);
  }
  const levels = quantileLevels(bins);
  const positions = percentilePositions(n, levels);
  const statsSql = compileOrderStatistics(spec.source, spec.score, labelSql, positions);
  trace.sql.push(countSql, statsSql);
  const stats = new Map((await queryRows(query, statsSql)).map((r) => [num(r.i) ?? -1, num(r.s) ?? Number.NaN]));
  return linearPercentiles(n, levels, (i) => stats.get(i) ?? Number.NaN);
}

function groupTables(
  rows: Row[],
  edges: number[] | undefined,
  groupBy: string,
  warnings: WarningLog,
): CalibrationGroup[] {
  const byGroup = new Map<string, BinAggregate[]>();
  const unbinned = new Map<string, { count: number; squared: number }>();
  for (const r of rows) {
    if (r.level !== "group") continue;
    const name = r.grp === null ? NULL_GROUP : String(r.grp);
    const list = byGroup.get(name) ?? [];
    if (r.bin === null) unbinned.set(name, { count: num(r.n) ?? 0, squared: num(r.sq_sum) ?? 0 });
    else list.push(aggregateOf(r));
    byGroup.set(name, list);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, aggregates]) => {
      const tooSmall = unbinned.get(group);
      if (tooSmall !== undefined) {
        warnings.warn(
          "group-too-small",
          `Group "${group}" of "${groupBy}" has ${tooSmall.count} rows, too few for NannyML's 2 bins of 2; its ECE is null.`,
          groupBy,
        );
        const brier = tooSmall.squared / tooSmall.count;
        return { group, ece: null, mce: null, brier, count: tooSmall.count, bins: [] };
      }
      const t = reliabilityFromBins(aggregates, edges);
      return { group, ece: t.ece, mce: t.mce, brier: t.brier, count: t.count, bins: t.bins };
    });
}
