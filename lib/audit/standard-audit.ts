/**
 * The standard audit: a composition of the metric families, no metric of its own.
 *
 *   quality profile (reference and current) + schema diff (+ optional contract)
 *   → drift of the features (runDrift, dataset verdict at `driftShare`, default 5%), and of
 *     the score (prediction drift), the prediction column if given, and the label (label drift)
 *   → binary performance (current, and the reference's own)
 *   → calibration (current) → fairness per group column (current)
 *   → operational (current; latency / error columns named or found by name)
 *   → worst slices (current; optional).
 *
 * Every number is the named family's `runX` result, unchanged. A family that rejects its input
 * (AuditInputError) is recorded as `{ error }` and the audit goes on; a missing label or score
 * column is fatal, since nothing but quality could run. Other errors (engine failures, bugs)
 * propagate. Families run one after another: an engine may run one statement at a time.
 *
 * Default features: every column present in both tables, whose kind (numeric / categorical,
 * `quality/column-kind.ts`) is the same on both sides, except the label, score, prediction,
 * group, latency and error columns, columns named like a model output (prediction, pred, y_pred,
 * predicted, predicted_label), identifiers (`id`, `uuid`, `key`, names ending in `_id`
 * or `Id`) and temporal columns (dates, times, timestamps).
 *
 * `summarizeVerdicts` turns a result into pass / warn / fail / error checks against Assay's
 * default thresholds (DEFAULT_VERDICT_THRESHOLDS); the UI and the CLI both use it.
 */
import type { ColumnInfo, QueryFn } from "../engine/types";
import { DEFAULT_THRESHOLDS } from "./checks/defaults";
import type { Comparator, Verdict } from "./checks/types";
import { judge } from "./checks/verdict";
import { quoteIdentifier } from "../sql/identifiers";
import { type CalibrationResult, runCalibration } from "./calibration";
import { runDrift } from "./drift";
import type { DriftColumnResult, DriftResult } from "./drift";
import { AuditInputError, type AuditInputProblem } from "./errors";
import { type FairnessAttributeResult, type FairnessResult, runFairness } from "./fairness";
import { type ErrorPredicate, type OperationalResult, runOperational } from "./operational";
import { type BinaryPerformanceResult, runBinaryPerformance } from "./performance";
import {
  type Contract,
  type ContractResult,
  columnKind,
  diffSchemas,
  type QualityProfileResult,
  runContract,
  runQualityProfile,
  type SchemaDiff,
} from "./quality";
import { num, queryRows } from "./rows";
import { runWorstSlices, type WorstSlicesResult, type WorstSlicesSpec } from "./slices";
import { describeRelation, isNumericType, requireColumns } from "./validate";
import { type AuditWarning, WarningLog } from "./warnings";

/** What to audit: the two tables, the column roles and options. */
export interface StandardAuditSpec {
  /** Reference table or view (the baseline period). */
  reference: string;
  /** Current table or view (the period under audit). */
  current: string;
  /** Binary 0/1 or boolean outcome column. */
  label: string;
  /** Probability column in [0, 1]. */
  score: string;
  /** Binary 0/1 prediction column; when given it decides the confusion counts instead of the threshold. */
  prediction?: string;
  /** score ≥ threshold is a positive prediction. Default 0.5. */
  threshold?: number;
  /** Sensitive attribute columns; fairness runs per column. Default none. */
  groups?: string[];
  /** Drift columns; default: see the rule in this file's header. */
  features?: string[];
  /** Latency column; `undefined` finds one by name (latency_ms, latency, duration_ms), `null` skips it. */
  latency?: string | null;
  /** Error column; `undefined` finds one by name (is_error, error, status), `null` skips it. */
  error?: string | null;
  /** Marks a failed row from a status column; default for a column named `status`: ≥ 500 (numbers) or error/failed/failure (text). */
  errorWhen?: ErrorPredicate;
  /** Dataset drift when the share of drifted features is at least this. Default 0.05. */
  driftShare?: number;
  /** Run worst slices over the features and groups (true, or options). Default false. */
  slices?:
    | boolean
    | Pick<WorstSlicesSpec, "metric" | "numericBins" | "minSupport" | "maxOrder" | "limit" | "pairColumns">;
  /** A data contract checked against the current table. */
  contract?: Contract;
}

