/**
 * Canary (candidate) vs production (baseline) model: per-side metrics and their deltas,
 * prediction disagreement on shared ids, and the shift of the score distribution.
 *
 * - Labelled metrics (accuracy, precision, recall, f1, ROC AUC) as the performance family's
 *   `runBinaryPerformance` defines, checks and warns about them (rows with label, score and
 *   prediction present; sklearn definitions, 0/0 ⇒ null with a warning; raw scores allowed),
 *   computed for both sides together: the confusion counts in the side summary scan and AUC
 *   from rank sums in one windowed statement (`canary-sql.ts`), instead of the performance
 *   family's curves, which the canary does not report. Positive rate and mean score need no label.
 * - delta = candidate − baseline; relativeDelta = delta / |baseline| (null when baseline is 0 or null).
 *   Raw scores near the largest double (~1.8e308): the mean score is taken again over scaled scores
 *   when `avg` overflowed (stats/scaled-moments.ts); a delta beyond the largest double is ±Infinity
 *   with a `metric-overflow` warning, its relativeDelta still exact (from the halved means).
 * - Score shift: KS D and PSI from the drift family's `runDrift` (Assay defaults: PSI on reference
 *   deciles with eps 1e-4; D over the pooled values; nulls, NaN, ±Inf dropped); meanDelta from
 *   the side summary.
 * - Disagreement: with `idColumn`, the share of id-matched row pairs whose predictions differ
 *   (`canary-sql.ts`); without one, null with a warning.
 * Two inputs: one `source` split by `versionColumn` = baseline / candidate value (two temporary
 * views are created for the run and dropped afterwards), or `baselineSource` + `candidateSource`.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { runDrift } from "../drift";
import { AuditInputError } from "../errors";
import { safeRatio } from "../performance";
import { num, queryRows, type Row } from "../rows";
import { unscaleMoment, withScaledMomentsOnOverflow } from "../stats/scaled-moments";
import {
  describeRelation,
  requireBinaryLabel,
  requireColumns,
  requireNumeric,
  requireProbabilities,
} from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { type CanarySides, compileCanarySummary, compileDisagreement, compileRankSums } from "./canary-sql";

export type VersionValue = string | number;

export interface CanarySpec {
  /** One table holding both models' rows, told apart by `versionColumn`. */
  source?: string;
  versionColumn?: string;
  baseline?: VersionValue;
  candidate?: VersionValue;
  /** Or two tables. */
  baselineSource?: string;
  candidateSource?: string;
  /** Binary 0/1 label; without it only unlabelled metrics are compared. */
  label?: string;
  score: string;
  /** 0/1 prediction column; otherwise score ≥ threshold. */
  prediction?: string;
  /** Default 0.5. */
  threshold?: number;
  /** Row id shared by both sides, for prediction disagreement. */
  idColumn?: string;
}

export const CANARY_METRICS = ["accuracy", "precision", "recall", "f1", "auc", "positiveRate", "meanScore"] as const;
export type CanaryMetric = (typeof CANARY_METRICS)[number];
export type CanaryMetrics = Record<CanaryMetric, number | null>;

export interface CanaryDelta {
  metric: CanaryMetric;
  baseline: number | null;
  candidate: number | null;
  delta: number | null;
  relativeDelta: number | null;
  /**
   * Streamed datasets only (streamed-canary.ts), for ROC AUC: |relativeDelta| can be up to this much
   * larger within the two sides' AUC intervals.
   */
  relativeBound?: number;
}

export interface CanaryResult {
  baseline: { n: number; metrics: CanaryMetrics };
  candidate: { n: number; metrics: CanaryMetrics };
  deltas: CanaryDelta[];
  disagreementRate: number | null;
  /** Id-matched pairs compared for disagreement. */
  disagreementPairs: number;
  scoreShift: { ks: number | null; psi: number | null; meanDelta: number | null };
  /**
   * Streamed datasets only (streamed-canary.ts): each side's ROC AUC lies within ± auc of its
   * value, the score shift's KS D within [ks, ks + ksAbove].
   */
  errorBounds?: { auc?: { baseline: number; candidate: number }; ksAbove?: number };
  trace: string[];
  warnings: AuditWarning[];
}

