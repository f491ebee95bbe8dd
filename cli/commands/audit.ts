/**
 * `assay audit`: the standard audit (lib/audit/standard-audit.ts) of a current file against a
 * reference file, on native DuckDB. Prints a summary table, writes JSON and HTML when asked,
 * and returns the exit code: 0 pass (or warnings only), 1 a check failed, 2 bad input.
 */
import { readFileSync } from "node:fs";
import type { Contract } from "../../lib/audit/quality";
import {
  type AuditProgress,
  DEFAULT_VERDICT_THRESHOLDS,
  overallVerdict,
  runStandardAudit,
  type StandardAuditSpec,
  summarizeVerdicts,
  type VerdictThresholds,
} from "../../lib/audit/standard-audit";
import { describeRelation } from "../../lib/audit/validate";
import type { NodeEngine } from "../../lib/engine/node-engine";
import { openEngineSession } from "../engine-session";
import {
  type FlagSpec,
  type FlagValues,
  integerFlag,
  listFlag,
  memoryFlag,
  numberFlag,
  parseFlags,
  requiredFlag,
  stringFlag,
} from "../args";
import { auditJson, serializeAuditJson } from "../audit-json";
import { CliError, cliErrorOf, EXIT, type ExitCode, firstLine } from "../errors";
import { writeOutput } from "../output";
import { auditHtml } from "../html-report";
import { type InputFile, openInput } from "../inputs";
import type { CliIo } from "../io";
import { summaryLines } from "../summary-table";
import { collectVersions } from "../versions";

/** `assay audit --help`. */
export const AUDIT_HELP = `Usage: assay audit --reference FILE --current FILE --label COL --score COL [options]

Runs Assay's standard audit of CURRENT against REFERENCE: data quality and schema diff,
drift (features, score, label), performance, calibration, fairness per --group column,
and operational checks when a latency or error column exists. Files: Parquet, Arrow IPC,
CSV/TSV (.gz too), JSON/NDJSON.

Columns
  --reference FILE         baseline data (required)
  --current FILE           data under audit (required)
  --label COL              0/1 or boolean outcome (required)
  --score COL              probability in [0, 1] (required)
  --prediction COL         0/1 prediction; decides the confusion counts instead of --threshold
  --threshold X            score >= X is a positive prediction (default 0.5)
  --group COL              sensitive attribute; repeat for several (fairness per column)
  --features A,B,...       drift columns (default: all but label, score, prediction, groups,
                           ids, timestamps, latency and error columns); repeatable
  --latency COL            latency column in ms (default: found by name latency_ms, latency,
                           duration_ms)
  --error COL              error flag (default: found by name is_error, error, status)
  --slices                 also rank the worst slices of the features and groups
  --contract FILE          data contract (JSON: {"columns": {"age": {"type": "integer", "min": 18}}})
                           checked against the current file

Thresholds (a check fails when it is not met)
  --max-drift-share X      share of drifted features must be below X (default 0.05)
  --min-parity-ratio X     demographic parity ratio per group column >= X (default 0.8)
  --max-ece X              expected calibration error <= X (default 0.05)
  --max-p99-ms X           latency p99 below X ms (default 300)
  --max-error-rate X       error rate below X (default 0.005)
  --max-violations N       removed columns + changed types (and, separately, contract
                           violations) <= N (default 0)

Output
  --json FILE              write the full result as JSON (- for stdout)
  --html FILE              write a small self-contained HTML summary
  --quiet                  no progress on stderr

Engine
  --memory-limit SIZE      DuckDB memory limit, e.g. 4GB (it spills to --temp-dir beyond)
  --temp-dir DIR           where DuckDB spills (default: a fresh folder in the OS temp dir)
  --threads N              DuckDB worker threads (default: all cores)

Exit codes: 0 every check passes (or only warns), 1 a check fails, 2 bad input (missing
column, unreadable file, bad flag, or an audit family that could not run on the data).
Docs: docs/cli.md`;