/** Why a family could not run. */
export interface FamilyError {
  problem: AuditInputProblem;
  message: string;
  column: string | null;
}

/** A family's result, or why it could not run. */
export type Outcome<T> = T | { error: FamilyError };

/** Whether a family's outcome is `{ error }` rather than its result. */
export function isFailure<T>(outcome: Outcome<T>): outcome is { error: FamilyError } {
  return typeof outcome === "object" && outcome !== null && "error" in outcome;
}

/** The families in the order the audit runs them (timings and progress use these names). */
export const STANDARD_AUDIT_FAMILIES = [
  "quality",
  "schema",
  "contract",
  "drift",
  "performance",
  "calibration",
  "fairness",
  "operational",
  "slices",
] as const;
/** A family name of the standard audit. */
export type StandardAuditFamily = (typeof STANDARD_AUDIT_FAMILIES)[number];

/** The columns and options the audit actually used, defaults filled in. */
export interface ResolvedAuditSpec {
  reference: string;
  current: string;
  label: string;
  score: string;
  prediction: string | null;
  threshold: number;
  groups: string[];
  features: string[];
  latency: string | null;
  error: string | null;
  errorWhen: ErrorPredicate | null;
  driftShare: number;
}

/** Every family's result (or error), the resolved spec, timings and trace. */
export interface StandardAuditResult {
  spec: ResolvedAuditSpec;
  rows: { reference: number; current: number };
  quality: {
    reference: Outcome<QualityProfileResult>;
    current: Outcome<QualityProfileResult>;
    schema: Outcome<SchemaDiff>;
    /** Null without a contract. */
    contract: Outcome<ContractResult> | null;
  };
  drift: {
    /** The features; `shareDrifted` and `datasetDrift` count only these. */
    features: Outcome<DriftResult>;
    /** The score (prediction drift), the prediction column when given, and the label (label drift). */
    targets: Outcome<DriftResult>;
  };
  performance: { current: Outcome<BinaryPerformanceResult>; reference: Outcome<BinaryPerformanceResult> };
  calibration: Outcome<CalibrationResult>;
  /** Null without group columns. `result` holds the attributes that ran; `failures` the others. */
  fairness: { result: FairnessResult | null; failures: { attribute: string; error: FamilyError }[] } | null;
  /** Null when there is neither a latency nor an error column. */
  operational: Outcome<OperationalResult> | null;
  /** Null unless requested. */
  slices: Outcome<WorstSlicesResult> | null;
  /** Wall-clock milliseconds per family, and in all. */
  timings: Partial<Record<StandardAuditFamily, number>> & { total: number };
  /** How columns and defaults were chosen. */
  trace: string[];
  warnings: AuditWarning[];
}

/** Progress of a running audit, for a status line. */
export interface AuditProgress {
  family: StandardAuditFamily;
  phase: "start" | "done";
  /** Milliseconds, on `done`. */
  ms?: number;
  /** Set on `done` when the family could not run. */
  error?: FamilyError;
}

/** Run-time options of `runStandardAudit`. */
export interface StandardAuditOptions {
  onProgress?: (event: AuditProgress) => void;
}

const LATENCY_NAMES = ["latency_ms", "latency", "duration_ms"];
/** 0/1 or boolean error flags, by name; `status` is tried after them. */
const FLAG_NAMES = ["is_error", "error"];
const ID_NAME = /^(id|uuid|guid|key)$|_(id|uuid|guid|key)$|[a-z](Id|ID|Uuid|UUID)$/i;
/** Model outputs by name, never features even when not named as the prediction. */
const OUTPUT_NAME = /^(prediction|predictions|pred|y_pred|predicted|predicted_label)$/i;
const TEXT_STATUS_ERRORS = ["error", "failed", "failure"];
const INTEGER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/;

