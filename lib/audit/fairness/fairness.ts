/**
 * Group fairness of a binary classifier over one or more sensitive attributes (and
 * optionally their intersections): per-group counts and rates with 95% Wilson intervals,
 * per-group ECE, Fairlearn's between-group differences and ratios, and Aequitas-style
 * disparities against a reference group. Definitions: `group-rates.ts`, `disparity.ts`.
 *
 * Conventions: `assay` (default) — a rate with a zero denominator is null with a warning;
 * `fairlearn` — such rates are 0; `aequitas` — rates as `assay`, and a disparity against
 * a zero reference is 10. Groups smaller than `minGroupSize` (default 30) are flagged,
 * never dropped. Null attribute values form the group "(null)". Rows with a null label,
 * prediction or score are dropped and counted. Per-group ECE uses 10 equal-width bins
 * (the calibration default) and needs a probability score.
 */
import type { QueryFn } from "../../engine/types";
import { type BatchCheck, sumOverBatches } from "../streaming/batch-sums";
import type { BatchStream } from "../streaming/profile";
import { uniformEdges } from "../calibration/bin-edges";
import { NULL_GROUP } from "../calibration/calibration";
import { type BinAggregate, reliabilityFromBins } from "../calibration/reliability";
import { AuditInputError } from "../errors";
import { binaryExpression } from "../performance/binary-label";
import type { ConfusionCounts } from "../performance/binary-performance";
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
import { type Disparity, disparities, spread } from "./disparity";
import { compileFairnessCounts, groupingId, thresholdPrediction } from "./fairness-sql";
import { type FairnessConvention, type FairnessGroup, groupRates } from "./group-rates";

/** Joins attribute names and group values of an intersection. */
export const INTERSECTION_SEPARATOR = " × ";
const CONVENTIONS: readonly FairnessConvention[] = ["assay", "fairlearn", "aequitas"];
/** Bins of the per-group ECE. */
export const FAIRNESS_CALIBRATION_BINS = 10;

export interface FairnessSpec {
  source: string;
  /** Binary 0/1 or boolean outcome column. */
  label: string;
  /** Probability column; predictions are `score >= threshold` unless `prediction` is given. */
  score?: string;
  /** Binary 0/1 prediction column. */
  prediction?: string;
  /** Default 0.5. */
  threshold?: number;
  /** Sensitive attribute columns (one or more). */
  attributes: string[];
  /** Also compare every intersection of two or more attributes. Default false. */
  intersections?: boolean;
  /** Reference group for disparities: one value for every attribute, or per attribute name. Default: the largest group. */
  referenceGroup?: string | Record<string, string>;
  /** Groups with fewer rows are flagged `small`. Default 30. */
  minGroupSize?: number;
  /** Default `assay`. */
  convention?: FairnessConvention;
}

export interface FairnessAttributeResult {
  /** Attribute name, e.g. "sex" or "sex × race". */
  attribute: string;
  groups: FairnessGroup[];
  demographicParityDifference: number | null;
  demographicParityRatio: number | null;
  equalizedOddsDifference: number | null;
  equalizedOddsRatio: number | null;
  equalOpportunityDifference: number | null;
  equalOpportunityRatio: number | null;
  /** Demographic parity ratio ≥ 0.8 (the four-fifths rule); null when the ratio is. */
  fourFifthsPass: boolean | null;
  referenceGroup: string;
  disparities: Disparity[];
  trace: AuditTrace;
}

export interface FairnessResult {
  attributes: FairnessAttributeResult[];
  /** Rows used. */
  n: number;
  trace: AuditTrace;
  warnings: AuditWarning[];
}

interface GroupAccumulator {
  confusion: ConfusionCounts;
  bins: BinAggregate[];
}

/** Every subset of attribute indexes with at least `min` members, smallest first. */
function subsets(count: number, min: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << count; mask++) {
    const set = [...Array(count).keys()].filter((i) => mask & (1 << i));
    if (set.length >= min) out.push(set);
  }
  return out.sort((a, b) => a.length - b.length || a.join().localeCompare(b.join()));
}

function validateOptions(spec: FairnessSpec): void {
  if (spec.attributes.length === 0)
    throw new AuditInputError("invalid-option", "Name at least one sensitive attribute.");
  if (new Set(spec.attributes).size !== spec.attributes.length) {
    throw new AuditInputError("invalid-option", "Each sensitive attribute may be named only once.");
  }
  if (spec.attributes.length > 6) {
    throw new AuditInputError("invalid-option", "At most 6 sensitive attributes can be compared at once.");
  }
  if (spec.score === undefined && spec.prediction === undefined) {
    throw new AuditInputError("invalid-option", "Give a score column, a prediction column, or both.");
  }
  if (!Number.isFinite(spec.threshold ?? 0.5))
    throw new AuditInputError("invalid-option", "The threshold must be finite.");
  const min = spec.minGroupSize ?? 30;
  if (!Number.isInteger(min) || min < 1) {
    throw new AuditInputError("invalid-option", `minGroupSize must be a positive integer; got ${min}.`);
  }
  if (!CONVENTIONS.includes(spec.convention ?? "assay")) {
    throw new AuditInputError(
      "invalid-option",
      `Unknown convention "${spec.convention}"; use ${CONVENTIONS.join(", ")}.`,
    );
  }
}

