/**
 * `assay run --html OUT`: a small self-contained page (inline style, no scripts, no external
 * assets): lib/export's notebook report (renderNotebookReport) showing the re-run's results,
 * with a "Re-run" section added: the data files and their hashes, and one row per cell
 * (verdicts, whether its result hash reproduces).
 */
import type { DatasetCheck } from "../lib/provenance/verify-datasets";
import type { CellRunReport, RunReport } from "../lib/runner/run-notebook";
import { renderNotebookReport } from "../lib/export/html-report";
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

/** What the run page shows: the notebook, the data files it was re-run on, and the outcome. */
export interface RunHtmlOptions {
  notebook: ReadNotebook;
  inputs: readonly { name: string; input: InputFile; check: DatasetCheck }[];
  report: RunReport;
  verdict: string;
  versions: Versions;
  createdAt: string;
}

/** The "Re-run" section: where the data came from and, per cell, whether its result reproduced. */
function rerunSection(options: RunHtmlOptions): string {
  const { notebook, report, versions } = options;
  const datasetRows = options.inputs
    .map(
      (i) =>
        `<tr><td>${escapeHtml(i.name)}</td><td>${escapeHtml(i.input.path)}</td><td class="n">${i.input.rows.toLocaleString("en")}</td><td><code>${i.input.sha256}</code></td><td>${badge(i.check.status === "match" ? "same" : "different")}</td></tr>`,
    )
    .join("\n");
  return `<section class="rerun"><h2>Re-run with <code>assay run</code>: ${badge(options.verdict)}</h2>
<p>${escapeHtml(`Re-run of ${notebook.path} on ${options.createdAt} with Assay ${versions.assay ?? "?"} on DuckDB ${versions.duckdb}. Results below are the re-run's.`)}</p>
<table><thead><tr><th>Dataset</th><th>File</th><th>Rows</th><th>SHA-256</th><th>Audited file</th></tr></thead><tbody>
${datasetRows}
</tbody></table>
<table><thead><tr><th>Cell</th><th>Kind</th><th>Verdict</th><th>Result hash</th><th>Note</th></tr></thead><tbody>
${report.cells.map(cellRow).join("\n")}
</tbody></table></section>`;
}

/**
 * The HTML page for a run: lib/export's notebook report of the re-run's results (stored
 * results kept for cells that were skipped), with a "Re-run" section before the cells.
 */
export function runHtml(options: RunHtmlOptions): string {
  const { notebook, report } = options;
  const { file, verification } = notebook;
  const results = { ...file.results };
  for (const c of report.cells) {
    if (c.record) results[c.cellId] = c.record;
    else if (c.status === "error") delete results[c.cellId];
  }
  const page = renderNotebookReport(
    { ...file, results },
    {
      verification: {
        digest: verification.manifest.valid ? "valid" : "altered",
        signature: verification.signature.status,
        ...(verification.signature.fingerprint ? { fingerprint: verification.signature.fingerprint } : {}),
      },
      generatedAt: options.createdAt,
    },
  );
  const marker = '<section class="cells">';
  const at = page.indexOf(marker);
  const section = rerunSection(options);
  return at === -1
    ? page.replace("</body>", `${section}\n</body>`)
    : `${page.slice(0, at)}${section}\n${page.slice(at)}`;
}