interface Sides {
  baseline: string;
  candidate: string;
  cleanup: () => Promise<void>;
  columns: ColumnInfo[];
}

let viewCounter = 0;

function versionLiteral(value: VersionValue): string {
  return typeof value === "number" ? numberLiteral(value) : quoteString(value);
}

async function openSides(query: QueryFn, spec: CanarySpec, trace: string[]): Promise<Sides> {
  const single = spec.source !== undefined;
  const pair = spec.baselineSource !== undefined || spec.candidateSource !== undefined;
  if (single === pair) {
    throw new AuditInputError(
      "invalid-option",
      "Give either source + versionColumn + baseline + candidate, or baselineSource + candidateSource.",
    );
  }
  if (!single) {
    if (spec.baselineSource === undefined || spec.candidateSource === undefined) {
      throw new AuditInputError("invalid-option", "Give both baselineSource and candidateSource.");
    }
    const columns = await describeRelation(query, spec.baselineSource);
    const other = await describeRelation(query, spec.candidateSource);
    const needed = [spec.score, spec.label, spec.prediction, spec.idColumn].filter((c): c is string => c !== undefined);
    requireColumns(other, needed, spec.candidateSource);
    trace.push(`Baseline "${spec.baselineSource}", candidate "${spec.candidateSource}".`);
    return { baseline: spec.baselineSource, candidate: spec.candidateSource, columns, cleanup: async () => {} };
  }
  const source = spec.source as string;
  if (spec.versionColumn === undefined || spec.baseline === undefined || spec.candidate === undefined) {
    throw new AuditInputError("invalid-option", "With one source, give versionColumn, baseline and candidate.");
  }
  if (spec.baseline === spec.candidate) {
    throw new AuditInputError("invalid-option", "The baseline and candidate versions are the same value.");
  }
  const columns = await describeRelation(query, source);
  requireColumns(columns, [spec.versionColumn], source);
  const version = quoteIdentifier(spec.versionColumn);
  const isText = typeof spec.baseline === "string" || typeof spec.candidate === "string";
  const lhs = isText ? `CAST(${version} AS VARCHAR)` : version;
  const id = `assay_canary_${Date.now().toString(36)}_${(viewCounter++).toString(36)}`;
  const names = { baseline: `${id}_baseline`, candidate: `${id}_candidate` };
  const made: string[] = [];
  const cleanup = async () => {
    for (const name of made) await query(`DROP VIEW IF EXISTS ${quoteIdentifier(name)}`);
  };
  try {
    for (const side of ["baseline", "candidate"] as const) {
      const value = isText ? quoteString(String(spec[side])) : versionLiteral(spec[side] as VersionValue);
      await query(
        `CREATE OR REPLACE TEMP VIEW ${quoteIdentifier(names[side])} AS SELECT * FROM ${quoteIdentifier(source)} WHERE ${lhs} = ${value}`,
      );
      made.push(names[side]);
    }
  } catch (error) {
    await cleanup();
    throw error;
  }
  trace.push(
    `"${source}" split by "${spec.versionColumn}": baseline = ${JSON.stringify(spec.baseline)}, candidate = ${JSON.stringify(spec.candidate)} (temporary views, dropped after the run).`,
  );
  return { ...names, columns, cleanup };
}

function emptyMetrics(): CanaryMetrics {
  return { accuracy: null, precision: null, recall: null, f1: null, auc: null, positiveRate: null, meanScore: null };
}

type Side = "baseline" | "candidate";
const SIDES: readonly Side[] = ["baseline", "candidate"];

/** Confusion counts of one side's labelled rows, from the side summary. */
interface LabelledCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  /** Scores outside [0, 1] (allowed, as `runBinaryPerformance` with `allowRawScores`). */
  raw: boolean;
  /** This side's warnings, worded as `runBinaryPerformance` words them. */
  warnings: WarningLog;
}

/** `requireProbabilities`, except that scores outside [0, 1] are allowed: returns whether they are probabilities. */
async function checkScore(query: QueryFn, source: string, score: string): Promise<boolean> {
  try {
    await requireProbabilities(query, source, score);
    return true;
  } catch (error) {
    if (error instanceof AuditInputError && error.problem === "score-out-of-range") return false;
    throw error;
  }
}