export interface FairnessRunOptions {
  /**
   * Read `spec.source` batch by batch (a streamed dataset, lib/audit/streaming): every number is a
   * sum of per-group counts and score sums, so adding up the batches gives the table's result.
   */
  batches?: BatchStream;
}

export async function runFairness(
  query: QueryFn,
  spec: FairnessSpec,
  options: FairnessRunOptions = {},
): Promise<FairnessResult> {
  validateOptions(spec);
  const threshold = spec.threshold ?? 0.5;
  const minGroupSize = spec.minGroupSize ?? 30;
  const convention = spec.convention ?? "assay";
  const columns = options.batches ? options.batches.columns : await describeRelation(query, spec.source);
  const used = [spec.label, spec.score, spec.prediction, ...spec.attributes].filter(
    (c): c is string => c !== undefined,
  );
  requireColumns(columns, used, spec.source);
  if (spec.score !== undefined) requireNumeric(columns, spec.score, "score");
  const checks: BatchCheck[] = [(q, relation) => requireBinaryLabel(q, relation, spec.label)];
  const prediction = spec.prediction;
  if (prediction !== undefined) checks.push((q, relation) => requireBinaryLabel(q, relation, prediction));
  const score = spec.score;
  if (score !== undefined) checks.push((q, relation) => requireProbabilities(q, relation, score));

  const sets = subsets(spec.attributes.length, 1).filter((s) => s.length === 1 || spec.intersections === true);
  const edges = spec.score !== undefined ? uniformEdges(FAIRNESS_CALIBRATION_BINS) : undefined;
  const compile = (source: string) =>
    compileFairnessCounts({
      source,
      labelSql: binaryExpression(spec.label, columns),
      predictionSql:
        spec.prediction !== undefined
          ? binaryExpression(spec.prediction, columns)
          : thresholdPrediction(spec.score as string, threshold),
      score: spec.score,
      attributes: spec.attributes,
      sets,
      calibrationEdges: edges,
    });
  let rows: Row[];
  let sql: string;
  let batches: number | null = null;
  if (options.batches) {
    const keys = ["gid", "bin", ...spec.attributes.map((_, i) => `v_a${i}`)];
    const summed = await sumOverBatches(query, options.batches, { checks, compile, keys });
    rows = summed.rows;
    // The statement as it runs on each batch, written against the dataset's name.
    sql = compile(spec.source);
    batches = summed.batches;
  } else {
    for (const check of checks) await check(query, spec.source);
    sql = compile(spec.source);
    rows = await queryRows(query, sql);
  }
  const warnings = new WarningLog();
  const trace = createTrace();
  trace.sql.push(sql);
  if (batches !== null) {
    trace.steps.push(
      `Streamed: the statement below ran once per batch (row group) and the counts were added up over ${batches} batches of "${spec.source}" (exact).`,
    );
  }
  trace.parameters = {
    convention,
    positiveWhen: spec.prediction !== undefined ? `${spec.prediction} = 1` : `${spec.score} >= ${threshold}`,
    minGroupSize,
    calibrationBins: edges ? FAIRNESS_CALIBRATION_BINS : null,
    confidenceInterval: "Wilson 95%",
  };

  const fullMask = (1 << spec.attributes.length) - 1;
  const dropped = num(rows.find((r) => num(r.gid) === fullMask)?.dropped) ?? 0;
  if (dropped > 0) {
    warnings.warn("dropped-nulls", `${dropped} rows with a null label, prediction or score were left out.`);
    trace.steps.push(`Dropped ${dropped} rows with a null label, prediction or score.`);
  }
  trace.steps.push(
    `One query counted tp/fp/tn/fn per group for ${sets.length} attribute set(s)${
      edges ? ` and per calibration bin (${FAIRNESS_CALIBRATION_BINS} equal-width bins)` : ""
    }.`,
  );

  const attributes = sets.map((set) => {
    const name = set.map((i) => spec.attributes[i] as string).join(INTERSECTION_SEPARATOR);
    const groups = collectGroups(rows, set, spec.attributes.length);
    if (set.length === 1 && groups.size < 2) {
      throw new AuditInputError(
        "single-group",
        `The attribute "${name}" has a single group (${[...groups.keys()].join(", ") || "no rows"}); fairness compares at least two. Choose another attribute or widen the filter.`,
        name,
      );
    }
    return attributeResult(name, groups, spec, convention, minGroupSize, edges, warnings);
  });
  const n = attributes[0]?.groups.reduce((acc, g) => acc + g.count, 0) ?? 0;
  return { attributes, n, trace, warnings: warnings.items };
}

