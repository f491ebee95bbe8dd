/**
 * Runs one audit check: the family's metric through the given query function, then its
 * thresholds. Records every statement it runs, so "show SQL" shows exactly what produced
 * the numbers. No math here: each number comes from the family's own module.
 */
import type { QueryFn } from "../../engine/types";
import { runCalibration } from "../calibration";
import { requireStreamableStrategy, STRATEGIES as CALIBRATION_STRATEGIES } from "../calibration/calibration";
import { runCanaryComparison } from "../canary";
import { runStreamedCanaryComparison } from "../canary/streamed-canary";
import { runDrift } from "../drift";
import { runFairness } from "../fairness";
import { runOperational } from "../operational";
import { type BinaryPerformanceResult, runBinaryPerformance } from "../performance";
import { runStreamedBinaryPerformance } from "../performance/streamed-performance";
import { compareSchemas, diffSchemas, runContract, runQualityProfile } from "../quality";
import { runWorstSlices } from "../slices";
import { runStreamedWorstSlices } from "../slices/streamed-slices";
import { AuditInputError } from "../errors";
import {
  type BatchStream,
  operationalFromStreamedProfile,
  profileStream,
  qualityFromStreamedProfile,
  type StreamedOperationalResult,
  type StreamedProfile,
  streamedDrift,
  streamedSchema,
  wholeRelation,
} from "../streaming";
import { describeRelation } from "../validate";
import {
  type CheckOutcome,
  type CheckParams,
  type CheckResult,
  type DriftCheckParams,
  type Measurement,
  type QualityCheckParams,
  STREAMABLE_FAMILIES,
  streamableFamiliesText,
} from "./types";
import { fairnessSpecOf } from "./conventions";
import { measure, worstVerdict } from "./verdict";

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Wraps a query function so the statements it runs are recorded in order. */
export function recordingQuery(query: QueryFn): { query: QueryFn; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    query: (sql) => {
      statements.push(sql);
      return query(sql);
    },
  };
}

/** How a check reaches datasets that were streamed (profiled batch by batch) instead of loaded. */
export interface CheckContext {
  /** Datasets that were streamed: the families in STREAMABLE_FAMILIES can read them. */
  streamed?: ReadonlySet<string>;
  /** The profile of a streamed dataset; when absent, it is profiled from its table (the CLI). */
  profileOf?: (name: string) => StreamedProfile | undefined;
  /** Told of a whole-table profile computed here, so that later checks can reuse it (the CLI). */
  keepProfile?: (name: string, profile: StreamedProfile) => void;
  /**
   * The batches of a streamed dataset, read again from its file (the app); when absent, the
   * dataset is a table and is read as one (the CLI). With `columns`, the batches need hold only
   * those (a check reads a few columns of a wide file: the app decodes only them).
   */
  batchesOf?: (name: string, columns?: readonly string[]) => Promise<BatchStream>;
}

/** The datasets a check reads. */
function datasetsOf(p: CheckParams): string[] {
  const fields = p as unknown as { source?: unknown; reference?: unknown; current?: unknown };
  return [fields.source, fields.reference, fields.current].filter((x): x is string => typeof x === "string");
}

async function streamedProfileOf(query: QueryFn, name: string, context: CheckContext, columns: readonly string[] = []) {
  const saved = context.streamed?.has(name) ? context.profileOf?.(name) : undefined;
  if (saved) return saved;
  const { profile } = await profileStream(query, await wholeRelation(query, name), {
    ...(columns.length > 0 ? { columns } : {}),
  });
  if (columns.length === 0 && context.streamed?.has(name)) context.keepProfile?.(name, profile);
  return profile;
}

/**
 * Opens a pass over a dataset read by several passes (slices, canary): the app's file again,
 * holding only `columns`, or in the CLI the loaded table as one batch (the same numbers).
 */
function passesOver(
  query: QueryFn,
  context: CheckContext,
  name: string,
): (columns?: readonly string[]) => Promise<BatchStream> {
  return async (columns) =>
    context.streamed?.has(name) && context.batchesOf ? context.batchesOf(name, columns) : wholeRelation(query, name);
}

/**
 * Runs `work` over the batches of a streamed dataset when the app can read its file again
 * (closing them after, also on failure), and without batches otherwise: a dataset that is not
 * streamed, or the CLI, where a streamed dataset is a loaded table.
 */