function failure(error: AuditInputError): { error: FamilyError } {
  return { error: { problem: error.problem, message: error.message, column: error.column ?? null } };
}

/** Runs `fn`; an AuditInputError becomes `{ error }`, anything else propagates. */
async function capture<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AuditInputError) return failure(error);
    throw error;
  }
}

function findByName(columns: readonly ColumnInfo[], names: readonly string[], fits: (type: string) => boolean) {
  for (const wanted of names) {
    const found = columns.find((c) => c.name.toLowerCase() === wanted && fits(c.type.toUpperCase()));
    if (found) return found;
  }
  return undefined;
}

function isIdentifierName(name: string): boolean {
  return ID_NAME.test(name);
}

/** The default feature list (see the header) and a trace line per exclusion reason. */
function defaultFeatures(
  reference: readonly ColumnInfo[],
  current: readonly ColumnInfo[],
  roles: ReadonlySet<string>,
  trace: string[],
): string[] {
  const currentTypes = new Map(current.map((c) => [c.name, c.type]));
  const out: string[] = [];
  const skipped: Record<string, string[]> = {
    role: [],
    "model output": [],
    identifier: [],
    temporal: [],
    other: [],
    mismatch: [],
  };
  for (const r of reference) {
    const currentType = currentTypes.get(r.name);
    if (currentType === undefined) continue;
    const kind = columnKind(r.type);
    if (roles.has(r.name)) skipped.role?.push(r.name);
    else if (OUTPUT_NAME.test(r.name)) skipped["model output"]?.push(r.name);
    else if (isIdentifierName(r.name)) skipped.identifier?.push(r.name);
    else if (kind === "temporal") skipped.temporal?.push(r.name);
    else if (kind === "other") skipped.other?.push(r.name);
    else if (columnKind(currentType) !== kind) skipped.mismatch?.push(r.name);
    else out.push(r.name);
  }
  trace.push(`features (default rule): ${out.map((c) => JSON.stringify(c)).join(", ") || "none"}`);
  for (const [reason, names] of Object.entries(skipped)) {
    if (names.length > 0) trace.push(`not a feature (${reason}): ${names.map((c) => JSON.stringify(c)).join(", ")}`);
  }
  return out;
}

function resolveOperational(
  spec: StandardAuditSpec,
  current: readonly ColumnInfo[],
  trace: string[],
): { latency: string | null; error: string | null; errorWhen: ErrorPredicate | null } {
  let latency = spec.latency ?? null;
  if (spec.latency === undefined) {
    latency = findByName(current, LATENCY_NAMES, isNumericType)?.name ?? null;
    trace.push(latency ? `latency column found by name: "${latency}"` : "no latency column found by name");
  }
  let error = spec.error ?? null;
  if (spec.error === undefined) {
    const isFlag = (t: string) => t === "BOOLEAN" || INTEGER_TYPE.test(t);
    const found =
      findByName(current, FLAG_NAMES, isFlag) ?? findByName(current, ["status"], (t) => isFlag(t) || t === "VARCHAR");
    error = found?.name ?? null;
    trace.push(error ? `error column found by name: "${error}"` : "no error column found by name");
  }
  let errorWhen = spec.errorWhen ?? null;
  const errorType = current.find((c) => c.name === error)?.type.toUpperCase();
  if (error !== null && errorWhen === null && error.toLowerCase() === "status" && errorType !== "BOOLEAN") {
    // A status column is not a 0/1 flag: HTTP-style codes fail at ≥ 500, text statuses by name.
    errorWhen = errorType === "VARCHAR" ? { op: "in", value: TEXT_STATUS_ERRORS } : { op: ">=", value: 500 };
    trace.push(`"${error}" marks a failure when ${errorWhen.op} ${JSON.stringify(errorWhen.value)}`);
  }
  return { latency, error, errorWhen };
}