/**
 * The checks, warnings and ratios `runBinaryPerformance` gives one side (label and prediction
 * binary, scores finite, at least one usable row, both classes present), in its order.
 */
async function labelledSide(
  query: QueryFn,
  source: string,
  spec: CanarySpec,
  row: Row | undefined,
  metrics: CanaryMetrics,
): Promise<LabelledCounts> {
  const log = new WarningLog();
  const label = spec.label as string;
  await requireBinaryLabel(query, source, label);
  if (spec.prediction !== undefined) await requireBinaryLabel(query, source, spec.prediction);
  const isProbability = await checkScore(query, source, spec.score);
  const count = (key: string) => num(row?.[key]) ?? 0;
  const dropped: [string, string | undefined][] = [
    ["null_label", label],
    ["null_score", spec.score],
    ["null_prediction", spec.prediction],
  ];
  for (const [key, column] of dropped) {
    const k = count(key);
    if (k > 0 && column !== undefined) {
      log.warn("dropped-nulls", `${k} rows with a null "${column}" were left out.`, column);
    }
  }
  const c = { tp: count("tp"), fp: count("fp"), tn: count("tn"), fn: count("fn"), raw: !isProbability, warnings: log };
  const n = c.tp + c.fp + c.tn + c.fn;
  if (n === 0) {
    throw new AuditInputError(
      "all-null",
      `No row of "${source}" has the label, score${spec.prediction ? " and prediction" : ""} all present.`,
      label,
    );
  }
  const ratio = (a: number, b: number, what: string) =>
    safeRatio(a, b, "null", log, "undefined-ratio", `${what} is undefined (0/0); reported as null.`);
  metrics.accuracy = (c.tp + c.tn) / n;
  metrics.precision = ratio(c.tp, c.tp + c.fp, "Precision (no predicted positives)");
  metrics.recall = ratio(c.tp, c.tp + c.fn, "Recall (no positive labels)");
  ratio(c.tn, c.tn + c.fp, "Specificity (no negative labels)");
  metrics.f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, "F1 (no positives, predicted or actual)");
  const positives = c.tp + c.fn;
  if (positives === 0 || positives === n) {
    throw new AuditInputError(
      "label-not-binary",
      `The label column "${label}" holds only ${positives === 0 ? "negatives (0)" : "positives (1)"} among the ${n} usable rows; ROC AUC and average precision need both classes. Check the filter or the label mapping.`,
      label,
    );
  }
  return c;
}

/** Accuracy, precision, recall, F1 and ROC AUC of both sides; fills `metrics`, logs warnings. */
async function labelledMetrics(
  query: QueryFn,
  spec: CanarySpec,
  canary: CanarySides,
  columns: ColumnInfo[],
  summary: Row[],
  metrics: Record<Side, CanaryMetrics>,
  log: WarningLog,
  trace: string[],
): Promise<void> {
  const counts = {} as Record<Side, LabelledCounts>;
  const used = { baseline: 0, candidate: 0 };
  for (const side of SIDES) {
    const row = summary.find((r) => r.side === side);
    const c = await labelledSide(query, canary[side], spec, row, metrics[side]);
    counts[side] = c;
    used[side] = c.tp + c.fp + c.tn + c.fn;
  }
  const sums = await queryRows(query, compileRankSums(canary, columns, used));
  for (const side of SIDES) {
    const r = sums.find((x) => x.side === side);
    const c = counts[side];
    const positives = c.tp + c.fn;
    const negatives = c.tn + c.fp;
    if (num(r?.n) !== used[side] || num(r?.positives) !== positives) {
      throw new Error(`canary: the ${side} rank sums do not match its counts`);
    }
    // 2U = 2·Σ mid-rank − P(P+1); both terms are exact integers.
    const twiceU = (num(r?.twice_rank_sum) ?? 0) - positives * (positives + 1);
    metrics[side].auc = twiceU / 2 / (positives * negatives);
    if (c.raw) {
      c.warnings.warn(
        "raw-scores",
        `Scores in "${spec.score}" lie outside [0, 1]; log loss and Brier are not computed (ranking metrics only).`,
        spec.score,
      );
    }
    for (const w of c.warnings.items) log.warn(w.code, `${side}: ${w.message}`, w.column);
  }
  trace.push(
    `Labelled rows (label, score${spec.prediction !== undefined ? " and prediction" : ""} present) of each side: accuracy, precision, recall and F1 from the confusion counts (0/0 ⇒ null), ROC AUC = U / (P·N) with U from exact mid-rank sums (ties count one half), as runBinaryPerformance defines them; ${used.baseline} baseline and ${used.candidate} candidate rows.`,
  );
}

