/**
 * The `--json` document of `assay audit`: a public interface, documented in docs/cli.md with
 * the JSON Schema docs/cli.schema.json. Values are the current dataset's; the reference's own
 * sit beside them under `reference`. A family that could not run is `{ "error": {...} }` in
 * its place. NaN and ±Infinity, which JSON cannot hold, are written as null.
 */
import type {
  Check,
  FamilyError,
  Outcome,
  StandardAuditResult,
  Verdict,
  VerdictThresholds,
} from "../lib/audit/standard-audit";
import { isFailure } from "../lib/audit/standard-audit";
import type { InputFile } from "./inputs";
import type { Versions } from "./versions";

/** Bumped when a field is renamed or removed (adding fields keeps the version). */
export const AUDIT_JSON_FORMAT = "assay-audit/1";

/** What the JSON records besides the audit result. */
export interface AuditJsonContext {
  argv: readonly string[];
  inputs: { reference: InputFile; current: InputFile };
  versions: Versions;
  thresholds: VerdictThresholds;
  checks: Check[];
  verdict: Verdict;
  createdAt: string;
  /** Milliseconds spent opening and hashing the inputs. */
  loadMs: number;
}

function describeInput(file: InputFile) {
  return { path: file.path, format: file.format, bytes: file.bytes, rows: file.rows, sha256: file.sha256 };
}

/** `{...value, ...extra}` or `{error, ...extra}` for a failed family. */
function withExtra<T extends object>(outcome: Outcome<T>, extra: object): object {
  return isFailure(outcome) ? { error: outcome.error, ...extra } : { ...outcome, ...extra };
}

function errorOr<T>(outcome: Outcome<T> | null, pick: (value: T) => unknown): unknown {
  if (outcome === null) return null;
  if (isFailure(outcome)) return { error: outcome.error };
  return pick(outcome);
}

function qualityJson(result: StandardAuditResult) {
  const { reference, current, schema, contract } = result.quality;
  const profile = (p: typeof current) =>
    isFailure(p) ? { error: p.error } : { rows: p.rows, columns: p.columns, trace: p.trace, warnings: p.warnings };
  return {
    ...profile(current),
    reference: profile(reference),
    schema: isFailure(schema) ? { error: schema.error } : schema,
    contract,
  };
}

function driftJson(result: StandardAuditResult) {
  const { features, targets } = result.drift;
  const target = (column: string | null) => {
    if (column === null) return null;
    if (isFailure(targets)) return { error: targets.error };
    return targets.columns.find((c) => c.column === column) ?? null;
  };
  const extra = {
    threshold: result.spec.driftShare,
    score: target(result.spec.score),
    prediction: target(result.spec.prediction),
    label: target(result.spec.label),
  };
  return withExtra(features, extra);
}

function fairnessJson(result: StandardAuditResult): unknown[] {
  if (result.fairness === null) return [];
  const { result: ran, failures } = result.fairness;
  return result.spec.groups.map((group) => {
    const failed = failures.find((f) => f.attribute === group);
    if (failed) return { attribute: group, error: failed.error };
    return ran?.attributes.find((a) => a.attribute === group) ?? { attribute: group, error: missing(group) };
  });
}

function missing(group: string): FamilyError {
  return { problem: "missing-column", message: `No fairness result for "${group}".`, column: group };
}

/** The whole document. */
export function auditJson(result: StandardAuditResult, context: AuditJsonContext): object {
  const { reference, current } = context.inputs;
  const op = result.operational;
  return {
    format: AUDIT_JSON_FORMAT,
    createdAt: context.createdAt,
    tool: { name: "assay", command: "audit", argv: context.argv },
    versions: context.versions,
    inputs: { reference: describeInput(reference), current: describeInput(current) },
    spec: { ...result.spec, reference: reference.path, current: current.path },
    thresholds: context.thresholds,
    verdict: context.verdict,
    checks: context.checks,
    rows: result.rows,
    quality: qualityJson(result),
    drift: driftJson(result),
    performance: withExtra(result.performance.current, {
      reference: errorOr(result.performance.reference, (p) => p),
    }),
    calibration: errorOr(result.calibration, (c) => c),
    fairness: fairnessJson(result),
    latency: errorOr(op, (o) => o.latency),
    errorRate: errorOr(op, (o) => o.errorRate),
    operational: errorOr(op, (o) => ({
      latencyColumn: result.spec.latency,
      errorColumn: result.spec.error,
      errorWhen: result.spec.errorWhen,
      histogram: o.histogram,
      trace: o.trace,
      warnings: o.warnings,
    })),
    slices: result.slices,
    timings: { load: context.loadMs, ...result.timings },
    trace: result.trace,
    warnings: result.warnings,
  };
}

/** JSON text: NaN and ±Infinity become null (JSON.stringify already does so), two-space indent. */
export function serializeAuditJson(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