async function countRows(query: QueryFn, reference: string, current: string) {
  const [row] = await queryRows(
    query,
    `SELECT (SELECT count(*) FROM ${quoteIdentifier(reference)}) AS r, (SELECT count(*) FROM ${quoteIdentifier(current)}) AS c`,
  );
  return { reference: num(row?.r) ?? 0, current: num(row?.c) ?? 0 };
}

/** Fairness over all groups in one scan; an attribute that fails is set aside and the rest rerun. */
async function fairnessPerGroup(
  query: QueryFn,
  spec: StandardAuditSpec,
  resolved: ResolvedAuditSpec,
): Promise<NonNullable<StandardAuditResult["fairness"]>> {
  const failures: { attribute: string; error: FamilyError }[] = [];
  let attributes = [...resolved.groups];
  while (attributes.length > 0) {
    try {
      const result = await runFairness(query, {
        source: spec.current,
        label: spec.label,
        score: spec.score,
        ...(spec.prediction !== undefined ? { prediction: spec.prediction } : {}),
        threshold: resolved.threshold,
        attributes,
      });
      return { result, failures };
    } catch (error) {
      if (!(error instanceof AuditInputError)) throw error;
      const culprit = error.column !== undefined && attributes.includes(error.column) ? error.column : null;
      // A failure not tied to one attribute (label, score…) applies to all that are left.
      const failed = culprit === null ? attributes : [culprit];
      for (const attribute of failed) failures.push({ attribute, ...failure(error) });
      attributes = attributes.filter((a) => !failed.includes(a));
    }
  }
  return { result: null, failures };
}