/** Compares a candidate model with the baseline on the same kind of traffic. */
export async function runCanaryComparison(query: QueryFn, spec: CanarySpec): Promise<CanaryResult> {
  const threshold = spec.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) {
    throw new AuditInputError("invalid-option", `The threshold must be a finite number; got ${threshold}.`);
  }
  const trace: string[] = [];
  const log = new WarningLog();
  const sides = await openSides(query, spec, trace);
  try {
    return await compare(query, spec, threshold, sides, trace, log);
  } finally {
    await sides.cleanup();
  }
}

async function compare(
  query: QueryFn,
  spec: CanarySpec,
  threshold: number,
  sides: Sides,
  trace: string[],
  log: WarningLog,
): Promise<CanaryResult> {
  const { columns } = sides;
  const needed = [spec.score, spec.label, spec.prediction, spec.idColumn].filter((c): c is string => c !== undefined);
  requireColumns(columns, needed, spec.source ?? sides.baseline);
  requireNumeric(columns, spec.score, "score");
  const canary: CanarySides = {
    baseline: sides.baseline,
    candidate: sides.candidate,
    score: spec.score,
    prediction: spec.prediction,
    threshold,
    label: spec.label,
  };

  // Scores near the largest double overflow avg's running sum to ±Infinity although the mean is
  // an ordinary double: then the summary runs again with those sides' means over scaled scores.
  const overflowedSides = (rows: readonly Row[] | null): ReadonlySet<Side> =>
    new Set(
      SIDES.filter((side) => {
        const mean = num(rows?.find((r) => r.side === side)?.mean_score);
        return mean !== null && !Number.isFinite(mean);
      }),
    );
  const { result: summary, scaled } = await withScaledMomentsOnOverflow(
    (set: ReadonlySet<Side>) => queryRows(query, compileCanarySummary(canary, columns, set)),
    (rows) => overflowedSides(rows).size > 0,
    async (rows) => overflowedSides(rows),
  );
  const bySide = (name: string) => summary.find((r) => r.side === name);
  const n = { baseline: num(bySide("baseline")?.n) ?? 0, candidate: num(bySide("candidate")?.n) ?? 0 };
  for (const side of ["baseline", "candidate"] as const) {
    if (n[side] === 0) {
      throw new AuditInputError(
        "empty-table",
        `The ${side} side has no rows${spec.source ? ` (no "${spec.versionColumn}" = ${JSON.stringify(spec[side])} in "${spec.source}")` : ` ("${sides[side]}" is empty)`}.`,
      );
    }
  }
  const metrics = { baseline: emptyMetrics(), candidate: emptyMetrics() };
  for (const side of ["baseline", "candidate"] as const) {
    metrics[side].positiveRate = num(bySide(side)?.positive_rate);
    metrics[side].meanScore = unscaleMoment(num(bySide(side)?.mean_score), scaled.has(side));
  }
  if (scaled.size > 0) {
    trace.push(
      `Scores near the largest double overflowed the mean score's running sum on the ${[...scaled].join(" and ")} side: taken again over "${spec.score}" scaled by 2^−600 (exact for values that large) and scaled back.`,
    );
  }
  trace.push(
    `Positive prediction: ${spec.prediction !== undefined ? `"${spec.prediction}" = 1` : `"${spec.score}" ≥ ${threshold}`}; positive rate over rows with a prediction, mean score over finite scores (no label needed).`,
  );

  if (spec.label !== undefined) {
    await labelledMetrics(query, spec, canary, columns, summary, metrics, log, trace);
  } else {
    trace.push("No label: accuracy, precision, recall, F1 and AUC are not compared.");
  }

  const deltas = canaryDeltas(metrics, spec.score, log);

  let disagreementRate: number | null = null;
  let disagreementPairs = 0;
  if (spec.idColumn !== undefined) {
    const [d] = await queryRows(query, compileDisagreement(canary, spec.idColumn, columns));
    disagreementPairs = num(d?.compared) ?? 0;
    const dupB = num(d?.duplicate_baseline) ?? 0;
    const dupC = num(d?.duplicate_candidate) ?? 0;
    if (dupB + dupC > 0) {
      log.warn(
        "duplicate-ids",
        `"${spec.idColumn}" repeats (${dupB} duplicate rows in the baseline, ${dupC} in the candidate); every pair of rows sharing an id is compared.`,
        spec.idColumn,
      );
    }
    if (disagreementPairs === 0) {
      log.warn(
        "no-pairing",
        `No "${spec.idColumn}" value occurs on both sides with a prediction; disagreement is undefined.`,
      );
    } else {
      disagreementRate = (num(d?.differ) ?? 0) / disagreementPairs;
    }
    trace.push(
      `Disagreement: ${num(d?.differ) ?? 0} of ${disagreementPairs} id-matched pairs have different predictions (${num(d?.matched) ?? 0} pairs joined on "${spec.idColumn}").`,
    );
  } else {
    log.warn("no-pairing", "No idColumn given: rows cannot be paired, so the disagreement rate is not computed.");
  }

  const scoreShift = await scoreShiftOf(query, sides, spec.score, metrics, log, trace);
  return {
    baseline: { n: n.baseline, metrics: metrics.baseline },
    candidate: { n: n.candidate, metrics: metrics.candidate },
    deltas,
    disagreementRate,
    disagreementPairs,
    scoreShift,
    trace,
    warnings: log.items,
  };
}

