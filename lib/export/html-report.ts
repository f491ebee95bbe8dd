/**
 * The notebook as one self-contained HTML page: inline CSS, no script, no reference to
 * anything outside the page (no fonts, images, links), readable offline and in print.
 * Everything taken from the file is escaped; chart SVG goes through sanitizeSvg.
 * Order: title and versions, overall verdict and every check, datasets, the cells in order,
 * then the manifest digest, signature and evidence log. See docs/export.md.
 */
import type { JsonValue } from "../provenance/canonical-json";
import type { SignatureStatus } from "../provenance/signature";
import type {
  AssayNotebookFile,
  CellResultRecord,
  FileCell,
  FileColumn,
  Verdict,
  VerdictStatus,
} from "../notebook/format/types";
import { renderMarkdown } from "./markdown";
import { REPORT_CSS } from "./report-style";
import { escapeXml as esc, sanitizeSvg } from "./sanitize-svg";

/** What the app found when it verified the notebook before exporting. */
export interface ReportVerification {
  digest: "valid" | "altered";
  signature: SignatureStatus;
  fingerprint?: string;
}

export interface ReportOptions {
  /** SVG markup per check cell id (the app's charts); untrusted, sanitised here. */
  charts?: Record<string, string[]>;
  verification?: ReportVerification;
  /** ISO-8601 time the report was made; left out of the page when absent. */
  generatedAt?: string;
}

type Status = VerdictStatus | "none";