/** Runs the standard audit of `spec.current` against `spec.reference`. */
export async function runStandardAudit(
  query: QueryFn,
  spec: StandardAuditSpec,
  options: StandardAuditOptions = {},
): Promise<StandardAuditResult> {
  const started = performance.now();
  const warnings = new WarningLog();
  const trace: string[] = [];
  const referenceColumns = await describeRelation(query, spec.reference);
  const currentColumns = await describeRelation(query, spec.current);
  for (const [columns, source] of [
    [referenceColumns, spec.reference],
    [currentColumns, spec.current],
  ] as const) {
    requireColumns(columns, [spec.label, spec.score], source);
  }
  const groups = [...new Set(spec.groups ?? [])];
  const threshold = spec.threshold ?? 0.5;
  const driftShare = spec.driftShare ?? 0.05;
  if (!Number.isFinite(threshold)) {
    throw new AuditInputError("invalid-option", `The threshold must be a finite number; got ${threshold}.`);
  }
  const ops = resolveOperational(spec, currentColumns, trace);
  const roles = new Set(
    [spec.label, spec.score, spec.prediction, ops.latency, ops.error, ...groups].filter(
      (c): c is string => typeof c === "string",
    ),
  );
  let features = spec.features;
  if (features === undefined) features = defaultFeatures(referenceColumns, currentColumns, roles, trace);
  else trace.push(`features (given): ${features.map((c) => JSON.stringify(c)).join(", ") || "none"}`);
  const resolved: ResolvedAuditSpec = {
    reference: spec.reference,
    current: spec.current,
    label: spec.label,
    score: spec.score,
    prediction: spec.prediction ?? null,
    threshold,
    groups,
    features,
    latency: ops.latency,
    error: ops.error,
    errorWhen: ops.errorWhen,
    driftShare,
  };
  const rows = await countRows(query, spec.reference, spec.current);
  const timings: StandardAuditResult["timings"] = { total: 0 };
  const step = async <T>(family: StandardAuditFamily, fn: () => Promise<T>): Promise<T> => {
    options.onProgress?.({ family, phase: "start" });
    const t0 = performance.now();
    const value = await fn();
    const ms = performance.now() - t0;
    timings[family] = (timings[family] ?? 0) + ms;
    const error = firstError(value);
    options.onProgress?.({ family, phase: "done", ms, ...(error ? { error } : {}) });
    return value;
  };

  const quality = await step("quality", async () => ({
    reference: await capture(() => runQualityProfile(query, { source: spec.reference })),
    current: await capture(() => runQualityProfile(query, { source: spec.current })),
  }));
  const schema = await step("schema", () =>
    capture(() => diffSchemas(query, { reference: spec.reference, current: spec.current })),
  );
  const contract = spec.contract
    ? await step("contract", () =>
        capture(() => runContract(query, { source: spec.current, contract: spec.contract as Contract })),
      )
    : null;

  const targets = [spec.score, ...(spec.prediction !== undefined ? [spec.prediction] : []), spec.label];
  const drift = await step("drift", async () => ({
    features: await capture(async () => {
      if (features.length === 0) {
        throw new AuditInputError("invalid-option", "No feature columns to compare; name them with `features`.");
      }
      return runDrift(query, {
        reference: spec.reference,
        current: spec.current,
        columns: features,
        datasetDriftShare: driftShare,
      });
    }),
    targets: await capture(() =>
      runDrift(query, { reference: spec.reference, current: spec.current, columns: targets }),
    ),
  }));

  const performanceSpec = {
    label: spec.label,
    score: spec.score,
    ...(spec.prediction !== undefined ? { prediction: spec.prediction } : {}),
    threshold,
  };
  const performanceResult = await step("performance", async () => ({
    current: await capture(() => runBinaryPerformance(query, { source: spec.current, ...performanceSpec })),
    reference: await capture(() => runBinaryPerformance(query, { source: spec.reference, ...performanceSpec })),
  }));
  const calibration = await step("calibration", () =>
    capture(() => runCalibration(query, { source: spec.current, label: spec.label, score: spec.score })),
  );
  const fairness = groups.length > 0 ? await step("fairness", () => fairnessPerGroup(query, spec, resolved)) : null;
  const operational =
    ops.latency !== null || ops.error !== null
      ? await step("operational", () =>
          capture(() =>
            runOperational(query, {
              source: spec.current,
              ...(ops.latency !== null ? { latency: ops.latency } : {}),
              ...(ops.error !== null ? { error: ops.error } : {}),
              ...(ops.errorWhen !== null ? { errorWhen: ops.errorWhen } : {}),
            }),
          ),
        )
      : null;
  if (operational === null) {
    warnings.warn(
      "no-operational-columns",
      "No latency or error column was named or found; operational checks were skipped.",
    );
  }
  const slices = spec.slices
    ? await step("slices", () =>
        capture(() =>
          runWorstSlices(query, {
            source: spec.current,
            ...performanceSpec,
            columns: [...new Set([...features, ...groups])],
            pairColumns: 8,
            ...(typeof spec.slices === "object" ? spec.slices : {}),
          }),
        ),
      )
    : null;
  timings.total = performance.now() - started;
  return {
    spec: resolved,
    rows,
    quality: { ...quality, schema, contract },
    drift,
    performance: performanceResult,
    calibration,
    fairness,
    operational,
    slices,
    timings,
    trace,
    warnings: warnings.items,
  };
}

/** The first `{ error }` in a step's value (itself, or one level down), for progress reports. */
function firstError(value: unknown): FamilyError | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (isFailure(value as Outcome<unknown>)) return (value as { error: FamilyError }).error;
  for (const inner of Object.values(value)) {
    if (typeof inner === "object" && inner !== null && "error" in inner) return (inner as { error: FamilyError }).error;
    if (Array.isArray(inner) && inner[0] && typeof inner[0] === "object" && "error" in inner[0]) {
      return (inner[0] as { error: FamilyError }).error;
    }
  }
  return undefined;
}

// ── Verdicts ────────────────────────────────────────────────────────────────────────────

/** Thresholds of the checks `summarizeVerdicts` makes. */
export interface VerdictThresholds {
  /** Fail when the share of drifted features is at or above this. */
  maxDriftShare: number;
  /** Fail when latency p99 (in the latency column's unit, assumed ms) is at or above this. */
  maxP99Ms: number;
  /** Fail when the error rate is at or above this. */
  maxErrorRate: number;
  /** Fail when schema changes (removed columns, changed types) plus contract violations exceed this. */
  maxViolations: number;
  /** Fail when a group column's demographic parity ratio is below this (four-fifths rule). */
  minParityRatio: number;
  /** Fail when the expected calibration error is above this. */
  maxEce: number;
}