async function overBatches<T>(
  streamed: boolean,
  context: CheckContext,
  name: string,
  columns: readonly (string | undefined)[],
  work: (batches: BatchStream | undefined) => Promise<T>,
): Promise<T> {
  const read = columns.filter((c): c is string => c !== undefined);
  const batches = streamed && context.batchesOf ? await context.batchesOf(name, read) : undefined;
  try {
    return await work(batches);
  } finally {
    await batches?.close?.();
  }
}

/** Quality of a streamed dataset: its profile read off the streamed profile, schemas from the column lists. */
async function computeStreamedQuality(query: QueryFn, p: QualityCheckParams, context: CheckContext) {
  if (p.contract) {
    throw new AuditInputError(
      "invalid-option",
      `A data contract counts the rows that break each rule, which needs "${p.source}" loaded as a table; streamed datasets get the profile and the schema diff only. Remove the contract, or load the file normally.`,
    );
  }
  const streamed = (name: string) => context.streamed?.has(name) ?? false;
  // The app's saved profile knows the file's columns; in the CLI the file is a table to describe.
  const columnsOf = async (name: string) => {
    const saved = streamed(name) ? context.profileOf?.(name) : undefined;
    return saved ? streamedSchema(saved) : describeRelation(query, name);
  };
  const profile = streamed(p.source)
    ? qualityFromStreamedProfile(await streamedProfileOf(query, p.source, context))
    : await runQualityProfile(query, { source: p.source });
  const schema = p.reference ? compareSchemas(await columnsOf(p.reference), await columnsOf(p.source)) : null;
  return { profile, schema };
}

/** Drift when either side was streamed: from the two profiles, with stated bounds. */
async function computeStreamedDrift(query: QueryFn, p: DriftCheckParams, context: CheckContext) {
  if (p.convention !== "assay") {
    throw new AuditInputError(
      "invalid-option",
      `Drift of a streamed dataset uses Assay's convention only (its profile holds no raw values for ${p.convention}'s bins). Choose the "assay" convention, or load the files normally if they fit in memory.`,
    );
  }
  const reference: StreamedProfile = await streamedProfileOf(query, p.reference, context, p.columns);
  const current: StreamedProfile = await streamedProfileOf(query, p.current, context, p.columns);
  return streamedDrift(reference, current, p.columns.length > 0 ? { columns: p.columns } : {});
}

