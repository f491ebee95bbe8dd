/**
 * The readable summary `assay audit` prints: the inputs, one row per check, the headline
 * metrics of each family, and the verdict. Plain text, fixed-width columns, no colours (CI
 * logs keep it as is).
 */
import type { Check, Comparator, StandardAuditResult, Verdict } from "../lib/audit/standard-audit";
import { isFailure } from "../lib/audit/standard-audit";
import type { InputFile } from "./inputs";

const COMPARATOR_TEXT: Record<Comparator, string> = { "<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">" };
const VERDICT_TEXT: Record<Verdict, string> = { pass: "pass", warn: "warn", fail: "FAIL", error: "ERROR" };

/** A number for people: integers as is, others with 4 significant digits. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (Number.isInteger(value)) return value.toLocaleString("en");
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** Pads cells to a table with a header row and two spaces between columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "─".repeat(w))), ...rows.map(line)];
}

function checkRows(checks: readonly Check[]): string[][] {
  return checks.map((c) => [
    c.name,
    formatNumber(c.value),
    c.comparator === null ? "" : `${COMPARATOR_TEXT[c.comparator]} ${formatNumber(c.threshold)}`,
    VERDICT_TEXT[c.verdict],
  ]);
}

function metricLines(result: StandardAuditResult): string[] {
  const out: string[] = [];
  const perf = result.performance;
  const metrics = ["accuracy", "precision", "recall", "f1", "rocAuc", "prAuc", "logLoss", "brier"] as const;
  if (!isFailure(perf.current)) {
    const current = perf.current;
    const reference = isFailure(perf.reference) ? null : perf.reference;
    const rows = metrics.map((m) => [m, formatNumber(current[m]), formatNumber(reference?.[m])]);
    out.push(...table(["Performance", "Current", "Reference"], rows), "");
  }
  if (!isFailure(result.drift.features)) {
    const drifted = result.drift.features.columns.filter((c) => c.drifted);
    out.push(
      `Drift: ${drifted.length} of ${result.drift.features.columns.length} features drifted${
        drifted.length > 0
          ? `: ${drifted.map((c) => `${c.column} (${c.method} ${formatNumber(c.pValue ?? c.statistic)})`).join(", ")}`
          : ""
      }`,
    );
  }
  const op = result.operational;
  if (op !== null && !isFailure(op) && op.latency) {
    const l = op.latency;
    out.push(
      `Latency "${result.spec.latency}": p50 ${formatNumber(l.p50)}, p95 ${formatNumber(l.p95)}, p99 ${formatNumber(l.p99)}`,
    );
  }
  for (const f of result.fairness?.result?.attributes ?? []) {
    const rates = f.groups.map((g) => `${g.group} ${formatNumber(g.selectionRate)}`).join(", ");
    out.push(`Selection rate by "${f.attribute}": ${rates}`);
  }
  if (result.slices !== null && !isFailure(result.slices)) {
    const worst = result.slices.slices.slice(0, 3);
    if (worst.length > 0) {
      out.push(
        `Worst slices (${result.slices.metric}): ${worst.map((s) => `${s.description} ${formatNumber(s.value)}`).join("; ")}`,
      );
    }
  }
  return out;
}

function describeInput(file: InputFile): string {
  return `${file.path} (${file.format}, ${file.rows.toLocaleString("en")} rows)`;
}

/** The whole summary, as lines. */
export function summaryLines(
  result: StandardAuditResult,
  checks: readonly Check[],
  verdict: Verdict,
  inputs: { reference: InputFile; current: InputFile },
): string[] {
  const counts = (v: Verdict) => checks.filter((c) => c.verdict === v).length;
  const tally = (["fail", "error", "warn", "pass"] as const)
    .filter((v) => counts(v) > 0)
    .map(
      (v) =>
        `${counts(v)} ${v === "fail" ? "failed" : v === "error" ? "could not run" : v === "warn" ? "warned" : "passed"}`,
    )
    .join(", ");
  return [
    "Assay audit",
    `  reference: ${describeInput(inputs.reference)}`,
    `  current:   ${describeInput(inputs.current)}`,
    "",
    ...table(["Check", "Value", "Threshold", "Verdict"], checkRows(checks)),
    "",
    ...metricLines(result),
    "",
    `Verdict: ${VERDICT_TEXT[verdict]} (${tally || "no checks"})`,
  ];
}
