#!/usr/bin/env node
/**
 * Times the built app in headless Chromium on the synthetic prediction logs: loading the
 * reference and current Parquet files, a GROUP BY SQL cell re-run, and the standard audit
 * ("New audit" → Create and run) until every check has finished; samples the peak memory of
 * Chromium's processes meanwhile.
 *
 *   npm run build && node bench/generate-data.mjs --rows 1000000     # once
 *   node bench/browser.mjs [--rows 1000000] [--repeats 5] [--data bench/data] [--headed] [--revisit]
 *
 * `--stream` instead streams both files (the data panel's "stream it": profiled row group by row
 * group, never loaded), runs a drift check on the two profiles, then the standard audit on the
 * streamed files (its slices, fairness, calibration and performance checks read the current file
 * again row group by row group), and writes bench/results/browser-stream-<rows>.json: the path for
 * files larger than memory.
 *
 * `--revisit` then opens the app again in the same browser profile and repeats load, GROUP BY and
 * audit (`result.revisit`): a returning visitor, whose browser has cached the service worker's
 * assets and V8's optimised code for DuckDB's WebAssembly, which a first visit compiles while it runs.
 * It runs in a persistent profile (a fresh temporary directory, so the first visit is still a first
 * one): Chromium keeps no code cache for an off-the-record context such as `browser.newPage()`'s.
 *
 * Drives the page the way e2e/ does (data-testid selectors), through @playwright/test's
 * library API and Debian's /usr/bin/chromium ($CHROMIUM_PATH overrides). Serves out/ with
 * scripts/serve.mjs on a free port. Writes bench/results/browser-<rows>.json and, when
 * bench/results/native-<rows>.json exists (`run-audits.mjs --json`), prints the native figures
 * beside the browser's. Not part of `npm test`.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";
import { firstPaintJs } from "./browser-first-paint.mjs";
import { isChromium, sampleMemory } from "./browser-memory.mjs";
import { benchOptions, fmt, median } from "./options.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const args = (argv) =>
  benchOptions(
    argv,
    {
      rows: { type: "string" },
      repeats: { type: "string" },
      data: { type: "string" },
      headed: { type: "boolean" },
      revisit: { type: "boolean" },
      stream: { type: "boolean" },
    },
    {
      rows: 1_000_000,
      repeats: 5,
      dataDir: resolve(root, "bench/data"),
      headed: false,
      revisit: false,
      stream: false,
    },
  );

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Inverse of lib/format.ts formatMs: "812 ms", "1.23 s", "2 min 5 s" → milliseconds. */
export function parseMs(text) {
  const min = /(\d+) min (\d+) s/.exec(text);
  if (min) return Number(min[1]) * 60_000 + Number(min[2]) * 1000;
  const s = /([\d.]+) s\b/.exec(text);
  if (s) return Number(s[1]) * 1000;
  const ms = /([\d.]+) ms\b/.exec(text);
  return ms ? Number(ms[1]) : null;
}

