/**
 * Headless "Re-run and verify": runs every cell of a notebook file in order on a query
 * function (native DuckDB in the CLI, the worker in the app), recomputes each cell's result
 * record and compares it with the one stored in the file (lib/provenance compareRuns).
 *
 * - markdown: nothing to run; not reported.
 * - sql: sql-cell.ts, the app's semantics; hashed unordered unless the stored record says
 *   the result was ordered.
 * - check: lib/audit/checks runCheck with the cell's params; the result is the measurement
 *   table of check-record.ts, hashed in order.
 * - any other kind (e.g. "ts"): skipped with the reason; it runs only in the browser sandbox.
 *
 * A cell that throws is reported as `error` and the run goes on (later cells that query it
 * will fail too, as in the app).
 */
import type { StreamedProfile } from "../audit/streaming/profile";
import { CHECK_FAMILIES, type CheckOutcome, type CheckParams } from "../audit/checks/types";
import { runCheck } from "../audit/checks/run-check";
import { worstVerdict } from "../audit/checks/verdict";
import { AuditInputError } from "../audit/errors";
import { describeRelation } from "../audit/validate";
import { EngineError, type QueryFn } from "../engine/types";
import type { AssayNotebookFile, CellResultRecord, FileCell, Verdict, VerdictStatus } from "../notebook/format/types";
import { compareRuns, type RunComparison, type RunStatus } from "../provenance/compare-runs";
import { resultRecord } from "../provenance/result-record";
import { checkResultTable, checkVerdicts } from "./check-record";
import { executeSqlCell } from "./sql-cell";

/** Why a cell of a kind the runner cannot execute was not run. */
export const SKIP_REASONS: Record<string, string> = {
  ts: "TypeScript cells run only in the browser sandbox",
};

/** A cell's outcome: a comparison status, or it failed to run, or it was not run. */
export type CellRunStatus = RunStatus | "error" | "skipped";

export interface CellRunReport {
  cellId: string;
  name: string;
  kind: string;
  status: CellRunStatus;
  /** One sentence: the comparison, the error, or why it was skipped. */
  message: string;
  /** The result hash stored in the file; null when it holds none. */
  storedHash: string | null;
  /** The recomputed result hash; null when the cell did not run. */
  hash: string | null;
  /** Check cells: the worst verdict of the re-run ("error" when it could not run); null otherwise. */
  verdict: VerdictStatus | null;
  /** Check cells: the re-run's verdicts, one per measurement. */
  verdicts: Verdict[];
  /** The recomputed record, as the file would store it (null when the cell did not run). */
  record: CellResultRecord | null;
  /** The comparison with the stored result, when the cell ran. */
  comparison: RunComparison | null;
  /** Check cells: the full outcome of the re-run. */
  check: CheckOutcome | null;
  /** The error, when status is "error" (`problem`/`column` for audit input errors). */
  error: { message: string; problem?: string; column?: string; sql?: string } | null;
  elapsedMs: number;
}

export interface RunReport {
  /** One entry per non-markdown cell in notebook order, then stored results of cells not in the notebook ("missing"). */
  cells: CellRunReport[];
  engineVersion: string;
  /** Counts over `cells`. */
  counts: Record<CellRunStatus, number>;
  /** Check cells whose re-run verdict is fail. */
  failedChecks: number;
  /** The worst verdict over the check cells (pass when there is none). */
  verdict: VerdictStatus;
  /** Any result hash differs from the stored one, or a stored result has no cell. */
  mismatch: boolean;
  elapsedMs: number;
}

export type RunProgress =
  | { phase: "start"; index: number; total: number; cell: FileCell }
  | { phase: "done"; index: number; total: number; cell: FileCell; report: CellRunReport };

export interface RunNotebookOptions {
  onProgress?: (event: RunProgress) => void;
  /** Written into the recomputed records; `SELECT version()` when omitted. */
  engineVersion?: string;
  /** Dataset table names; a SQL cell may not replace one. Default: the notebook's datasets. */
  datasets?: ReadonlySet<string>;
  /** Clock for `ranAt` (tests pin it). */
  now?: () => Date;
}

function isCheckParams(params: FileCell["params"]): params is FileCell["params"] & CheckParams {
  const family = params?.family;
  return typeof family === "string" && (CHECK_FAMILIES as readonly string[]).includes(family);
}

function errorOf(error: unknown): NonNullable<CellRunReport["error"]> {
  if (error instanceof AuditInputError) {
    return { message: error.message, problem: error.problem, ...(error.column ? { column: error.column } : {}) };
  }
  if (error instanceof EngineError) return { message: error.message, ...(error.sql ? { sql: error.sql } : {}) };
  return { message: error instanceof Error ? error.message : String(error) };
}

async function engineVersionOf(query: QueryFn): Promise<string> {
  try {
    const table = await query("SELECT version() AS v");
    return String(table.getChildAt(0)?.get(0) ?? "unknown");
  } catch {
    return "unknown";
  }
}

interface Computed {
  record: CellResultRecord;
  check: CheckOutcome | null;
}

