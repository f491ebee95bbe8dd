import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildNotebookFile } from "../notebook/format/build";
import type { AssayNotebookFile, CellResultRecord } from "../notebook/format/types";
import { appendEvidence } from "../provenance/evidence-log";
import { renderNotebookReport } from "./html-report";

const SHA = "a".repeat(64);

function result(resultHash: string, extra: Partial<CellResultRecord> = {}): CellResultRecord {
  return {
    resultHash,
    ordered: false,
    rowCount: 2,
    columns: [
      { name: "label", type: "BIGINT" },
      { name: "avg(score)", type: "DOUBLE" },
    ],
    summary: [
      [0, 0.123456789],
      [1, { $float: "NaN" }],
    ],
    ranAt: "2025-03-01T10:00:00.000Z",
    engineVersion: "v1.4.3",
    ...extra,
  };
}

const CHART = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120" viewBox="0 0 300 120" onload="alert(1)"><g fill="#1a7f37"><rect x="10" y="10" width="200" height="20"><title>AUC</title></rect></g><script>alert(2)</script><a href="https://evil.example"><text x="5" y="100">click</text></a><text x="220" y="25">0.91</text></svg>`;

async function sample(): Promise<AssayNotebookFile> {
  let evidence = await appendEvidence([], {
    at: "2025-03-01T10:00:01.000Z",
    cellId: "c3",
    cellName: "auc_check",
    inputs: [{ name: "preds", sha256: SHA }],
    verdict: "pass",
    resultHash: "2".repeat(64),
  });
  evidence = await appendEvidence(evidence, {
    at: "2025-03-01T11:00:01.000Z",
    cellId: "c4",
    cellName: "drift_check",
    inputs: [{ name: "preds", sha256: SHA }],
    verdict: "fail",
    resultHash: "4".repeat(64),
  });
  return buildNotebookFile({
    document: {
      title: "Credit model audit — Q1 <b>bold</b>",
      cells: [
        {
          id: "c2",
          kind: "markdown",
          name: "md1",
          source:
            "# Notes\n\nSome *emphasis*, **strong** and `code`.\n\n* ünïcode ✓ 🚀\n* second\n\n1. one\n2. two\n\n<img src=x onerror=alert(1)>\n\n<script>alert('x')</script>\n\nSee [the docs](https://example.com/docs) and https://example.org.\n\n![chart](https://example.com/c.png)\n\n```sql\n-- a comment // with slashes\nSELECT 1\n```",
        },
        {
          id: "c1",
          kind: "sql",
          name: "q1",
          source: "SELECT label, avg(\"score\") -- http://x\nFROM preds\nWHERE s < '<script>'\nGROUP BY 1",
        },
        {
          id: "c3",
          kind: "check",
          name: "auc_check",
          source: "",
          params: {
            family: "performance",
            source: "preds",
            label: "label",
            score: "score",
            threshold: 0.5,
            minRocAuc: 0.8,
          },
        },
        {
          id: "c4",
          kind: "check",
          name: "drift_check",
          source: "",
          params: {
            family: "drift",
            reference: "ref",
            current: "preds",
            columns: [],
            maxDriftShare: 0.05,
            sql: ["SELECT count(*) FROM ref", "SELECT count(*) FROM preds"],
          },
        },
        { id: "c5", kind: "check", name: "never_run", source: "", params: { family: "calibration", maxEce: 0.05 } },
        { id: "c6", kind: "check", name: "warn_check", source: "", params: { family: "operational" } },
      ],
      datasets: [
        {
          name: "preds",
          fileName: "predictions 2025.csv",
          format: "csv",
          sizeBytes: 123456,
          rows: 1000,
          columns: [
            { name: "label", type: "BIGINT" },
            { name: "score", type: "DOUBLE" },
          ],
          sha256: SHA,
        },
      ],
    },
    results: {
      c1: result("1".repeat(64), { rowCount: 1234 }),
      c3: result("2".repeat(64), {
        verdicts: [{ label: "ROC AUC", status: "pass", detail: { value: 0.91, threshold: 0.8, comparator: ">=" } }],
      }),
      c4: result("4".repeat(64), {
        verdicts: [
          {
            label: "Drifted columns share",
            status: "fail",
            detail: { value: 0.5, threshold: 0.05, comparator: "<=", detail: "2 of 4 columns drifted" },
          },
          { label: "Test run", status: "error", detail: "column x missing" },
        ],
      }),
      c6: result("6".repeat(64), {
        verdicts: [{ label: "p99 latency", status: "warn", detail: { value: 290, threshold: 300, comparator: "<=" } }],
      }),
    },
    evidence,
    app: { name: "assay", version: "0.1.0" },
    engine: { version: "v1.4.3", nativeVersion: "v1.4.3" },
    createdAt: "2025-03-01T12:00:00.000Z",
  });
}

