/**
 * `assay run --html OUT`: a small self-contained page (inline style, no scripts, no external
 * assets) with the notebook's identity, the datasets and their hashes, and one row per cell
 * (verdicts, whether its result hash reproduces). The app's richer notebook report is
 * lib/export's job; this is the CLI's summary.
 */
import type { DatasetCheck } from "../lib/provenance/verify-datasets";
import type { CellRunReport, RunReport } from "../lib/runner/run-notebook";
import { escapeHtml } from "./html-report";
import type { InputFile } from "./inputs";
import type { ReadNotebook } from "./notebook-input";
import { formatNumber } from "./summary-table";
import type { Versions } from "./versions";

const COLORS: Record<string, string> = {
  pass: "#1a7f37",
  same: "#1a7f37",
  warn: "#9a6700",
  new: "#9a6700",
  skipped: "#57606a",
  fail: "#cf222e",
  different: "#cf222e",
  missing: "#cf222e",
  error: "#8250df",
};
const COMPARATORS: Record<string, string> = { "<": "&lt;", "<=": "≤", "=": "=", ">=": "≥", ">": "&gt;" };

const badge = (text: string) => `<span style="color:${COLORS[text] ?? "#1f2328"};font-weight:600">${text}</span>`;

function verdictCell(c: CellRunReport): string {
  if (c.kind !== "check") return "";
  const rows = c.verdicts.map((v) => {
    const d = (v.detail ?? {}) as { value?: number | null; threshold?: number; comparator?: string };
    return `${escapeHtml(v.label)}: ${escapeHtml(formatNumber(d.value ?? null))} (${COMPARATORS[d.comparator ?? ""] ?? ""} ${escapeHtml(formatNumber(d.threshold))}) ${badge(v.status)}`;
  });
  return rows.length ? rows.join("<br>") : badge(c.verdict ?? "");
}

function cellRow(c: CellRunReport): string {
  const hash = c.hash ? `<code>${c.hash.slice(0, 16)}…</code>` : "";
  const message = c.status === "same" ? "" : escapeHtml(c.message);
  return `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.kind)}</td><td>${verdictCell(c)}</td><td>${badge(c.status)} ${hash}</td><td>${message}</td></tr>`;
}

/** The HTML page for a run. */
export function runHtml(options: {
  notebook: ReadNotebook;
  inputs: readonly { name: string; input: InputFile; check: DatasetCheck }[];
  report: RunReport;
  verdict: string;
  versions: Versions;
  createdAt: string;
}): string {
  const { notebook, report, versions } = options;
  const sig = notebook.verification.signature;
  const signature =
    sig.status === "valid" ? `signed, fingerprint <code>${escapeHtml(sig.fingerprint ?? "")}</code>` : sig.status;
  const datasetRows = options.inputs
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.name)}</td><td>${escapeHtml(i.input.path)}</td><td class="n">${i.input.rows.toLocaleString("en")}</td><td><code>${i.input.sha256}</code></td><td>${badge(i.check.status === "match" ? "same" : "different")}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Assay run: ${escapeHtml(notebook.file.notebook.title)}: ${options.verdict}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px}small{color:#57606a}</style>
</head><body>
<h1>${escapeHtml(notebook.file.notebook.title)}: ${badge(options.verdict)}</h1>
<p>Re-run of <code>${escapeHtml(notebook.path)}</code> (digest <code>${notebook.file.manifest.digest}</code>, ${signature}).</p>
<table><tr><th>Dataset</th><th>File</th><th>Rows</th><th>SHA-256</th><th>Audited file</th></tr>
${datasetRows}
</table>
<table><tr><th>Cell</th><th>Kind</th><th>Verdict</th><th>Result hash</th><th>Note</th></tr>
${report.cells.map(cellRow).join("\n")}
</table>
<p><small>${escapeHtml(`Assay ${versions.assay ?? "?"} · DuckDB ${versions.duckdb} · ${options.createdAt}`)}</small></p>
</body></html>
`;
}