const FLAGS: FlagSpec = {
  reference: { type: "string" },
  current: { type: "string" },
  label: { type: "string" },
  score: { type: "string" },
  prediction: { type: "string" },
  threshold: { type: "string" },
  group: { type: "string", multiple: true },
  features: { type: "string", multiple: true },
  latency: { type: "string" },
  error: { type: "string" },
  slices: { type: "boolean" },
  contract: { type: "string" },
  "max-drift-share": { type: "string" },
  "min-parity-ratio": { type: "string" },
  "max-ece": { type: "string" },
  "max-p99-ms": { type: "string" },
  "max-error-rate": { type: "string" },
  "max-violations": { type: "string" },
  json: { type: "string" },
  html: { type: "string" },
  quiet: { type: "boolean" },
  "memory-limit": { type: "string" },
  "temp-dir": { type: "string" },
  threads: { type: "string" },
  help: { type: "boolean", short: "h" },
};

interface AuditOptions {
  referencePath: string;
  currentPath: string;
  spec: Omit<StandardAuditSpec, "reference" | "current">;
  thresholds: VerdictThresholds;
  json?: string;
  html?: string;
  quiet: boolean;
  memoryLimit?: string;
  tempDir?: string;
  threads?: number;
}

function thresholdsFrom(values: FlagValues): VerdictThresholds {
  const t = { ...DEFAULT_VERDICT_THRESHOLDS };
  t.maxDriftShare = numberFlag(values, "max-drift-share", 0, 1.01) ?? t.maxDriftShare;
  t.minParityRatio = numberFlag(values, "min-parity-ratio", 0, 1) ?? t.minParityRatio;
  t.maxEce = numberFlag(values, "max-ece", 0, 1) ?? t.maxEce;
  t.maxP99Ms = numberFlag(values, "max-p99-ms", 0, Infinity) ?? t.maxP99Ms;
  t.maxErrorRate = numberFlag(values, "max-error-rate", 0, 1.01) ?? t.maxErrorRate;
  t.maxViolations = numberFlag(values, "max-violations", 0, Infinity) ?? t.maxViolations;
  return t;
}

/** Reads a contract file: `{"columns": {name: rules}}` (rules as in lib/audit/quality/contract.ts). */
function readContract(path: string): Contract {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code ?? firstLine(error instanceof Error ? error.message : String(error));
    throw new CliError(`Cannot read the --contract file "${path}": ${why}. It must be JSON like {"columns": {...}}.`);
  }
  const columns = (parsed as { columns?: unknown } | null)?.columns;
  if (typeof columns !== "object" || columns === null || Array.isArray(columns)) {
    throw new CliError(
      `The --contract file "${path}" needs a "columns" object, e.g. {"columns": {"age": {"min": 18}}}.`,
    );
  }
  return parsed as Contract;
}