/** Every attribute value of every tag, and the tag names, read with a tiny scanner. */
function tags(html: string): { name: string; attributes: [string, string][] }[] {
  const out: { name: string; attributes: [string, string][] }[] = [];
  const body = html.replace(/<style>[\s\S]*?<\/style>/, "<style>");
  for (const m of body.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attributes: [string, string][] = [];
    for (const a of (m[2] ?? "").matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)) attributes.push([a[1] as string, a[2] ?? ""]);
    out.push({ name: (m[1] as string).toLowerCase(), attributes });
  }
  return out;
}

describe("renderNotebookReport", () => {
  it("contains every verdict, hash and dataset fact", async () => {
    const file = await sample();
    const html = renderNotebookReport(file, { charts: { c3: [CHART] }, generatedAt: "2025-03-02T09:00:00.000Z" });
    for (const h of [
      file.manifest.digest,
      SHA,
      ...Object.values(file.results).map((r) => r.resultHash),
      ...file.evidence.flatMap((e) => [e.hash, e.prev, e.resultHash]),
    ]) {
      expect(html).toContain(h);
    }
    for (const v of ["✓ PASS", "! WARN", "✗ FAIL", "⚠ ERROR", "– NOT RUN"]) expect(html).toContain(v);
    expect(html).toMatch(/Overall verdict: <span class="v v-error">/);
    expect(html).toContain("v1.4.3");
    expect(html).toContain("0.1.0");
    expect(html).toContain("predictions 2025.csv");
    expect(html).toContain("1,000");
    expect(html).toContain("First 2 of 1,234 rows");
    expect(html).toContain("NaN");
    expect(html).toContain("≥ 0.8");
    expect(html).toContain("2 of 4 columns drifted");
    expect(html).toContain("SELECT count(*) FROM ref");
    expect(html).toContain("minRocAuc");
    expect(html).toContain("Integrity was not checked");
    // Cells in order.
    const order = ["cell-c2", "cell-c1", "cell-c3", "cell-c4", "cell-c5", "cell-c6"].map((id) =>
      html.indexOf(`id="${id}"`),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
  });

  it("references nothing outside the page and runs no script", async () => {
    const html = renderNotebookReport(await sample(), { charts: { c3: [CHART], c4: [CHART] } });
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toContain("//");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(
      /<(img|iframe|object|embed|link|base|form|input|video|audio|source|foreignobject|use|image)\b/i,
    );
    expect(html).not.toMatch(/@import|url\(/i);
    for (const tag of tags(html)) {
      for (const [name, value] of tag.attributes) {
        expect(name).not.toMatch(/^on/i);
        expect(name).not.toMatch(/^(src|srcset|action|formaction|xlink:href|background|poster)$/i);
        if (name === "href") expect(value).toMatch(/^#cell-[\w-]+$/);
        expect(value).not.toMatch(/javascript:/i);
      }
    }
    expect(html).toContain("default-src 'none'");
  });

  it("shows Markdown as safe HTML: raw HTML escaped, images and links as text", async () => {
    const html = renderNotebookReport(await sample());
    expect(html).toContain("<h3>Notes</h3>");
    expect(html).toContain("<em>emphasis</em>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<li>ünïcode ✓ 🚀</li>");
    expect(html).toContain("<ol>");
    expect(html).toContain("&#60;img src=x onerror=alert(1)&#62;");
    expect(html).toContain("&#60;script&#62;alert(&#39;x&#39;)&#60;&#47;script&#62;");
    expect(html).toContain("[image: chart]");
    expect(html).toContain('the docs <span class="muted">(https:&#47;&#47;example.com&#47;docs)</span>');
    expect(html).not.toMatch(/<img/i);
  });

  it("escapes the title, SQL and values", async () => {
    const html = renderNotebookReport(await sample());
    expect(html).toContain("Credit model audit — Q1 &#60;b&#62;bold&#60;&#47;b&#62;");
    expect(html).toContain("WHERE s &#60; &#39;&#60;script&#62;&#39;");
    expect(html).not.toContain("<b>bold</b>");
  });

  it("sanitises the charts and keeps their shapes", async () => {
    const html = renderNotebookReport(await sample(), { charts: { c3: [CHART] } });
    expect(html).toContain('<rect x="10" y="10" width="200" height="20"><title>AUC</title></rect>');
    expect(html).toContain('<text x="220" y="25">0.91</text>');
    const charts = html.slice(html.indexOf('<div class="charts">'));
    const chartSection = charts.slice(0, charts.indexOf("</div>"));
    expect(chartSection).toContain("<svg");
    expect(chartSection).not.toContain("alert(");
    expect(chartSection).not.toContain("click");
    expect(chartSection).not.toContain("onload");
  });

  it("states the verification the app did", async () => {
    const file = await sample();
    const ok = renderNotebookReport(file, {
      verification: { digest: "valid", signature: "valid", fingerprint: "f".repeat(64) },
    });
    expect(ok).toContain("the content matches its manifest digest");
    expect(ok).toContain("f".repeat(64));
    const bad = renderNotebookReport(file, { verification: { digest: "altered", signature: "invalid" } });
    expect(bad).toContain("does NOT match its manifest digest");
    expect(bad).toContain("signature INVALID");
  });

  it("has print rules: a page per cell, rows kept whole, light colours", () => {
    const html = renderNotebookReport({
      format: "assay-notebook",
      version: 1,
      createdAt: "2025-03-01T12:00:00.000Z",
      app: { name: "assay", version: "0.1.0" },
      engine: { name: "duckdb", version: "v1.4.3" },
      notebook: { title: "", cells: [], datasets: [] },
      results: {},
      evidence: [],
      manifest: { algorithm: "sha-256", canonicalization: "assay-jcs-1", digest: "0".repeat(64), parts: {} },
    });
    expect(html).toMatch(/@media print\{[^@]*\.cell\{break-before:page/);
    expect(html).toMatch(/tr,svg,pre\{break-inside:avoid\}/);
    expect(html).toContain("This notebook has no checks.");
    expect(html).toContain("The evidence log is empty.");
  });

  it("writes a sample report for the browser test (test-results/report-sample.html)", async () => {
    const html = renderNotebookReport(await sample(), {
      charts: { c3: [CHART] },
      verification: { digest: "valid", signature: "unsigned" },
      generatedAt: "2025-03-02T09:00:00.000Z",
    });
    mkdirSync("test-results", { recursive: true });
    writeFileSync("test-results/report-sample.html", html);
    expect(html.length).toBeGreaterThan(1000);
  });
});

describe("renderMarkdown", () => {
  it("shows a bare address once, as text", async () => {
    const { renderMarkdown } = await import("./markdown");
    const html = renderMarkdown("see https://example.org/a?b=1&c=2 now");
    expect(html).toBe("<p>see https:&#47;&#47;example.org&#47;a?b=1&#38;c=2 now</p>\n");
  });
});