const ORDER: Record<VerdictStatus, number> = { pass: 0, warn: 1, fail: 2, error: 3 };
const BADGE: Record<Status, string> = {
  pass: "✓ PASS",
  warn: "! WARN",
  fail: "✗ FAIL",
  error: "⚠ ERROR",
  none: "– NOT RUN",
};
const COMPARATORS: Record<string, string> = { "<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">" };

function badge(status: Status): string {
  return `<span class="v v-${status}">${BADGE[status]}</span>`;
}

function worst(statuses: readonly VerdictStatus[]): VerdictStatus {
  return statuses.reduce<VerdictStatus>((w, s) => (ORDER[s] > ORDER[w] ? s : w), "pass");
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One value of a result summary or of params, as escaped HTML. */
function value(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return '<span class="null">NULL</span>';
  if (typeof v === "string") return esc(v);
  if (typeof v === "number" || typeof v === "boolean") return esc(String(v));
  if (isObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && typeof v.$float === "string") return esc(v.$float);
    if (keys.length === 1 && typeof v.$binary === "string") return `<code>\\x${esc(v.$binary)}</code>`;
  }
  return `<code>${esc(JSON.stringify(v))}</code>`;
}

const count = (n: number) => n.toLocaleString("en");

function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let x = bytes;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${x.toFixed(1)} ${units[u]}`;
}

const hash = (h: string) => `<code class="hash">${esc(h)}</code>`;
const cellAnchor = (id: string) => `cell-${esc(id)}`;

/** Value, comparator and threshold of a verdict's detail, when it records a measurement. */
interface Measured {
  value?: JsonValue;
  threshold?: JsonValue;
  comparator?: string;
  note?: JsonValue;
}

function measured(v: Verdict): Measured {
  const d = v.detail;
  if (d === undefined) return {};
  if (!isObject(d)) return { note: d };
  const { value: val, threshold, comparator, sql: _sql, ...rest } = d;
  const note = typeof rest.detail === "string" && Object.keys(rest).length === 1 ? rest.detail : rest;
  return {
    ...(val !== undefined ? { value: val } : {}),
    ...(threshold !== undefined ? { threshold } : {}),
    ...(typeof comparator === "string" ? { comparator } : {}),
    ...(isObject(note) && Object.keys(note).length === 0 ? {} : { note }),
  };
}

function thresholdText(m: Measured): string {
  if (m.threshold === undefined) return "";
  const op = m.comparator ? `${esc(COMPARATORS[m.comparator] ?? m.comparator)} ` : "";
  return `${op}${value(m.threshold)}`;
}

function noteText(note: JsonValue | undefined): string {
  if (note === undefined) return "";
  return typeof note === "string" ? esc(note) : value(note);
}

const checkCells = (file: AssayNotebookFile) => file.notebook.cells.filter((c) => c.kind === "check");

function cellStatus(result: CellResultRecord | undefined): Status {
  if (!result?.verdicts || result.verdicts.length === 0) return "none";
  return worst(result.verdicts.map((v) => v.status));
}

function familyOf(cell: FileCell): string {
  const f = cell.params?.family ?? cell.params?.metric;
  return typeof f === "string" ? f : "";
}

function header(file: AssayNotebookFile, options: ReportOptions): string {
  const engine = `DuckDB ${file.engine.version}${file.engine.nativeVersion ? ` (native ${file.engine.nativeVersion})` : ""}`;
  const parts = [
    `Created ${esc(file.createdAt)}`,
    `${esc(file.app.name)} ${esc(file.app.version)}`,
    esc(engine),
    `format ${esc(file.format)} v${esc(String(file.version))}`,
  ];
  if (options.generatedAt) parts.push(`report generated ${esc(options.generatedAt)}`);
  return `<header><h1>${esc(file.notebook.title || "Untitled notebook")}</h1><p class="meta">${parts.join(" · ")}</p>${integrityLine(file, options.verification)}</header>`;
}

function integrityLine(file: AssayNotebookFile, v: ReportVerification | undefined): string {
  if (!v) {
    return `<p class="meta">Integrity was not checked when this report was made; verify the notebook file (manifest digest ${hash(file.manifest.digest)}) with <code>npx assay verify</code>.</p>`;
  }
  const digest =
    v.digest === "valid"
      ? "the content matches its manifest digest"
      : "<strong>the content does NOT match its manifest digest (altered)</strong>";
  const sig =
    v.signature === "valid"
      ? `signed, signature valid${v.fingerprint ? ` (key ${hash(v.fingerprint)})` : ""}`
      : v.signature === "invalid"
        ? "<strong>signature INVALID</strong>"
        : "not signed";
  return `<p>Verified when exported: ${digest}; ${sig}.</p>`;
}

function summary(file: AssayNotebookFile): string {
  const checks = checkCells(file);
  if (checks.length === 0) return `<section><h2>Checks</h2><p class="muted">This notebook has no checks.</p></section>`;
  const statuses = checks.map((c) => cellStatus(file.results[c.id]));
  const run = statuses.filter((s): s is VerdictStatus => s !== "none");
  const notRun = statuses.length - run.length;
  const overall: Status = run.length === 0 ? "none" : worst(run);
  const rows = checks.flatMap((cell) => {
    const result = file.results[cell.id];
    const link = `<a href="#${cellAnchor(cell.id)}">${esc(cell.name)}</a>`;
    const family = esc(familyOf(cell));
    const verdicts = result?.verdicts ?? [];
    if (verdicts.length === 0) {
      return [`<tr><td>${link}</td><td>${family}</td><td></td><td></td><td></td><td>${badge("none")}</td></tr>`];
    }
    return verdicts.map((v) => {
      const m = measured(v);
      return `<tr><td>${link}</td><td>${family}</td><td>${esc(v.label)}</td><td class="n">${m.value === undefined ? "" : value(m.value)}</td><td class="n">${thresholdText(m)}</td><td>${badge(v.status)}</td></tr>`;
    });
  });
  const counts = (["pass", "warn", "fail", "error"] as const)
    .map((s) => [s, statuses.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${BADGE[s].split(" ")[1]?.toLowerCase()}`);
  if (notRun > 0) counts.push(`${notRun} not run`);
  return `<section><h2>Checks</h2><p class="overall">Overall verdict: ${badge(overall)} <span class="muted">${esc(`${checks.length} check${checks.length === 1 ? "" : "s"}: ${counts.join(", ")}`)}</span></p>
<table><thead><tr><th>Check</th><th>Family</th><th>Measure</th><th>Value</th><th>Threshold</th><th>Verdict</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></section>`;
}