async function computeCell(
  query: QueryFn,
  cell: FileCell,
  stored: CellResultRecord | undefined,
  context: {
    engineVersion: string;
    datasets: ReadonlySet<string>;
    streamed: ReadonlySet<string>;
    profiles: Map<string, StreamedProfile>;
    now: () => Date;
  },
): Promise<Computed> {
  if (cell.kind === "check") {
    if (!isCheckParams(cell.params)) {
      throw new AuditInputError(
        "invalid-option",
        `The check "${cell.name}" has no valid settings (params.family must be one of ${CHECK_FAMILIES.join(", ")}).`,
      );
    }
    // A streamed dataset's profile is computed once, by the first check that reads all of it, and
    // reused by the others (as the app keeps the one it streamed).
    const check = await runCheck(query, cell.params, {
      streamed: context.streamed,
      profileOf: (name) => context.profiles.get(name),
      keepProfile: (name, profile) => context.profiles.set(name, profile),
    });
    const record = await resultRecord(checkResultTable(check), {
      ordered: true,
      ranAt: context.now().toISOString(),
      engineVersion: context.engineVersion,
      verdicts: checkVerdicts(check),
    });
    return { record, check };
  }
  const { table, materialized } = await executeSqlCell(query, cell.source, cell.name, { datasets: context.datasets });
  const columns = materialized === null ? undefined : await describeRelation(query, materialized);
  const record = await resultRecord(table, {
    ordered: stored?.ordered ?? false,
    ranAt: context.now().toISOString(),
    engineVersion: context.engineVersion,
    ...(columns ? { columns } : {}),
  });
  return { record, check: null };
}

const emptyCounts = (): Record<CellRunStatus, number> => ({
  same: 0,
  different: 0,
  new: 0,
  missing: 0,
  error: 0,
  skipped: 0,
});

/** Runs every cell of `file` in order and compares each result with the stored one. */
export async function runNotebook(
  query: QueryFn,
  file: AssayNotebookFile,
  options: RunNotebookOptions = {},
): Promise<RunReport> {
  const started = performance.now();
  const engineVersion = options.engineVersion ?? (await engineVersionOf(query));
  const context = {
    engineVersion,
    datasets: options.datasets ?? new Set(file.notebook.datasets.map((d) => d.name)),
    // Streamed in the app: the CLI loads the file, but drift reads it through a profile, as there.
    streamed: new Set(file.notebook.datasets.filter((d) => d.streamed).map((d) => d.name)),
    profiles: new Map<string, StreamedProfile>(),
    now: options.now ?? (() => new Date()),
  };
  const runnable = file.notebook.cells.filter((c) => c.kind !== "markdown");
  const stored = (id: string) => (Object.hasOwn(file.results, id) ? file.results[id] : undefined);
  const cells: CellRunReport[] = [];
  for (const [index, cell] of runnable.entries()) {
    options.onProgress?.({ phase: "start", index, total: runnable.length, cell });
    const t0 = performance.now();
    const before = stored(cell.id);
    const base = {
      cellId: cell.id,
      name: cell.name,
      kind: cell.kind,
      storedHash: before?.resultHash ?? null,
      verdicts: [] as Verdict[],
    };
    let report: CellRunReport;
    if (cell.kind !== "sql" && cell.kind !== "check") {
      report = {
        ...base,
        status: "skipped",
        message: `${SKIP_REASONS[cell.kind] ?? `Cells of kind "${cell.kind}" cannot run headlessly`}; not re-run.`,
        hash: null,
        verdict: null,
        record: null,
        comparison: null,
        check: null,
        error: null,
        elapsedMs: 0,
      };
    } else {
      try {
        const { record, check } = await computeCell(query, cell, before, context);
        const [comparison] = compareRuns(
          before ? { [cell.id]: before } : {},
          { [cell.id]: { resultHash: record.resultHash, rowCount: record.rowCount, summary: record.summary } },
          [cell.id],
        );
        const c = comparison as RunComparison;
        report = {
          ...base,
          status: c.status,
          message: c.message,
          hash: record.resultHash,
          verdict: check ? check.verdict : null,
          verdicts: record.verdicts ?? [],
          record,
          comparison: c,
          check,
          error: null,
          elapsedMs: performance.now() - t0,
        };
      } catch (error) {
        const e = errorOf(error);
        report = {
          ...base,
          status: "error",
          message: e.message,
          hash: null,
          verdict: cell.kind === "check" ? "error" : null,
          record: null,
          comparison: null,
          check: null,
          error: e,
          elapsedMs: performance.now() - t0,
        };
      }
    }
    cells.push(report);
    options.onProgress?.({ phase: "done", index, total: runnable.length, cell, report });
  }
  // Stored results of cells the notebook no longer has (a hand-edited file).
  const known = new Set(file.notebook.cells.map((c) => c.id));
  for (const [id, record] of Object.entries(file.results)) {
    if (known.has(id)) continue;
    cells.push({
      cellId: id,
      name: id,
      kind: "unknown",
      status: "missing",
      message: "A result is stored for a cell the notebook does not have.",
      storedHash: record.resultHash,
      hash: null,
      verdict: null,
      verdicts: [],
      record: null,
      comparison: null,
      check: null,
      error: null,
      elapsedMs: 0,
    });
  }
  const counts = emptyCounts();
  for (const c of cells) counts[c.status]++;
  const checkVerdictsRun = cells.flatMap((c) => (c.verdict ? [c.verdict] : []));
  return {
    cells,
    engineVersion,
    counts,
    failedChecks: checkVerdictsRun.filter((v) => v === "fail").length,
    verdict: worstVerdict(checkVerdictsRun),
    mismatch: counts.different + counts.missing > 0,
    elapsedMs: performance.now() - started,
  };
}

/** The recomputed records by cell id, ready to store as a file's `results`. */
export function recordsOf(report: RunReport): Record<string, CellResultRecord> {
  return Object.fromEntries(report.cells.flatMap((c) => (c.record ? [[c.cellId, c.record]] : [])));
}