function optionsFrom(values: FlagValues): AuditOptions {
  const features = values.features === undefined ? undefined : listFlag(values, "features", true);
  const groups = listFlag(values, "group", false);
  const prediction = stringFlag(values, "prediction");
  const latency = stringFlag(values, "latency");
  const error = stringFlag(values, "error");
  const threshold = numberFlag(values, "threshold", -Infinity, Infinity);
  const contractPath = stringFlag(values, "contract");
  const thresholds = thresholdsFrom(values);
  const json = stringFlag(values, "json");
  const html = stringFlag(values, "html");
  const memoryLimit = memoryFlag(values, "memory-limit");
  const tempDir = stringFlag(values, "temp-dir");
  const threads = integerFlag(values, "threads");
  return {
    referencePath: requiredFlag(values, "reference", "the baseline file"),
    currentPath: requiredFlag(values, "current", "the file under audit"),
    spec: {
      label: requiredFlag(values, "label", "the 0/1 outcome column"),
      score: requiredFlag(values, "score", "the probability column"),
      groups,
      ...(prediction !== undefined ? { prediction } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      ...(features !== undefined ? { features } : {}),
      ...(latency !== undefined ? { latency } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(values.slices === true ? { slices: true } : {}),
      ...(contractPath !== undefined ? { contract: readContract(contractPath) } : {}),
      driftShare: Math.min(thresholds.maxDriftShare, 1),
    },
    thresholds,
    ...(json !== undefined ? { json } : {}),
    ...(html !== undefined ? { html } : {}),
    quiet: values.quiet === true,
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    ...(tempDir !== undefined ? { tempDir } : {}),
    ...(threads !== undefined ? { threads } : {}),
  };
}

/** Every column named on the command line must exist; say which flag and which file otherwise. */
async function requireNamedColumns(engine: NodeEngine, options: AuditOptions, inputs: Record<string, InputFile>) {
  const { spec } = options;
  const named: [string, string, boolean][] = [
    [spec.label, "--label", true],
    [spec.score, "--score", true],
    ...(spec.prediction ? [[spec.prediction, "--prediction", true] as [string, string, boolean]] : []),
    ...(spec.groups ?? []).map((g) => [g, "--group", false] as [string, string, boolean]),
    ...(spec.features ?? []).map((f) => [f, "--features", true] as [string, string, boolean]),
    ...(typeof spec.latency === "string" ? [[spec.latency, "--latency", false] as [string, string, boolean]] : []),
    ...(typeof spec.error === "string" ? [[spec.error, "--error", false] as [string, string, boolean]] : []),
  ];
  for (const role of ["current", "reference"] as const) {
    const file = inputs[role] as InputFile;
    const columns = await describeRelation(engine.query, file.relation);
    const present = new Set(columns.map((c) => c.name));
    for (const [column, flag, inBoth] of named) {
      if (present.has(column) || (role === "reference" && !inBoth)) continue;
      const list = columns.map((c) => c.name);
      const near = list.find((c) => c.toLowerCase() === column.toLowerCase());
      const hint = near
        ? `did you mean "${near}"? Names are case-sensitive`
        : `its columns: ${list.slice(0, 12).join(", ")}${list.length > 12 ? ", …" : ""}`;
      throw new CliError(`Column "${column}" (${flag}) is not in the ${role} file "${file.path}"; ${hint}.`);
    }
  }
}

function progressReporter(io: CliIo, quiet: boolean) {
  return (event: AuditProgress) => {
    if (quiet) return;
    if (event.phase === "start") io.stderr(`assay: ${event.family}…`);
    else {
      const note = event.error ? ` (could not run: ${event.error.message})` : "";
      io.stderr(`assay: ${event.family} done in ${((event.ms ?? 0) / 1000).toFixed(2)} s${note}`);
    }
  };
}

function exitCodeFor(verdict: ReturnType<typeof overallVerdict>): ExitCode {
  if (verdict === "error") return EXIT.badInput;
  if (verdict === "fail") return EXIT.checkFailed;
  return EXIT.ok;
}

/** Runs `assay audit` with its arguments; returns the exit code (CliError for bad input). */
export async function auditCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const values = parseFlags(argv, FLAGS, "audit");
  if (values.help === true) {
    io.stdout(AUDIT_HELP);
    return EXIT.ok;
  }
  const options = optionsFrom(values);
  const session = await openEngineSession(values);
  const { engine, scratch } = session;
  try {
    const say = (line: string) => {
      if (!options.quiet) io.stderr(line);
    };
    const t0 = performance.now();
    say("assay: reading and hashing the inputs…");
    const reference = await openInput(engine, options.referencePath, "reference", "reference", scratch);
    const current = await openInput(engine, options.currentPath, "current", "current", scratch);
    const loadMs = performance.now() - t0;
    say(`assay: inputs ready in ${(loadMs / 1000).toFixed(2)} s (${reference.rows} + ${current.rows} rows)`);
    const inputs = { reference, current };
    await requireNamedColumns(engine, options, inputs);

    const result = await runStandardAudit(
      engine.query,
      { ...options.spec, reference: "reference", current: "current" },
      { onProgress: progressReporter(io, options.quiet) },
    );
    const checks = summarizeVerdicts(result, options.thresholds);
    const verdict = overallVerdict(checks);
    const versions = collectVersions(await engine.version());
    const createdAt = new Date().toISOString();
    const jsonToStdout = options.json === "-";
    const summary = summaryLines(result, checks, verdict, inputs).join("\n");
    if (jsonToStdout) io.stderr(summary);
    else io.stdout(summary);
    if (options.json !== undefined) {
      const document = auditJson(result, {
        argv,
        inputs,
        versions,
        thresholds: options.thresholds,
        checks,
        verdict,
        createdAt,
        loadMs,
      });
      const text = serializeAuditJson(document);
      if (jsonToStdout) io.stdout(text.trimEnd());
      else writeOutput(options.json, text, "--json");
    }
    if (options.html !== undefined) {
      writeOutput(options.html, auditHtml({ checks, verdict, inputs, versions, createdAt }), "--html");
    }
    for (const c of checks) {
      if (c.verdict === "error") io.stderr(`assay: ${c.name} could not run: ${c.message ?? "unknown problem"}`);
    }
    return exitCodeFor(verdict);
  } catch (error) {
    throw cliErrorOf(error);
  } finally {
    await session.close();
  }
}