async function compute(
  query: QueryFn,
  p: CheckParams,
  context: CheckContext,
): Promise<{ result: CheckResult; measurements: Measurement[] }> {
  const streamed = datasetsOf(p).find((name) => context.streamed?.has(name));
  if (streamed !== undefined && !STREAMABLE_FAMILIES.includes(p.family)) {
    throw new AuditInputError(
      "invalid-option",
      `"${streamed}" was streamed (read row group by row group, not loaded), so only ${streamableFamiliesText()} checks can read it. Load the file normally to run a ${p.family} check on it, if it fits in memory.`,
    );
  }
  switch (p.family) {
    case "quality": {
      const { profile, schema } =
        streamed !== undefined
          ? await computeStreamedQuality(query, p, context)
          : {
              profile: await runQualityProfile(query, { source: p.source }),
              schema: p.reference ? await diffSchemas(query, { reference: p.reference, current: p.source }) : null,
            };
      const contract = p.contract ? await runContract(query, { source: p.source, contract: p.contract }) : null;
      const schemaViolations = schema ? schema.removed.length + schema.typeChanged.length : 0;
      const violations = schemaViolations + (contract?.totalViolations ?? 0);
      const parts = [
        schema ? `${schema.removed.length} removed, ${schema.typeChanged.length} retyped columns` : null,
        contract ? `${contract.totalViolations} contract violations` : null,
      ].filter(Boolean);
      return {
        result: { family: "quality", profile, schema, contract },
        measurements: [
          measure("violations", "Schema and contract violations", violations, "<=", p.maxViolations, parts.join("; ")),
        ],
      };
    }
    case "drift": {
      const drift =
        streamed !== undefined
          ? await computeStreamedDrift(query, p, context)
          : await runDrift(query, {
              reference: p.reference,
              current: p.current,
              ...(p.columns.length > 0 ? { columns: p.columns } : {}),
              convention: p.convention,
            });
      const drifted = drift.columns.filter((c) => c.drifted).map((c) => c.column);
      // A streamed column whose verdict could change within its bounds counts against the gate.
      const undetermined = drift.columns.filter((c) => c.undetermined && !c.drifted).map((c) => c.column);
      const share =
        undetermined.length > 0 ? (drifted.length + undetermined.length) / drift.columns.length : drift.shareDrifted;
      return {
        result: { family: "drift", drift },
        measurements: [
          measure(
            "share-drifted",
            undetermined.length > 0 ? "Share of drifted or undetermined columns" : "Share of drifted columns",
            share,
            "<",
            p.maxDriftShare,
            `${drifted.length} of ${drift.columns.length} drifted${drifted.length ? `: ${drifted.join(", ")}` : ""}${undetermined.length ? `; ${undetermined.length} undetermined within their bounds: ${undetermined.join(", ")}` : ""}`,
          ),
        ],
      };
    }
    case "performance": {
      const spec = {
        source: p.source,
        label: p.label,
        score: p.score,
        ...(p.prediction ? { prediction: p.prediction } : {}),
        threshold: p.threshold,
      };
      // Streamed: the app reads the file again; the CLI reads its table as one batch: the same bins,
      // the same interval, so `assay run` reproduces the app's measurement.
      const performance: BinaryPerformanceResult =
        streamed !== undefined
          ? await overBatches(true, context, p.source, [p.label, p.score, p.prediction], async (batches) =>
              runStreamedBinaryPerformance(query, spec, batches ?? (await wholeRelation(query, p.source))),
            )
          : await runBinaryPerformance(query, spec);
      const bound = performance.errorBounds?.rocAuc;
      return {
        result: { family: "performance", performance },
        measurements: [
          bound === undefined
            ? measure("roc-auc", "ROC AUC", performance.rocAuc, ">=", p.minRocAuc)
            : // The gate reads the interval's lower end: a streamed AUC passes only if it surely does.
              measure(
                "roc-auc",
                "ROC AUC (lower end of its streamed interval)",
                (performance.rocAuc as number) - bound,
                ">=",
                p.minRocAuc,
                `${performance.rocAuc} ± ${bound}`,
              ),
        ],
      };
    }
    case "calibration": {
      // The app cannot run other strategies on a streamed dataset (runCalibration refuses them
      // with batches): neither does the CLI on its loaded table. An unknown name is runCalibration's
      // own error.
      const strategy = p.strategy ?? "uniform";
      if (streamed !== undefined && CALIBRATION_STRATEGIES.includes(strategy)) {
        requireStreamableStrategy(strategy, p.source);
      }
      const calibration = await overBatches(streamed !== undefined, context, p.source, [p.label, p.score], (batches) =>
        runCalibration(
          query,
          { source: p.source, label: p.label, score: p.score, bins: p.bins, strategy: p.strategy },
          batches ? { batches } : {},
        ),
      );
      return {
        result: { family: "calibration", calibration },
        measurements: [measure("ece", "Expected calibration error", calibration.ece, "<=", p.maxEce)],
      };
    }
    case "fairness": {
      const fairnessSpec = fairnessSpecOf(p);
      const fairness = await overBatches(
        streamed !== undefined,
        context,
        p.source,
        [fairnessSpec.label, fairnessSpec.score, fairnessSpec.prediction, ...fairnessSpec.attributes],
        (batches) => runFairness(query, fairnessSpec, batches ? { batches } : {}),
      );
      return {
        result: { family: "fairness", fairness },
        measurements: fairness.attributes.map((a) =>
          measure(
            `parity-${a.attribute}`,
            `Demographic parity ratio (${a.attribute})`,
            a.demographicParityRatio,
            ">=",
            p.minParityRatio,
            a.groups
              .map((g) => `${g.group}: ${g.selectionRate === null ? "undefined" : percent(g.selectionRate)}`)
              .join(", "),
          ),
        ),
      };
    }
    case "slices": {
      const spec = {
        source: p.source,
        label: p.label,
        score: p.score,
        ...(p.prediction ? { prediction: p.prediction } : {}),
        threshold: p.threshold,
        metric: p.metric,
        minSupport: p.minSupport,
        ...(p.pairColumns !== undefined ? { pairColumns: p.pairColumns } : {}),
      };
      // Streamed: two passes over the app's file, or over the CLI's table as one batch (same counts).
      const slices =
        streamed !== undefined
          ? await runStreamedWorstSlices(query, spec, {
              profile: await streamedProfileOf(query, p.source, context),
              open: passesOver(query, context, p.source),
            })
          : await runWorstSlices(query, spec);
      const worst = slices.slices.find((s) => s.significant) ?? null;
      return {
        result: { family: "slices", slices },
        measurements: [
          measure(
            "worst-gap",
            `Worst significant slice gap (${p.metric.replace("_", " ")})`,
            worst ? Math.abs(worst.gap) : 0,
            "<=",
            p.maxGap,
            worst ? `${worst.description} (n = ${worst.n})` : "no slice differs significantly from the whole",
          ),
        ],
      };
    }
    case "canary": {
      const spec = {
        source: p.source,
        versionColumn: p.versionColumn,
        baseline: p.baseline,
        candidate: p.candidate,
        ...(p.label ? { label: p.label } : {}),
        score: p.score,
        threshold: p.threshold,
      };
      // Streamed: passes over the app's file, or over the CLI's table as one batch (same numbers).
      const canary =
        streamed !== undefined
          ? await runStreamedCanaryComparison(query, spec, passesOver(query, context, p.source))
          : await runCanaryComparison(query, spec);
      // A streamed AUC's divergence is read at the far end of its interval: it passes only if it surely does.
      let worst: { metric: string; value: number; bounded: boolean } | null = null;
      for (const d of canary.deltas) {
        if (d.relativeDelta === null) continue;
        const value = Math.abs(d.relativeDelta) + (d.relativeBound ?? 0);
        if (!worst || value > worst.value) worst = { metric: d.metric, value, bounded: (d.relativeBound ?? 0) > 0 };
      }
      return {
        result: { family: "canary", canary },
        measurements: [
          measure(
            "max-divergence",
            worst?.bounded
              ? "Largest relative metric divergence (upper end of its streamed interval)"
              : "Largest relative metric divergence",
            worst?.value ?? null,
            "<",
            p.maxDivergence,
            worst ? `largest on ${worst.metric}` : undefined,
          ),
        ],
      };
    }
    case "operational": {
      const spec = { ...(p.latency ? { latency: p.latency } : {}), ...(p.error ? { error: p.error } : {}) };
      const operational: StreamedOperationalResult =
        streamed !== undefined
          ? operationalFromStreamedProfile(await streamedProfileOf(query, p.source, context), spec)
          : await runOperational(query, { source: p.source, ...spec });
      const measurements: Measurement[] = [];
      const bound = operational.latencyBounds?.p99;
      if (operational.latency && bound !== undefined) {
        // The gate reads the interval's upper end: a streamed p99 passes only if it surely does.
        measurements.push(
          measure(
            "p99",
            "Latency p99 (upper end of its streamed interval)",
            operational.latency.p99 + bound,
            "<",
            p.maxP99,
            `${operational.latency.p99} ± ${bound}`,
          ),
        );
      } else if (operational.latency) {
        measurements.push(measure("p99", "Latency p99", operational.latency.p99, "<", p.maxP99));
      }
      if (operational.errorRate) {
        measurements.push(measure("error-rate", "Error rate", operational.errorRate.rate, "<", p.maxErrorRate));
      }
      return { result: { family: "operational", operational }, measurements };
    }
  }
}