async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function startServer(port) {
  const child = spawn(process.execPath, [resolve(root, "scripts/serve.mjs"), "--port", String(port)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((done, fail) => {
    child.once("exit", (code) => fail(new Error(`scripts/serve.mjs exited with ${code}`)));
    child.stdout.on("data", (chunk) => {
      if (String(chunk).includes("running at")) done();
    });
  });
  return child;
}

/** Clicks the cell's run button and resolves, in the page, when its status next reaches done/error. */
async function runCellTimed(page, name) {
  return page.evaluate(async (cellName) => {
    const el = document.querySelector(`[data-testid="cell"][data-cell-name="${cellName}"]`);
    if (!el) throw new Error(`no cell ${cellName}`);
    const started = performance.now();
    const finished = new Promise((done) => {
      let left = false;
      const observer = new MutationObserver(() => {
        const status = el.getAttribute("data-status");
        if (status !== "done" && status !== "error") left = true;
        else if (left) {
          observer.disconnect();
          done({ status, wallMs: performance.now() - started });
        }
      });
      observer.observe(el, { attributes: true, attributeFilter: ["data-status"] });
    });
    el.querySelector('[data-testid="run-cell"]').click();
    return finished;
  }, name);
}

async function addSqlCell(page, name, source) {
  const before = await page.getByTestId("cell").count();
  await page.getByTestId("add-sql").click();
  const added = page.getByTestId("cell").nth(before);
  await added.getByTestId("cell-name").fill(name);
  await added.getByTestId("cell-name").press("Enter");
  const cell = page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
  const editor = cell.locator('[data-testid="editor"][data-editor-ready="true"]');
  await editor.waitFor({ timeout: 60_000 });
  await editor.locator(".monaco-editor").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(source);
  return cell;
}

/** Opens an empty notebook and waits for DuckDB to start, in memory phase `phase`. */
async function openEmptyApp(page, port, memory, phase) {
  memory.phase(phase);
  await page.goto(`http://127.0.0.1:${port}/?new`);
  await page.locator('[data-testid="engine-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
}

/** Waits until every named dataset card shows `rows` rows (loaded or streamed to the end). */
async function waitForRows(page, names, rows, timeout) {
  await page.waitForFunction(
    ({ names, rows }) =>
      names.every(
        (n) =>
          document
            .querySelector(`[data-testid="dataset"][data-name="${n}"] [data-testid="dataset-rows"]`)
            ?.textContent?.trim() === rows,
      ),
    { names, rows },
    { timeout, polling: 50 },
  );
}

/** A streamed visit: stream both files, one drift check on their profiles, then the standard audit. */
async function visitStreamed(page, options, port, memory) {
  const files = ["reference", "current"].map((side) => resolve(options.dataDir, `${side}_${options.rows}.parquet`));
  const [reference, current] = ["reference", "current"].map((side) => `${side}_${options.rows}`);
  const expectedRows = options.rows.toLocaleString("en-US");
  const result = { streamed: true };
  const started = Date.now();
  await openEmptyApp(page, port, memory, "engine");
  result.engineReadyMs = Date.now() - started;
  memory.phase("stream");
  const streamStarted = Date.now();
  await page.getByTestId("stream-input").setInputFiles(files);
  await waitForRows(page, [reference, current], expectedRows, 1_800_000);
  result.streamMs = Date.now() - streamStarted;
  console.log(`streamed both files in ${fmt(result.streamMs)}`);
  await page.getByTestId("add-check").selectOption("drift");
  const drift = page.locator('[data-testid="cell"][data-cell-name="drift"]');
  await drift.getByTestId("field-reference").selectOption(reference);
  await drift.getByTestId("field-current").selectOption(current);
  memory.phase("drift");
  const { status, wallMs } = await runCellTimed(page, "drift");
  result.drift = {
    status,
    wallMs,
    columns: await drift.locator('[data-testid="drift-table"] tbody tr').count(),
    verdict: await drift.getByTestId("verdict").first().getAttribute("data-verdict"),
    error: (await drift.getByTestId("cell-error").count())
      ? await drift.getByTestId("cell-error").textContent()
      : undefined,
  };
  console.log(
    `drift check ${status} in ${fmt(wallMs)}: ${result.drift.columns} columns, verdict ${result.drift.verdict}`,
  );
  // The standard audit on the two streamed files: the template's checks that read streamed data
  // (slices, fairness, calibration and performance read the current file again, row group by row group).
  await runStandardAudit(page, options, memory, "", reference, current, result);
  console.log(`standard audit on the streamed files: ${fmt(result.auditMs)}`);
  for (const check of result.checks) {
    console.log(`  ${check.name}: ${check.status} in ${fmt(check.ms)}${check.error ? ` (${check.error})` : ""}`);
  }
  return result;
}

/** One visit: open the app, load both files, re-run a GROUP BY, run the standard audit. */
async function visit(page, options, port, memory, label) {
  const files = ["reference", "current"].map((side) => resolve(options.dataDir, `${side}_${options.rows}.parquet`));
  const [reference, current] = ["reference", "current"].map((side) => `${side}_${options.rows}`);
  const expectedRows = options.rows.toLocaleString("en-US");
  const result = {};
  const started = Date.now();
  await openEmptyApp(page, port, memory, `${label}engine`);
  result.engineReadyMs = Date.now() - started;

  // 1. Load both files; done when both cards show the full row count.
  memory.phase(`${label}load`);
  const loadStarted = Date.now();
  await page.getByTestId("file-input").setInputFiles(files);
  await waitForRows(page, [reference, current], expectedRows, 600_000);
  result.loadMs = Date.now() - loadStarted;
  result.loadShownMs = {};
  for (const name of [reference, current]) {
    const meta = await page.locator(`[data-testid="dataset"][data-name="${name}"] .meta`).textContent();
    result.loadShownMs[name] = parseMs(/loaded in (.+)$/.exec(meta ?? "")?.[1] ?? "");
  }
  console.log(`load ${fmt(result.loadMs)} (cards: ${Object.values(result.loadShownMs).map(fmt).join(", ")})`);

  // 2. A GROUP BY over the current table, re-run `repeats` times.
  const sql = `SELECT c04, sex, count(*) AS n, avg(score) AS mean_score, avg(label) AS positive_rate\nFROM ${current}\nGROUP BY ALL\nORDER BY ALL`;
  memory.phase(`${label}groupBy`);
  const groupBy = await addSqlCell(page, "groupby", sql);
  result.groupBy = { sql, runs: [] };
  for (let i = 0; i < options.repeats; i++) {
    const { status, wallMs } = await runCellTimed(page, "groupby");
    if (status !== "done") throw new Error(`GROUP BY cell ended ${status}`);
    const shown = parseMs((await groupBy.getByTestId("result-elapsed").textContent()) ?? "");
    result.groupBy.runs.push({ shownMs: shown, wallMs });
  }
  result.groupBy.medianMs = median(result.groupBy.runs.map((r) => r.shownMs));
  result.groupBy.medianWallMs = median(result.groupBy.runs.map((r) => r.wallMs));
  console.log(
    `GROUP BY median ${fmt(result.groupBy.medianMs)} [${result.groupBy.runs.map((r) => fmt(r.shownMs)).join(", ")}]`,
  );

  // 3. The standard audit.
  await runStandardAudit(page, options, memory, label, reference, current, result);
  return result;
}

/**
 * The standard audit: New audit → Create and run, until every check is done or failed. Adds
 * canaryOffered, auditMs and checks (name, status, "ran in" ms, error) to `result`.
 */
async function runStandardAudit(page, options, memory, label, reference, current, result) {
  await page.getByTestId("new-audit").click();
  const dialog = page.getByTestId("new-audit-dialog");
  await dialog.getByTestId("audit-reference").selectOption(reference);
  await dialog.getByTestId("audit-current").selectOption(current);
  await dialog.getByTestId("audit-label").selectOption("label");
  await dialog.getByTestId("audit-score").selectOption("score");
  // The canary pair is found by a distinct-values query after the current table is picked.
  result.canaryOffered = await dialog
    .locator(".check-note", { hasText: "Canary" })
    .waitFor({ timeout: 30_000 })
    .then(() => true)
    .catch(() => false);
  memory.phase(`${label}audit`);
  const auditStarted = Date.now();
  await dialog.getByTestId("create-audit").click();
  const progress = setInterval(
    async () => {
      const statuses = await page
        .$$eval('[data-testid="cell"][data-cell-kind="check"]', (cells) =>
          cells.map((c) => `${c.getAttribute("data-cell-name")}=${c.getAttribute("data-status")}`).join(" "),
        )
        .catch(() => "");
      console.log(`  ${fmt(Date.now() - auditStarted)}: ${statuses}, PSS ${mb(memory.current().pss)}`);
    },
    options.rows >= 5_000_000 ? 2_000 : 10_000,
  );
  await page.waitForFunction(
    (count) => {
      const checks = [...document.querySelectorAll('[data-testid="cell"][data-cell-kind="check"]')];
      return (
        checks.length >= count && checks.every((c) => ["done", "error"].includes(c.getAttribute("data-status") ?? ""))
      );
    },
    1, // applyAuditTemplate adds every check cell at once, before running them
    { timeout: 1_800_000, polling: 100 },
  );
  clearInterval(progress);
  result.auditMs = Date.now() - auditStarted;
  result.checks = await page.$$eval('[data-testid="cell"][data-cell-kind="check"]', (cells) =>
    cells.map((c) => ({
      name: c.getAttribute("data-cell-name"),
      status: c.getAttribute("data-status"),
      foot: c.querySelector(".check-foot")?.textContent ?? "",
      error: c.querySelector('[data-testid="cell-error"]')?.textContent ?? undefined,
    })),
  );
  for (const check of result.checks) check.ms = parseMs(check.foot);
}

/** "Chromium 156.0.…" → "156.0.…", from the executable (a persistent context has no Browser to ask). */
function chromiumVersion(executablePath) {
  const out = execFileSync(executablePath, ["--version"], { encoding: "utf8" });
  return /([\d.]+)/.exec(out)?.[1] ?? out.trim();
}

async function main() {
  const options = args(process.argv.slice(2));
  const files = ["reference", "current"].map((side) => resolve(options.dataDir, `${side}_${options.rows}.parquet`));
  for (const file of files) {
    if (!existsSync(file))
      throw new Error(`${file} is missing: run node bench/generate-data.mjs --rows ${options.rows}`);
  }
  if (!existsSync(resolve(root, "out/index.html"))) throw new Error("out/ is missing: run npm run build");

  const port = await freePort();
  const server = await startServer(port);
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  const launch = { executablePath, headless: !options.headed, args: CHROMIUM_ARGS };
  const viewport = { width: 1400, height: 1000 };
  const profile = options.revisit ? mkdtempSync(resolve(tmpdir(), "assay-bench-profile-")) : undefined;
  const context = profile
    ? await chromium.launchPersistentContext(profile, { ...launch, viewport })
    : await (await chromium.launch(launch)).newContext({ viewport });
  const memory = sampleMemory(process.pid, isChromium, 500);
  const result = {
    options: { rows: options.rows, repeats: options.repeats, revisit: options.revisit, stream: options.stream },
    date: new Date().toISOString(),
  };
  try {
    const page = await context.newPage();
    result.chromium = chromiumVersion(executablePath);
    page.on("crash", () => console.error("the page crashed"));
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    page.on("dialog", (dialog) => console.error(`page dialog: ${dialog.message()}`));
    if (options.stream) Object.assign(result, await visitStreamed(page, options, port, memory));
    else Object.assign(result, await visit(page, options, port, memory, ""));
    if (options.revisit && !options.stream) {
      result.revisit = await visit(page, options, port, memory, "revisit ");
      console.log(
        `revisit: load ${fmt(result.revisit.loadMs)}, audit ${fmt(result.revisit.auditMs)} (${result.revisit.checks.map((c) => `${c.name} ${fmt(c.ms)}`).join(", ")})`,
      );
    }
  } finally {
    result.memory = memory.stop();
    await context.close();
    await context.browser()?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    server.kill();
  }
  result.firstPaintJs = firstPaintJs(resolve(root, "out"));
  if (options.stream) reportStreamed(result);
  else report(result);
  const dir = resolve(root, "bench/results");
  mkdirSync(dir, { recursive: true });
  const out = resolve(dir, `browser-${options.stream ? "stream-" : ""}${options.rows}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

/** Native figures from run-audits.mjs --json, summed per family (the name before ':'). */
function nativeFigures(rows) {
  const file = resolve(root, `bench/results/native-${rows}.json`);
  if (!existsSync(file)) return null;
  const native = JSON.parse(readFileSync(file, "utf8"));
  const perFamily = {};
  for (const t of native.timings ?? []) {
    const family = t.family.split(":")[0].trim();
    if (t.median !== null) perFamily[family] = (perFamily[family] ?? 0) + t.median;
  }
  return { loadMs: native.loadMs, perFamily };
}

function reportStreamed(result) {
  console.log(
    `\nAssay in Chromium ${result.chromium}: ${result.options.rows.toLocaleString("en")} + same rows, streamed`,
  );
  console.log(`engine ready ${fmt(result.engineReadyMs)}; both files streamed (profiled) ${fmt(result.streamMs)}`);
  console.log(`drift check on the two profiles: ${result.drift.status} in ${fmt(result.drift.wallMs)}`);
  console.log(`standard audit on the streamed files: ${fmt(result.auditMs)}`);
  for (const check of result.checks ?? []) console.log(`  ${check.name}: ${check.status} in ${fmt(check.ms)}`);
  const phases = Object.entries(result.memory.phases ?? {});
  console.log(
    `peak memory, all Chromium processes: RSS ${mb(result.memory.rss)}, PSS ${mb(result.memory.pss)}; per phase: ${phases.map(([name, p]) => `${name} ${mb(p.pss)}`).join(", ")}`,
  );
}

function report(result) {
  const native = nativeFigures(result.options.rows);
  const rows = [
    ["engine ready (page open → DuckDB-WASM started)", result.engineReadyMs, null],
    ["load reference + current Parquet", result.loadMs, native?.loadMs],
    [`GROUP BY re-run, median of ${result.groupBy.runs.length}`, result.groupBy.medianMs, null],
    ["standard audit, all checks (Create and run → last done)", result.auditMs, null],
  ];
  for (const check of result.checks) {
    const label = `  ${check.name} (${check.status}${check.error ? `: ${check.error.slice(0, 60)}` : ""})`;
    rows.push([label, check.ms, native?.perFamily[check.name]]);
  }
  console.log(`\nAssay in Chromium ${result.chromium}: ${result.options.rows.toLocaleString("en")} + same rows`);
  console.log(`${"".padEnd(60)} ${"browser".padStart(9)} ${native ? "native".padStart(9) : ""}`);
  for (const [label, ms, nativeMs] of rows) {
    console.log(`${label.padEnd(60)} ${fmt(ms).padStart(9)} ${native ? fmt(nativeMs).padStart(9) : ""}`);
  }
  console.log(
    `peak memory, all Chromium processes: RSS ${mb(result.memory.rss)}, PSS ${mb(result.memory.pss)} (${result.memory.samples} samples, up to ${result.memory.processes} processes)`,
  );
  const phases = Object.entries(result.memory.phases ?? {});
  if (phases.length > 0)
    console.log(`  peak PSS per phase: ${phases.map(([name, p]) => `${name} ${mb(p.pss)}`).join(", ")}`);
  const kinds = Object.entries(result.memory.byKind ?? {}).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0)
    console.log(`  at the peak, PSS by process: ${kinds.map(([kind, b]) => `${kind} ${mb(b)}`).join(", ")}`);
  console.log(
    `first-paint JS: ${result.firstPaintJs.files.length} files, ${(result.firstPaintJs.gzip / 1024).toFixed(1)} KB gzip (${(result.firstPaintJs.bytes / 1024).toFixed(1)} KB raw)`,
  );
}

await main();
