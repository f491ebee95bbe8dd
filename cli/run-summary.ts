/**
 * What `assay run` prints and writes: the summary table (one row per cell: kind, verdict,
 * whether its result hash reproduces) and the `assay-run/1` JSON document.
 */
import type { DatasetCheck } from "../lib/provenance/verify-datasets";
import type { CellRunReport, CellRunStatus, RunReport } from "../lib/runner/run-notebook";
import type { InputFile } from "./inputs";
import type { ReadNotebook } from "./notebook-input";
import { formatNumber, table } from "./summary-table";
import type { Versions } from "./versions";

const STATUS_TEXT: Record<CellRunStatus, string> = {
  same: "same",
  different: "DIFFERENT",
  new: "new (no stored result)",
  missing: "MISSING",
  error: "ERROR",
  skipped: "skipped",
};
const VERDICT_TEXT = { pass: "pass", warn: "warn", fail: "FAIL", error: "ERROR" } as const;
const COMPARATOR: Record<string, string> = { "<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">" };

function note(c: CellRunReport): string {
  if (c.status === "error" || c.status === "skipped") return c.message;
  if (c.kind === "check") {
    return c.verdicts
      .map((v) => {
        const d = (v.detail ?? {}) as { value?: number | null; threshold?: number; comparator?: string };
        return `${v.label} ${formatNumber(d.value ?? null)} (${COMPARATOR[d.comparator ?? ""] ?? ""} ${formatNumber(d.threshold)})`;
      })
      .join("; ");
  }
  if (c.status === "different") return c.message;
  return c.record ? `${c.record.rowCount.toLocaleString("en")} rows` : "";
}

/** The exit decision, shared by the summary and the command. */
export function runOutcome(report: RunReport): { errors: number; failedChecks: number; mismatches: number } {
  return {
    errors: report.counts.error,
    failedChecks: report.failedChecks,
    mismatches: report.counts.different + report.counts.missing,
  };
}

/** The summary printed on stdout. */
export function runSummaryLines(
  notebook: ReadNotebook,
  inputs: readonly { name: string; input: InputFile; check: DatasetCheck }[],
  report: RunReport,
): string[] {
  const { file } = notebook;
  const sig = notebook.verification.signature;
  const lines = [
    `Notebook  ${notebook.path} — "${file.notebook.title}"`,
    `          digest ${file.manifest.digest.slice(0, 16)}…, ${sig.status === "valid" ? `signed (fingerprint ${sig.fingerprint?.slice(0, 16)}…)` : sig.status}`,
    "",
    ...table(
      ["Dataset", "File", "Rows", "SHA-256"],
      inputs.map((i) => [
        i.name,
        i.input.path,
        i.input.rows.toLocaleString("en"),
        i.check.status === "match"
          ? `${i.input.sha256.slice(0, 16)}… matches`
          : `${i.input.sha256.slice(0, 16)}… DIFFERS`,
      ]),
    ),
    "",
    ...table(
      ["Cell", "Kind", "Verdict", "Result hash", "Note"],
      report.cells.map((c) => [
        c.name,
        c.kind,
        c.verdict ? VERDICT_TEXT[c.verdict] : "",
        STATUS_TEXT[c.status],
        note(c).slice(0, 120),
      ]),
    ),
    "",
  ];
  const { errors, failedChecks, mismatches } = runOutcome(report);
  const ran = report.cells.filter((c) => c.status !== "skipped" && c.status !== "missing").length;
  const parts = [
    `${report.counts.same} of ${ran} results reproduce`,
    mismatches ? `${mismatches} differ` : null,
    report.counts.new ? `${report.counts.new} had no stored result` : null,
    errors ? `${errors} could not run` : null,
    report.counts.skipped ? `${report.counts.skipped} skipped` : null,
  ].filter(Boolean);
  const checks = report.cells.filter((c) => c.kind === "check");
  const failing = failedChecks ? `; ${failedChecks} of ${checks.length} checks FAIL` : `; ${checks.length} checks`;
  const verdict = errors ? "ERROR" : failedChecks || mismatches ? "FAIL" : "pass";
  lines.push(`${parts.join(", ")}${failing}. Verdict: ${verdict} (${(report.elapsedMs / 1000).toFixed(2)} s)`);
  return lines;
}

/** The `--json` document, format `assay-run/1`. */
export function runJson(options: {
  argv: readonly string[];
  notebook: ReadNotebook;
  inputs: readonly { name: string; input: InputFile; check: DatasetCheck }[];
  report: RunReport;
  versions: Versions;
  createdAt: string;
  exitCode: number;
}) {
  const { notebook, report } = options;
  const sig = notebook.verification.signature;
  return {
    format: "assay-run/1",
    createdAt: options.createdAt,
    tool: { name: "assay", command: "run", argv: [...options.argv] },
    versions: options.versions,
    notebook: {
      path: notebook.path,
      title: notebook.file.notebook.title,
      digest: notebook.file.manifest.digest,
      signature: { status: sig.status, fingerprint: sig.fingerprint ?? null },
      reformatted: !notebook.verification.form.canonical,
    },
    datasets: options.inputs.map((i) => ({
      name: i.name,
      path: i.input.path,
      format: i.input.format,
      rows: i.input.rows,
      sha256: i.input.sha256,
      expected: i.check.expected,
      status: i.check.status,
    })),
    cells: report.cells.map((c) => ({
      id: c.cellId,
      name: c.name,
      kind: c.kind,
      status: c.status,
      message: c.message,
      storedHash: c.storedHash,
      hash: c.hash,
      verdict: c.verdict,
      verdicts: c.verdicts,
      rowCount: c.record?.rowCount ?? null,
      differences: c.comparison?.differences ?? [],
      error: c.error,
      sql: c.check?.sql ?? null,
      elapsedMs: c.elapsedMs,
    })),
    counts: report.counts,
    failedChecks: report.failedChecks,
    verdict: report.verdict,
    exitCode: options.exitCode,
    engineVersion: report.engineVersion,
    elapsedMs: report.elapsedMs,
  };
}