/** Assay's default audit thresholds. */
/** The app's check defaults (lib/audit/checks/defaults.ts), so the CLI and the app agree. */
export const DEFAULT_VERDICT_THRESHOLDS: VerdictThresholds = {
  maxDriftShare: DEFAULT_THRESHOLDS.maxDriftShare,
  maxP99Ms: DEFAULT_THRESHOLDS.maxP99,
  maxErrorRate: DEFAULT_THRESHOLDS.maxErrorRate,
  maxViolations: DEFAULT_THRESHOLDS.maxViolations,
  minParityRatio: DEFAULT_THRESHOLDS.minParityRatio,
  maxEce: DEFAULT_THRESHOLDS.maxEce,
};

/** A check's outcome; `error` when its family could not run. */
export type { Comparator, Verdict };

/** One pass/warn/fail/error check of a standard audit. */
export interface Check {
  /** Stable id, e.g. `drift.share`, `fairness.parity-ratio.sex`. */
  id: string;
  family: StandardAuditFamily;
  name: string;
  value: number | null;
  threshold: number | null;
  comparator: Comparator | null;
  verdict: Verdict;
  /** Why a check errs or warns. */
  message?: string;
}

function thresholdCheck(
  base: Omit<Check, "verdict" | "value" | "threshold" | "comparator">,
  value: number | null,
  comparator: Comparator,
  threshold: number,
): Check {
  if (value === null || Number.isNaN(value)) {
    return { ...base, value: null, threshold, comparator, verdict: "warn", message: "The value is undefined." };
  }
  // The same rule as the app's check cells: fail past the threshold, warn within 10% of it.
  const verdict = judge(value, comparator, threshold);
  return {
    ...base,
    value,
    threshold,
    comparator,
    verdict,
    ...(verdict === "warn" ? { message: "Within 10% of the threshold." } : {}),
  };
}

function errorCheck(base: Omit<Check, "verdict" | "value" | "threshold" | "comparator">, error: FamilyError): Check {
  return { ...base, value: null, threshold: null, comparator: null, verdict: "error", message: error.message };
}

/** A drift flag as a warning-level check: the column's own test decides; the value is its p-value or distance. */
function driftFlagCheck(id: string, name: string, column: DriftColumnResult | undefined): Check | null {
  if (!column) return null;
  const isP = column.pValue !== null;
  return {
    id,
    family: "drift",
    name: `${name} (${column.method})`,
    value: isP ? column.pValue : column.statistic,
    threshold: column.threshold,
    comparator: isP ? (column.method === "ks" ? ">" : ">=") : "<",
    verdict: column.drifted ? "warn" : "pass",
  };
}

