/**
 * Canary vs production on a streamed dataset (lib/audit/streaming): one source told apart by
 * `versionColumn`, read row group by row group, never held whole. The same metrics, deltas and
 * score shift as `runCanaryComparison`, from aggregates that add up over batches:
 * - rows, and the positive rate over rows with a prediction: counts per side (exact);
 * - accuracy, precision, recall and F1: the confusion counts of the streamed performance family
 *   (`runStreamedBinaryPerformance` on each side's rows; exact), and ROC AUC within its stated
 *   interval (`errorBounds.auc`); scores must be probabilities here (the table path also accepts
 *   raw scores);
 * - mean score and the score shift: each side's streamed profile of the score (mean exact to
 *   rounding; KS D and PSI as `streamedDrift` gives them, baseline as reference, KS within
 *   [ks, ks + ksAbove]).
 * Prediction disagreement joins rows by id across the whole file, which a stream cannot do:
 * `idColumn` is refused, as is the two-source form.
 */
import type { QueryFn } from "../../engine/types";
import { numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { runStreamedBinaryPerformance } from "../performance/streamed-performance";
import { num } from "../rows";
import { sumOverBatches } from "../streaming/batch-sums";
import { type BatchStream, profileStream, type StreamedProfile } from "../streaming/profile";
import { streamedDrift } from "../streaming/streamed-drift";
import { requireColumns, requireNumeric } from "../validate";
import { WarningLog } from "../warnings";
import { type CanaryMetrics, type CanaryResult, type CanarySpec, canaryDeltas, type VersionValue } from "./canary";
import { predictedPositiveSql } from "./canary-sql";

type Side = "baseline" | "candidate";
const SIDES: readonly Side[] = ["baseline", "candidate"];

let views = 0;

/** SQL that is true for the rows of one version (text compared as text, as the table path does). */
function versionPredicate(spec: CanarySpec, value: VersionValue): string {
  const version = quoteIdentifier(spec.versionColumn as string);
  const isText = typeof spec.baseline === "string" || typeof spec.candidate === "string";
  return isText
    ? `CAST(${version} AS VARCHAR) = ${quoteString(String(value))}`
    : `${version} = ${numberLiteral(value as number)}`;
}

/**
 * The rows of one version of each batch, as a temporary view over the batch. Never passes the
 * batch's Arrow on (it holds every version's rows).
 */
function sideBatches(query: QueryFn, stream: BatchStream, predicate: string, label: string): BatchStream {
  const q = stream.query ?? query;
  const view = quoteIdentifier(`__assay_canary_side_${++views}`);
  // A stream with a connection of its own closes it after its last batch, and its temporary view
  // goes with it; on the caller's connection (the CLI) the view is dropped here.
  const drop = async () => {
    if (!stream.query) await query(`DROP VIEW IF EXISTS ${view}`);
  };
  return {
    source: `${stream.source} (${label})`,
    columns: stream.columns,
    ...(stream.query ? { query: stream.query } : {}),
    close: async () => {
      await stream.close?.();
      await drop();
    },
    async next() {
      const relation = await stream.next();
      if (relation === null) {
        await drop();
        return null;
      }
      await q(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT * FROM ${quoteIdentifier(relation)} WHERE ${predicate}`);
      return view.slice(1, -1);
    },
  };
}

function emptyMetrics(): CanaryMetrics {
  return { accuracy: null, precision: null, recall: null, f1: null, auc: null, positiveRate: null, meanScore: null };
}

/**
 * Runs `work` over a new pass (opened for `columns`; with `side`, over that side's rows only),
 * closing it after, also on failure.
 */
async function overPass<T>(
  query: QueryFn,
  open: (columns: readonly string[]) => Promise<BatchStream>,
  columns: readonly string[],
  work: (stream: BatchStream) => Promise<T>,
  side?: { predicate: string; label: string },
): Promise<T> {
  const opened = await open(columns);
  const stream = side ? sideBatches(query, opened, side.predicate, side.label) : opened;
  try {
    return await work(stream);
  } finally {
    await stream.close?.();
  }
}

/** Compares the candidate with the baseline on a streamed dataset; `open` starts a pass over its batches. */
export async function runStreamedCanaryComparison(
  query: QueryFn,
  spec: CanarySpec,
  open: (columns: readonly string[]) => Promise<BatchStream>,
): Promise<CanaryResult> {
  const threshold = spec.threshold ?? 0.5;
  if (!Number.isFinite(threshold)) {
    throw new AuditInputError("invalid-option", `The threshold must be a finite number; got ${threshold}.`);
  }
  const source = spec.source;
  if (source === undefined || spec.baselineSource !== undefined || spec.candidateSource !== undefined) {
    throw new AuditInputError(
      "invalid-option",
      "A canary comparison on a streamed dataset reads one source split by versionColumn; two streamed sources cannot be compared. Load them, or put both in one file.",
    );
  }
  if (spec.versionColumn === undefined || spec.baseline === undefined || spec.candidate === undefined) {
    throw new AuditInputError("invalid-option", "With one source, give versionColumn, baseline and candidate.");
  }
  if (spec.baseline === spec.candidate) {
    throw new AuditInputError("invalid-option", "The baseline and candidate versions are the same value.");
  }
  if (spec.idColumn !== undefined) {
    throw new AuditInputError(
      "invalid-option",
      `Prediction disagreement pairs rows by "${spec.idColumn}" across the whole of "${source}", which a streamed dataset cannot do. Remove idColumn, or load the file normally.`,
    );
  }
  const trace: string[] = [];
  const log = new WarningLog();
  const roles = [spec.score, spec.label, spec.prediction].filter((c): c is string => c !== undefined);
  const read = [spec.versionColumn, ...roles];
  const predicate = {
    baseline: versionPredicate(spec, spec.baseline),
    candidate: versionPredicate(spec, spec.candidate),
  };
  trace.push(
    `"${source}" split by "${spec.versionColumn}": baseline = ${JSON.stringify(spec.baseline)}, candidate = ${JSON.stringify(spec.candidate)}; streamed: every statement ran once per batch (row group) and the results were added up.`,
  );

  // Pass 1: rows and positive predictions per side.
  const sides = { score: spec.score, prediction: spec.prediction, threshold };
  const counted = await overPass(query, open, read, async (stream) => {
    requireColumns(stream.columns, read, source);
    requireNumeric(stream.columns, spec.score, "score");
    const yhat = predictedPositiveSql({ ...sides, baseline: "", candidate: "" }, stream.columns);
    return sumOverBatches(query, stream, {
      checks: [],
      compile: (relation) => `SELECT side, count(*) AS n, count(yhat) AS n_pred, sum(yhat) AS positives
FROM (SELECT CASE WHEN ${predicate.baseline} THEN 'baseline' WHEN ${predicate.candidate} THEN 'candidate' END AS side, ${yhat} AS yhat
  FROM ${quoteIdentifier(relation)})
WHERE side IS NOT NULL
GROUP BY side`,
      keys: ["side"],
    });
  });
  const rowOf = (side: Side) => counted.rows.find((r) => r.side === side);
  const n = { baseline: num(rowOf("baseline")?.n) ?? 0, candidate: num(rowOf("candidate")?.n) ?? 0 };
  for (const side of SIDES) {
    if (n[side] === 0) {
      throw new AuditInputError(
        "empty-table",
        `The ${side} side has no rows (no "${spec.versionColumn}" = ${JSON.stringify(spec[side])} in "${source}").`,
      );
    }
  }
  const metrics = { baseline: emptyMetrics(), candidate: emptyMetrics() };
  for (const side of SIDES) {
    const predicted = num(rowOf(side)?.n_pred) ?? 0;
    metrics[side].positiveRate = predicted > 0 ? (num(rowOf(side)?.positives) ?? 0) / predicted : null;
  }
  trace.push(
    `Positive prediction: ${spec.prediction !== undefined ? `"${spec.prediction}" = 1` : `"${spec.score}" ≥ ${threshold}`}; positive rate over rows with a prediction, mean score over finite scores (no label needed). ${counted.batches} batches.`,
  );

  // Passes 2–3: each side's labelled metrics, from the streamed performance family.
  const aucBounds = { baseline: 0, candidate: 0 };
  const label = spec.label;
  if (label !== undefined) {
    for (const side of SIDES) {
      const performance = await overPass(
        query,
        open,
        read,
        (stream) =>
          runStreamedBinaryPerformance(
            query,
            {
              source: `${source} (${side})`,
              label,
              score: spec.score,
              ...(spec.prediction !== undefined ? { prediction: spec.prediction } : {}),
              threshold,
            },
            stream,
          ),
        { predicate: predicate[side], label: side },
      );
      metrics[side].accuracy = performance.accuracy;
      metrics[side].precision = performance.precision;
      metrics[side].recall = performance.recall;
      metrics[side].f1 = performance.f1;
      metrics[side].auc = performance.rocAuc;
      aucBounds[side] = performance.errorBounds?.rocAuc ?? 0;
      for (const w of performance.warnings) log.warn(w.code, `${side}: ${w.message}`, w.column);
    }
    trace.push(
      `Labelled rows of each side: accuracy, precision, recall and F1 from confusion counts added up over the batches (exact), ROC AUC from per-score-bin counts and score ranges (runStreamedBinaryPerformance): baseline ${metrics.baseline.auc} ± ${aucBounds.baseline}, candidate ${metrics.candidate.auc} ± ${aucBounds.candidate}.`,
    );
  } else {
    trace.push("No label: accuracy, precision, recall, F1 and AUC are not compared.");
  }

  // Passes 4–5: each side's streamed profile of the score: mean score and the score shift.
  const profiles = {} as Record<Side, StreamedProfile>;
  for (const side of SIDES) {
    profiles[side] = await overPass(
      query,
      open,
      read,
      async (stream) => (await profileStream(query, stream, { columns: [spec.score] })).profile,
      { predicate: predicate[side], label: side },
    );
    const column = profiles[side].columns[0];
    metrics[side].meanScore = column?.kind === "numeric" && column.n > 0 ? column.mean : null;
  }

  const deltas = canaryDeltas(metrics, spec.score, log);
  const auc = deltas.find((d) => d.metric === "auc");
  if (auc && auc.baseline !== null && auc.candidate !== null && aucBounds.baseline + aucBounds.candidate > 0) {
    // |Δ| / |B| is largest with Δ widened by both bounds and B narrowed by its own.
    const widest = Math.abs(auc.candidate - auc.baseline) + aucBounds.baseline + aucBounds.candidate;
    const narrowest = Math.abs(auc.baseline) - aucBounds.baseline;
    auc.relativeBound =
      narrowest > 0 ? widest / narrowest - Math.abs(auc.relativeDelta ?? 0) : Number.POSITIVE_INFINITY;
  }
  log.warn("no-pairing", "No idColumn given: rows cannot be paired, so the disagreement rate is not computed.");

  const b = metrics.baseline.meanScore;
  const c = metrics.candidate.meanScore;
  const meanDelta = b === null || c === null ? null : c - b;
  let scoreShift: CanaryResult["scoreShift"] = { ks: null, psi: null, meanDelta };
  let ksAbove: number | undefined;
  const drift = streamedDrift(profiles.baseline, profiles.candidate, { columns: [spec.score] });
  for (const w of drift.warnings) log.warn(w.code, w.message, w.column);
  const shift = drift.columns.find((x) => x.column === spec.score);
  if (shift) {
    scoreShift = { ks: shift.ks?.statistic ?? null, psi: shift.psi, meanDelta };
    ksAbove = shift.errorBounds?.ks;
    trace.push(
      `Score shift from the two sides' streamed profiles (baseline as reference): KS D = ${shift.ks?.statistic ?? "n/a"}${ksAbove ? ` (up to ${ksAbove} more)` : ""}, PSI = ${shift.psi} (reference deciles on the grid).`,
    );
  } else {
    log.warn(
      "score-shift-undefined",
      `The drift of "${spec.score}" could not be computed; KS and PSI are null.`,
      spec.score,
    );
  }
  const bounds: NonNullable<CanaryResult["errorBounds"]> = {
    ...(label !== undefined ? { auc: aucBounds } : {}),
    ...(ksAbove !== undefined ? { ksAbove } : {}),
  };
  return {
    baseline: { n: n.baseline, metrics: metrics.baseline },
    candidate: { n: n.candidate, metrics: metrics.candidate },
    deltas,
    disagreementRate: null,
    disagreementPairs: 0,
    scoreShift,
    ...(Object.keys(bounds).length > 0 ? { errorBounds: bounds } : {}),
    trace,
    warnings: log.items,
  };
}