function datasets(file: AssayNotebookFile): string {
  const list = file.notebook.datasets;
  if (list.length === 0) return "";
  const rows = list.map(
    (d) =>
      `<tr><td>${esc(d.name)}</td><td>${esc(d.fileName)}</td><td>${esc(d.format)}</td><td class="n">${count(d.rows)}</td><td class="n">${esc(formatBytes(d.sizeBytes))}<br><span class="muted">${count(d.sizeBytes)} bytes</span></td><td>${hash(d.sha256)}</td></tr>
<tr><td></td><td colspan="5" class="muted">${d.columns.map((c) => `${esc(c.name)} <small>${esc(c.type)}</small>`).join(", ")}</td></tr>`,
  );
  return `<section><h2>Datasets</h2><table><thead><tr><th>Table</th><th>File</th><th>Format</th><th>Rows</th><th>Size</th><th>SHA-256</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></section>`;
}

function resultTable(result: CellResultRecord): string {
  const head = result.columns
    .map((c: FileColumn) => `<th>${esc(c.name)}<br><small class="muted">${esc(c.type)}</small></th>`)
    .join("");
  const body = result.summary
    .map(
      (row) =>
        `<tr>${row.map((v) => `<td${typeof v === "number" ? ' class="n"' : ""}>${value(v)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  const shown =
    result.summary.length < result.rowCount
      ? `First ${count(result.summary.length)} of ${count(result.rowCount)} rows`
      : `${count(result.rowCount)} row${result.rowCount === 1 ? "" : "s"}`;
  return `<p class="muted">${shown}.</p>${result.columns.length > 0 ? `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>` : ""}`;
}

function resultFooter(result: CellResultRecord): string {
  return `<table class="kv"><tbody>
<tr><th>Result hash</th><td>${hash(result.resultHash)}</td></tr>
<tr><th>Row order hashed</th><td>${result.ordered ? "yes" : "no (rows sorted before hashing)"}</td></tr>
<tr><th>Ran</th><td>${esc(result.ranAt)} on DuckDB ${esc(result.engineVersion)}</td></tr>
</tbody></table>`;
}

function paramsTable(params: FileCell["params"]): string {
  if (!params || Object.keys(params).length === 0) return "";
  const rows = Object.entries(params)
    .filter(([k]) => k !== "sql")
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${value(v)}</td></tr>`);
  return `<h3>Parameters</h3><table class="kv"><tbody>${rows.join("")}</tbody></table>`;
}

/** SQL a check recorded: `params.sql` and any `sql` in its verdicts' details (string or list). */
function checkSql(cell: FileCell, result: CellResultRecord | undefined): string[] {
  const found: string[] = [];
  const take = (v: JsonValue | undefined) => {
    if (typeof v === "string") found.push(v);
    else if (Array.isArray(v)) for (const s of v) if (typeof s === "string") found.push(s);
  };
  take(cell.params?.sql);
  for (const v of result?.verdicts ?? []) if (isObject(v.detail)) take(v.detail.sql);
  return [...new Set(found)];
}

const sqlBlock = (sql: string) => `<pre><code>${esc(sql)}</code></pre>`;

function checkBody(cell: FileCell, result: CellResultRecord | undefined, charts: string[]): string {
  const parts = [
    `<p>Family: <strong>${esc(familyOf(cell) || "—")}</strong> · verdict ${badge(cellStatus(result))}</p>`,
  ];
  parts.push(paramsTable(cell.params));
  if (result?.verdicts && result.verdicts.length > 0) {
    const rows = result.verdicts.map((v) => {
      const m = measured(v);
      return `<tr><td>${esc(v.label)}</td><td class="n">${m.value === undefined ? "" : value(m.value)}</td><td class="n">${thresholdText(m)}</td><td>${badge(v.status)}</td><td>${noteText(m.note)}</td></tr>`;
    });
    parts.push(
      `<h3>Verdicts</h3><table><thead><tr><th>Measure</th><th>Value</th><th>Threshold</th><th>Verdict</th><th>Detail</th></tr></thead><tbody>\n${rows.join("\n")}\n</tbody></table>`,
    );
  }
  const svgs = charts.map(sanitizeSvg).filter((s) => s !== "");
  if (svgs.length > 0)
    parts.push(`<h3>Charts</h3><div class="charts">${svgs.map((s) => `<figure>${s}</figure>`).join("")}</div>`);
  const sql = checkSql(cell, result);
  if (sql.length > 0) parts.push(`<h3>SQL it ran</h3>${sql.map(sqlBlock).join("")}`);
  if (cell.source.trim() !== "") parts.push(sqlBlock(cell.source));
  if (result) parts.push(`<h3>Result</h3>${resultTable(result)}${resultFooter(result)}`);
  else parts.push(`<p class="muted">Not run.</p>`);
  return parts.join("\n");
}

function cellSection(cell: FileCell, index: number, file: AssayNotebookFile, options: ReportOptions): string {
  const result = file.results[cell.id];
  let body: string;
  if (cell.kind === "markdown") body = `<div class="markdown">${renderMarkdown(cell.source)}</div>`;
  else if (cell.kind === "sql") {
    body = `${sqlBlock(cell.source)}${result ? `${resultTable(result)}${resultFooter(result)}` : `<p class="muted">Not run.</p>`}`;
  } else if (cell.kind === "check") body = checkBody(cell, result, options.charts?.[cell.id] ?? []);
  else {
    body = `${paramsTable(cell.params)}${cell.source ? sqlBlock(cell.source) : ""}${result ? `${resultTable(result)}${resultFooter(result)}` : ""}`;
  }
  const title = cell.kind === "markdown" ? "" : ` ${esc(cell.name)}`;
  return `<article class="cell" id="${cellAnchor(cell.id)}"><h2><span class="kind">${index + 1} · ${esc(cell.kind)}</span>${title}</h2>
${body}
</article>`;
}

function provenance(file: AssayNotebookFile, v: ReportVerification | undefined): string {
  const sig = file.signature;
  const rows = [
    `<tr><th>Manifest digest (SHA-256)</th><td>${hash(file.manifest.digest)}${v ? ` ${v.digest === "valid" ? badge("pass") : badge("fail")}` : ""}</td></tr>`,
    `<tr><th>Canonicalisation</th><td>${esc(file.manifest.canonicalization)}</td></tr>`,
    sig
      ? `<tr><th>Signature</th><td>${esc(sig.algorithm)}${v ? ` — ${v.signature === "valid" ? "valid" : v.signature === "invalid" ? "<strong>INVALID</strong>" : esc(v.signature)}` : " — not verified by this report"}</td></tr>
<tr><th>Signer key fingerprint</th><td>${hash(sig.fingerprint)}</td></tr>`
      : `<tr><th>Signature</th><td>not signed</td></tr>`,
  ];
  const evidence = file.evidence.map(
    (e, i) =>
      `<tr><td class="n">${i + 1}</td><td>${esc(e.at)}</td><td>${esc(e.cellName)}<br><small class="muted">${esc(e.cellId)}</small></td><td>${e.verdict ? badge(e.verdict) : badge("none")}</td><td>${hash(e.resultHash)}</td><td>${e.inputs.map((x) => `${esc(x.name)}: ${hash(x.sha256)}`).join("<br>")}</td><td>${hash(e.prev)}</td><td>${hash(e.hash)}</td></tr>`,
  );
  const log =
    evidence.length === 0
      ? `<p class="muted">The evidence log is empty.</p>`
      : `<table><thead><tr><th>#</th><th>At</th><th>Check</th><th>Verdict</th><th>Result hash</th><th>Inputs</th><th>Previous entry</th><th>Entry hash</th></tr></thead><tbody>
${evidence.join("\n")}
</tbody></table>`;
  return `<section class="provenance"><h2>Provenance</h2><table class="kv"><tbody>${rows.join("\n")}</tbody></table>
<h3>Evidence log</h3>${log}</section>`;
}

/** The whole report as one HTML document. */
export function renderNotebookReport(file: AssayNotebookFile, options: ReportOptions = {}): string {
  const cells = file.notebook.cells.map((c, i) => cellSection(c, i, file, options)).join("\n");
  const title = `${file.notebook.title || "Untitled notebook"} — Assay report`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head><body>
${header(file, options)}
${summary(file)}
${datasets(file)}
<section class="cells">
${cells}
</section>
${provenance(file, options.verification)}
</body></html>
`;
}