/** Pass / warn / fail / error checks of a standard audit against thresholds (defaults: DEFAULT_VERDICT_THRESHOLDS). */
export function summarizeVerdicts(result: StandardAuditResult, thresholds: Partial<VerdictThresholds> = {}): Check[] {
  const t = { ...DEFAULT_VERDICT_THRESHOLDS, ...thresholds };
  const checks: Check[] = [];
  const { quality, drift, performance: perf } = result;

  for (const [side, outcome] of [
    ["reference", quality.reference],
    ["current", quality.current],
  ] as const) {
    if (isFailure(outcome)) {
      checks.push(
        errorCheck({ id: `quality.profile.${side}`, family: "quality", name: `Profile (${side})` }, outcome.error),
      );
    }
  }
  const schemaBase = {
    id: "quality.schema",
    family: "schema" as const,
    name: "Schema changes (removed columns, changed types)",
  };
  if (isFailure(quality.schema)) checks.push(errorCheck(schemaBase, quality.schema.error));
  else {
    const s = quality.schema;
    checks.push(thresholdCheck(schemaBase, s.removed.length + s.typeChanged.length, "<=", t.maxViolations));
  }
  if (quality.contract !== null) {
    const base = { id: "quality.contract", family: "contract" as const, name: "Contract violations" };
    checks.push(
      isFailure(quality.contract)
        ? errorCheck(base, quality.contract.error)
        : thresholdCheck(base, quality.contract.totalViolations, "<=", t.maxViolations),
    );
  }

  const shareBase = { id: "drift.share", family: "drift" as const, name: "Share of drifted features" };
  checks.push(
    isFailure(drift.features)
      ? errorCheck(shareBase, drift.features.error)
      : thresholdCheck(shareBase, drift.features.shareDrifted, "<", t.maxDriftShare),
  );
  if (isFailure(drift.targets)) {
    checks.push(
      errorCheck({ id: "drift.targets", family: "drift", name: "Prediction and label drift" }, drift.targets.error),
    );
  } else {
    const find = (c: string | null) => (drift.targets as DriftResult).columns.find((x) => x.column === c);
    const s = result.spec;
    for (const check of [
      driftFlagCheck("drift.score", `Score drift "${s.score}"`, find(s.score)),
      driftFlagCheck("drift.prediction", `Prediction drift "${s.prediction}"`, find(s.prediction)),
      driftFlagCheck("drift.label", `Label drift "${s.label}"`, find(s.label)),
    ]) {
      if (check) checks.push(check);
    }
  }

  for (const [side, outcome] of [
    ["current", perf.current],
    ["reference", perf.reference],
  ] as const) {
    if (isFailure(outcome)) {
      checks.push(
        errorCheck({ id: `performance.${side}`, family: "performance", name: `Performance (${side})` }, outcome.error),
      );
    }
  }
  const eceBase = { id: "calibration.ece", family: "calibration" as const, name: "Expected calibration error" };
  checks.push(
    isFailure(result.calibration)
      ? errorCheck(eceBase, result.calibration.error)
      : thresholdCheck(eceBase, result.calibration.ece, "<=", t.maxEce),
  );

  if (result.fairness !== null) {
    const byName = new Map<string, FairnessAttributeResult>(
      (result.fairness.result?.attributes ?? []).map((a) => [a.attribute, a]),
    );
    for (const group of result.spec.groups) {
      const base = {
        id: `fairness.parity-ratio.${group}`,
        family: "fairness" as const,
        name: `Demographic parity ratio "${group}"`,
      };
      const failed = result.fairness.failures.find((f) => f.attribute === group);
      const attribute = byName.get(group);
      if (failed) checks.push(errorCheck(base, failed.error));
      else if (attribute) checks.push(thresholdCheck(base, attribute.demographicParityRatio, ">=", t.minParityRatio));
    }
  }

  const op = result.operational;
  if (op !== null) {
    const p99Base = { id: "operational.latency-p99", family: "operational" as const, name: "Latency p99 (ms)" };
    const errBase = { id: "operational.error-rate", family: "operational" as const, name: "Error rate" };
    if (isFailure(op)) {
      if (result.spec.latency !== null) checks.push(errorCheck(p99Base, op.error));
      if (result.spec.error !== null) checks.push(errorCheck(errBase, op.error));
    } else {
      if (op.latency) checks.push(thresholdCheck(p99Base, op.latency.p99, "<", t.maxP99Ms));
      if (op.errorRate) checks.push(thresholdCheck(errBase, op.errorRate.rate, "<", t.maxErrorRate));
    }
  }
  if (result.slices !== null && isFailure(result.slices)) {
    checks.push(errorCheck({ id: "slices", family: "slices", name: "Worst slices" }, result.slices.error));
  }
  return checks;
}

/** The overall verdict: error over fail over warn over pass. */
export function overallVerdict(checks: readonly Check[]): Verdict {
  for (const v of ["error", "fail", "warn"] as const) if (checks.some((c) => c.verdict === v)) return v;
  return "pass";
}