function collectGroups(rows: Row[], set: readonly number[], attributeCount: number): Map<string, GroupAccumulator> {
  const gid = groupingId(set, attributeCount);
  const groups = new Map<string, GroupAccumulator>();
  for (const r of rows) {
    if (num(r.gid) !== gid || (num(r.n) ?? 0) === 0) continue;
    const key = set
      .map((i) => {
        const v = r[`v_a${i}`];
        return v === null || v === undefined ? NULL_GROUP : String(v);
      })
      .join(INTERSECTION_SEPARATOR);
    const acc = groups.get(key) ?? { confusion: { tp: 0, fp: 0, tn: 0, fn: 0 }, bins: [] };
    const c = (k: string) => num(r[k]) ?? 0;
    acc.confusion.tp += c("tp");
    acc.confusion.fp += c("fp");
    acc.confusion.tn += c("tn");
    acc.confusion.fn += c("fn");
    acc.bins.push({
      bin: c("bin"),
      count: c("n"),
      scoreSum: c("score_sum"),
      positives: c("tp") + c("fn"),
      squaredErrorSum: c("sq_sum"),
      minScore: 0,
      maxScore: 0,
    });
    groups.set(key, acc);
  }
  return groups;
}

/** The reference group the caller named for this attribute, if any. */
function requestedReference(spec: FairnessSpec, attribute: string): string | undefined {
  return typeof spec.referenceGroup === "string" ? spec.referenceGroup : spec.referenceGroup?.[attribute];
}

function pickReference(
  name: string,
  groups: readonly FairnessGroup[],
  spec: FairnessSpec,
  warnings: WarningLog,
): FairnessGroup {
  const wanted = requestedReference(spec, name);
  if (wanted !== undefined) {
    const found = groups.find((g) => g.group === wanted);
    if (found) return found;
    const list = groups.map((g) => `"${g.group}"`).join(", ");
    if (spec.attributes.length === 1 || typeof spec.referenceGroup === "object") {
      throw new AuditInputError(
        "invalid-option",
        `The reference group "${wanted}" is not a group of "${name}"; its groups are ${list}.`,
        name,
      );
    }
    warnings.warn("reference-not-found", `"${name}" has no group "${wanted}"; its largest group is the reference.`);
  }
  // Largest group; ties go to the first in sorted order (groups are sorted).
  return groups.reduce((best, g) => (g.count > best.count ? g : best));
}

function attributeResult(
  name: string,
  accumulators: Map<string, GroupAccumulator>,
  spec: FairnessSpec,
  convention: FairnessConvention,
  minGroupSize: number,
  edges: number[] | undefined,
  warnings: WarningLog,
): FairnessAttributeResult {
  const trace = createTrace();
  const groups: FairnessGroup[] = [...accumulators.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, acc]) => {
      const rates = groupRates(name, group, acc.confusion, convention, warnings);
      const small = rates.count < minGroupSize;
      if (small) {
        warnings.warn(
          "small-group",
          `${name} = ${group} has ${rates.count} rows (< ${minGroupSize}); its rates are unstable — read the intervals.`,
          name,
        );
      }
      const ece = edges ? reliabilityFromBins(acc.bins).ece : null;
      return { ...rates, ece, small };
    });
  const dp = spread(groups.map((g) => g.selectionRate));
  const tpr = spread(groups.map((g) => g.tpr));
  const fpr = spread(groups.map((g) => g.fpr));
  const excluded = groups.filter((g) => g.tpr === null || g.fpr === null).map((g) => g.group);
  if (excluded.length > 0) {
    trace.steps.push(`Left out of the TPR/FPR comparisons where undefined: ${excluded.join(", ")}.`);
  }
  const both = (a: number | null, b: number | null, pick: (x: number, y: number) => number) =>
    a === null || b === null ? null : pick(a, b);
  const reference = pickReference(name, groups, spec, warnings);
  trace.parameters = {
    referenceGroup: reference.group,
    referenceRule: reference.group === requestedReference(spec, name) ? "given" : "largest group",
    smallGroups: groups.filter((g) => g.small).map((g) => g.group),
  };
  trace.steps.push(
    `${groups.length} groups; differences are max − min and ratios min / max across groups (Fairlearn, between_groups).`,
    `Disparities relative to "${reference.group}"; fair when 0.8 ≤ ratio ≤ 1.25.`,
  );
  return {
    attribute: name,
    groups,
    demographicParityDifference: dp.difference,
    demographicParityRatio: dp.ratio,
    equalizedOddsDifference: both(tpr.difference, fpr.difference, Math.max),
    equalizedOddsRatio: both(tpr.ratio, fpr.ratio, Math.min),
    equalOpportunityDifference: tpr.difference,
    equalOpportunityRatio: tpr.ratio,
    fourFifthsPass: dp.ratio === null ? null : dp.ratio >= 0.8,
    referenceGroup: reference.group,
    disparities: disparities(name, groups, reference, convention, warnings),
    trace,
  };
}