function warningsOf(result: CheckResult) {
  switch (result.family) {
    case "quality":
      return [...result.profile.warnings, ...(result.contract?.warnings ?? [])];
    case "drift":
      return result.drift.warnings;
    case "performance":
      return result.performance.warnings;
    case "calibration":
      return result.calibration.warnings;
    case "fairness":
      return result.fairness.warnings;
    case "slices":
      return result.slices.warnings;
    case "canary":
      return result.canary.warnings;
    case "operational":
      return result.operational.warnings;
  }
}

/** Runs a check. Input problems are thrown as AuditInputError for the caller to show. */
export async function runCheck(query: QueryFn, params: CheckParams, context: CheckContext = {}): Promise<CheckOutcome> {
  const started = performance.now();
  const recorder = recordingQuery(query);
  // Statements a stream runs on its own connection are recorded too: "show SQL" lists them all.
  const batchesOf = context.batchesOf;
  const recorded: CheckContext = batchesOf
    ? {
        ...context,
        batchesOf: async (name, columns) => {
          const stream = await batchesOf(name, columns);
          const own = stream.query;
          if (!own) return stream;
          const query: QueryFn = (sql) => {
            recorder.statements.push(sql);
            return own(sql);
          };
          return { ...stream, query };
        },
      }
    : context;
  const { result, measurements } = await compute(recorder.query, params, recorded);
  return {
    family: params.family,
    verdict: measurements.length === 0 ? "warn" : worstVerdict(measurements.map((m) => m.verdict)),
    measurements,
    result,
    sql: recorder.statements,
    warnings: warningsOf(result),
    elapsedMs: performance.now() - started,
  };
}