/** delta = candidate − baseline and relativeDelta = delta / |baseline| of every metric. */
export function canaryDeltas(
  metrics: { baseline: CanaryMetrics; candidate: CanaryMetrics },
  score: string,
  log: WarningLog,
): CanaryDelta[] {
  return CANARY_METRICS.map((metric) => {
    const b = metrics.baseline[metric];
    const c = metrics.candidate[metric];
    const delta = b === null || c === null ? null : c - b;
    let relativeDelta = delta === null || b === null || b === 0 ? null : delta / Math.abs(b);
    if (b !== null && c !== null && Number.isFinite(b) && Number.isFinite(c) && !Number.isFinite(delta)) {
      // c − b of two means near ±1.7e308 exceeds the largest double; halved it does not, and the
      // ratio of halves is the relative delta (halving is exact for numbers that large).
      relativeDelta = (c / 2 - b / 2) / (Math.abs(b) / 2);
      log.warn(
        "metric-overflow",
        `The ${metric} delta (candidate − baseline${metric === "meanScore" ? ", also the score shift's meanDelta" : ""}) of "${score}" exceeds the largest double (≈1.8e308) and is reported as ${delta}; the relative delta is exact. Rescale the score column (e.g. divide it by 1e300 in a SQL cell) to compare the values themselves.`,
        score,
      );
    }
    return { metric, baseline: b, candidate: c, delta, relativeDelta };
  });
}

async function scoreShiftOf(
  query: QueryFn,
  sides: Sides,
  score: string,
  metrics: { baseline: CanaryMetrics; candidate: CanaryMetrics },
  log: WarningLog,
  trace: string[],
): Promise<CanaryResult["scoreShift"]> {
  const b = metrics.baseline.meanScore;
  const c = metrics.candidate.meanScore;
  const meanDelta = b === null || c === null ? null : c - b;
  const drift = await runDrift(query, { reference: sides.baseline, current: sides.candidate, columns: [score] });
  const column = drift.columns.find((x) => x.column === score);
  for (const w of drift.warnings) log.warn(w.code, w.message, w.column);
  if (!column) {
    log.warn("score-shift-undefined", `The drift of "${score}" could not be computed; KS and PSI are null.`, score);
    return { ks: null, psi: null, meanDelta };
  }
  trace.push(
    `Score shift from runDrift (baseline as reference): KS D = ${column.ks?.statistic ?? "n/a"}, PSI = ${column.psi} (reference-decile bins, eps 1e-4).`,
  );
  return { ks: column.ks?.statistic ?? null, psi: column.psi, meanDelta };
}
