/**
 * `--html OUT`: a small self-contained HTML summary (inline style, no scripts, no external
 * assets): the inputs with their SHA-256, the versions, and the check table. The richer
 * report comes with the notebook export.
 */
import type { Check, Verdict } from "../lib/audit/standard-audit";
import type { InputFile } from "./inputs";
import { formatNumber } from "./summary-table";
import type { Versions } from "./versions";

const COLORS: Record<Verdict, string> = { pass: "#1a7f37", warn: "#9a6700", fail: "#cf222e", error: "#8250df" };
const COMPARATORS: Record<string, string> = { "<": "&lt;", "<=": "≤", "=": "=", ">=": "≥", ">": "&gt;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkRow(c: Check): string {
  const threshold =
    c.comparator === null ? "" : `${COMPARATORS[c.comparator]} ${escapeHtml(formatNumber(c.threshold))}`;
  return `<tr><td>${escapeHtml(c.name)}</td><td class="n">${escapeHtml(formatNumber(c.value))}</td><td class="n">${threshold}</td><td style="color:${COLORS[c.verdict]};font-weight:600">${c.verdict}</td><td>${escapeHtml(c.message ?? "")}</td></tr>`;
}

function inputRow(role: string, f: InputFile): string {
  return `<tr><td>${role}</td><td>${escapeHtml(f.path)}</td><td>${f.format}</td><td class="n">${f.rows.toLocaleString("en")}</td><td><code>${f.sha256}</code></td></tr>`;
}

/** The HTML summary page. */
export function auditHtml(options: {
  checks: readonly Check[];
  verdict: Verdict;
  inputs: { reference: InputFile; current: InputFile };
  versions: Versions;
  createdAt: string;
}): string {
  const { checks, verdict, inputs, versions } = options;
  const versionText = `Assay ${versions.assay ?? "?"} · DuckDB ${versions.duckdb} (@duckdb/node-api ${versions.duckdbNodeApi ?? "?"}) · browser: @duckdb/duckdb-wasm ${versions.duckdbWasm ?? "?"} (DuckDB ${versions.browserDuckdb})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Assay audit: ${verdict}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328}table{border-collapse:collapse;margin:1rem 0}td,th{border-bottom:1px solid #d0d7de;padding:4px 10px;text-align:left;vertical-align:top}.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px}small{color:#57606a}</style>
</head><body>
<h1>Assay audit: <span style="color:${COLORS[verdict]}">${verdict}</span></h1>
<table><tr><th>Dataset</th><th>Path</th><th>Format</th><th>Rows</th><th>SHA-256</th></tr>
${inputRow("reference", inputs.reference)}
${inputRow("current", inputs.current)}
</table>
<table><tr><th>Check</th><th>Value</th><th>Threshold</th><th>Verdict</th><th>Note</th></tr>
${checks.map(checkRow).join("\n")}
</table>
<p><small>${escapeHtml(versionText)} · ${escapeHtml(options.createdAt)}</small></p>
</body></html>
`;
}
