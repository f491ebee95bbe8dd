#!/usr/bin/env node
/**
 * `npm run bench`: the standard audit three ways on the same synthetic prediction logs —
 * the built app in headless Chromium (bench/browser.mjs: DuckDB-WASM in the app's worker, each
 * check timed in the page), the CLI's native DuckDB (bench/run-audits.mjs) and a pandas /
 * NumPy / SciPy / scikit-learn implementation of the same statistics (bench/pandas-audit.py,
 * Debian's /usr/bin/python3) — then one table: per family the median time of each, the ratios
 * browser / pandas and native / pandas, and the peak memory of each. The table goes into
 * docs/performance.md between `<!-- bench:begin -->` and `<!-- bench:end -->` (appended at the
 * end when the markers are missing; nothing outside them is touched).
 *
 *   node bench/run-all.mjs [--rows 1000000] [--repeats 3] [--threads N]
 *                          [--skip-browser] [--skip-native] [--skip-pandas]
 *                          [--browser-json bench/results/browser-1000000.json] [--no-docs]
 *
 * --browser-json reuses a browser result instead of running bench/browser.mjs (which needs
 * `npm run build` first; without out/ the browser column is skipped with a note). pandas is
 * skipped with a note when /usr/bin/python3 ($BENCH_PYTHON) or its pandas / SciPy / scikit-learn is
 * missing.
 * Native families are run with `--only` the seven the standard audit runs; `npm run bench:native`
 * is the plain run-audits.mjs (all families, canary and contract included). Not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { exportCsv } from "./export-csv.mjs";
import { benchOptions, fmt } from "./options.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Debian's Python (numpy, SciPy, scikit-learn, pandas); `$BENCH_PYTHON` overrides. */
const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";
const TIME = "/usr/bin/time";
const BEGIN = "<!-- bench:begin -->";
const END = "<!-- bench:end -->";

/** The standard audit's families: key, label, and the run-audits.mjs family-name prefix. */
const FAMILIES = [
  ["quality", "quality (profile; browser also diffs the schema)", "quality (profile"],
  ["drift", "drift", "drift"],
  ["performance", "performance (binary, curves)", "performance"],
  ["calibration", "calibration (10 bins)", "calibration"],
  ["fairness", "fairness", "fairness"],
  ["slices", "slices (error rate, 1–2 columns)", "slices"],
  ["operational", "operational (latency)", "operational"],
];

const args = (argv) => {
  const out = benchOptions(
    argv,
    {
      rows: { type: "string" },
      repeats: { type: "string" },
      threads: { type: "string" },
      data: { type: "string" },
      "browser-json": { type: "string" },
      "skip-browser": { type: "boolean" },
      "skip-native": { type: "boolean" },
      "skip-pandas": { type: "boolean" },
      "no-docs": { type: "boolean" },
    },
    {
      rows: 1_000_000,
      repeats: 3,
      skipBrowser: false,
      skipNative: false,
      skipPandas: false,
      dataDir: resolve(root, "bench/data"),
    },
  );
  return { ...out, docs: !out.noDocs };
};

const mib = (bytes) =>
  bytes === null || bytes === undefined
    ? "—"
    : bytes >= 2 ** 30
      ? `${(bytes / 2 ** 30).toFixed(2)} GiB`
      : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ratio = (a, b) => (a === null || a === undefined || !b ? "—" : `${(a / b).toFixed(a / b < 10 ? 2 : 1)}×`);

/**
 * Runs a command with inherited output; with /usr/bin/time present, also returns the peak RSS
 * of the process (its maximum resident set size, as getrusage reports it).
 */
function run(command, commandArgs) {
  const useTime = existsSync(TIME);
  const timeFile = resolve(tmpdir(), `assay-bench-time-${process.pid}.txt`);
  const [cmd, cmdArgs] = useTime
    ? [TIME, ["-f", "%M", "-o", timeFile, command, ...commandArgs]]
    : [command, commandArgs];
  console.log(`\n$ ${[command, ...commandArgs].map((a) => (a.startsWith(root) ? relative(root, a) : a)).join(" ")}`);
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: "inherit" });
  let peakRss = null;
  if (useTime && existsSync(timeFile)) {
    const kb = Number(readFileSync(timeFile, "utf8").trim().split("\n").pop());
    if (Number.isFinite(kb) && kb > 0) peakRss = kb * 1024;
    rmSync(timeFile, { force: true });
  }
  return { status: result.status, peakRss };
}

function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

function runNative(options, resultsDir) {
  const json = resolve(resultsDir, `native-${options.rows}.json`);
  const commandArgs = [
    resolve(root, "bench/run-audits.mjs"),
    "--rows",
    String(options.rows),
    "--repeats",
    String(options.repeats),
    "--only",
    FAMILIES.map((f) => f[2]).join(","),
    "--json",
    json,
  ];
  if (options.threads) commandArgs.push("--threads", String(options.threads));
  const { status, peakRss } = run(process.execPath, commandArgs);
  if (status !== 0 || !existsSync(json)) return { note: `native run failed (exit ${status})` };
  const native = readJson(json);
  const times = {};
  for (const t of native.timings ?? []) {
    const family = FAMILIES.find((f) => t.family.startsWith(f[2]));
    if (family && t.status === "ok") times[family[0]] = t.median;
  }
  return {
    times,
    loadMs: native.loadMs,
    peakRss,
    version: native.version,
    threads: options.threads ?? "default",
  };
}

function pythonProblem() {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const check = spawnSync(PYTHON, ["-c", "import pandas, numpy, scipy, sklearn"], { encoding: "utf8" });
  if (check.status !== 0) {
    return `${PYTHON} lacks pandas / NumPy / SciPy / scikit-learn (Debian: apt install python3-pandas python3-scipy python3-sklearn)`;
  }
  return null;
}

async function runPandas(options, resultsDir) {
  const problem = pythonProblem();
  if (problem) return { note: `pandas skipped: ${problem}` };
  await exportCsv({ rows: options.rows, dataDir: options.dataDir });
  const json = resolve(resultsDir, `pandas-${options.rows}.json`);
  const commandArgs = [
    resolve(root, "bench/pandas-audit.py"),
    "--rows",
    String(options.rows),
    "--repeats",
    String(options.repeats),
    "--data",
    options.dataDir,
    "--json",
    json,
  ];
  const { status, peakRss } = run(PYTHON, commandArgs);
  if (status !== 0 || !existsSync(json)) return { note: `pandas run failed (exit ${status})` };
  const pandas = readJson(json);
  const times = {};
  for (const t of pandas.timings ?? []) if (t.status === "ok") times[t.key] = t.median;
  const loadMs = Object.values(pandas.loadMs ?? {}).reduce((a, b) => a + b, 0);
  return {
    times,
    loadMs,
    peakRss: pandas.memory?.peakRssBytes ?? peakRss,
    versions: pandas.versions,
    differences: pandas.differences ?? [],
  };
}

function browserFrom(json, reused) {
  const browser = readJson(json);
  const times = {};
  for (const check of browser.checks ?? []) {
    if (check.status === "done" && check.ms !== null) times[check.name] = check.ms;
  }
  return {
    times,
    loadMs: browser.loadMs,
    auditMs: browser.auditMs,
    peakPss: browser.memory?.pss ?? null,
    peakRss: browser.memory?.rss ?? null,
    chromium: browser.chromium,
    date: browser.date,
    source: reused ? relative(root, json) : null,
  };
}

function runBrowser(options, resultsDir) {
  if (options.browserJson) {
    if (!existsSync(options.browserJson)) return { note: `${options.browserJson} does not exist` };
    return browserFrom(options.browserJson, true);
  }
  if (options.skipBrowser) return { note: "browser skipped (--skip-browser)" };
  if (!existsSync(resolve(root, "out/index.html"))) {
    return { note: "browser skipped: out/ is missing — run `npm run build`, then `npm run bench` again" };
  }
  const { status } = run(process.execPath, [
    resolve(root, "bench/browser.mjs"),
    "--rows",
    String(options.rows),
    "--data",
    options.dataDir,
  ]);
  const json = resolve(resultsDir, `browser-${options.rows}.json`);
  if (status !== 0 || !existsSync(json)) return { note: `browser run failed (exit ${status})` };
  return browserFrom(json, false);
}

function table(results) {
  const { browser, native, pandas } = results;
  const rows = [];
  const header = ["", "browser", "native", "pandas", "browser / pandas", "native / pandas"];
  rows.push([
    "load both files",
    fmt(browser.loadMs),
    fmt(native.loadMs),
    fmt(pandas.loadMs),
    ratio(browser.loadMs, pandas.loadMs),
    ratio(native.loadMs, pandas.loadMs),
  ]);
  const sums = { browser: 0, native: 0, pandas: 0 };
  const complete = { browser: true, native: true, pandas: true };
  for (const [key, label] of FAMILIES) {
    const b = browser.times?.[key];
    const n = native.times?.[key];
    const p = pandas.times?.[key];
    for (const [side, value] of [
      ["browser", b],
      ["native", n],
      ["pandas", p],
    ]) {
      if (value === undefined) complete[side] = false;
      else sums[side] += value;
    }
    rows.push([label, fmt(b), fmt(n), fmt(p), ratio(b, p), ratio(n, p)]);
  }
  // The browser runs checks two at a time, so its per-check times overlap: its total is the audit's
  // wall time (Create and run → last check done), not their sum.
  const total = (side) => (side === "browser" ? (browser.auditMs ?? null) : complete[side] ? sums[side] : null);
  rows.push([
    "**all seven families**",
    `**${fmt(total("browser"))}**`,
    `**${fmt(total("native"))}**`,
    `**${fmt(total("pandas"))}**`,
    `**${ratio(total("browser"), total("pandas"))}**`,
    `**${ratio(total("native"), total("pandas"))}**`,
  ]);
  rows.push([
    "peak memory",
    browser.peakPss ? `${mib(browser.peakPss)} PSS` : "—",
    native.peakRss ? `${mib(native.peakRss)} RSS` : "—",
    pandas.peakRss ? `${mib(pandas.peakRss)} RSS` : "—",
    ratio(browser.peakPss, pandas.peakRss),
    ratio(native.peakRss, pandas.peakRss),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? "-".repeat(w) : `${"-".repeat(w - 1)}:`)).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

function markdown(options, results, tableText) {
  const { browser, native, pandas } = results;
  const n = options.rows.toLocaleString("en-US");
  const notes = [browser.note, native.note, pandas.note].filter(Boolean);
  const lines = [
    "## Browser, native DuckDB and pandas (`npm run bench`)",
    "",
    `Generated by \`node bench/run-all.mjs --rows ${options.rows} --repeats ${options.repeats}${options.threads ? ` --threads ${options.threads}` : ""}${options.browserJson ? ` --browser-json ${relative(root, options.browserJson)}` : ""}\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, load average ${loadavg()[0].toFixed(1)} at the end (the machine is shared: upper bounds). ${n} + ${n} rows (\`bench/generate-data.mjs\`). Times are medians of ${options.repeats} runs per family, except the browser's audit, which runs once.`,
    "",
    tableText,
    "",
    `- **browser**: ${browser.times ? `Chromium ${browser.chromium}, the built app, DuckDB-WASM in its worker (single-threaded); each check's own time ("ran in …"; the app runs two checks at a time, so these overlap and include waiting for the other check's statements), one run of New audit → Create and run, whose wall time (until the last check is done) is the total${browser.source ? `, from \`${browser.source}\` (${browser.date})` : ""}. Load: both Parquet files through the file input until both cards show the row count. Memory: peak PSS summed over all Chromium processes (RSS ${mib(browser.peakRss)}).` : browser.note}`,
    `- **native**: ${native.times ? `DuckDB ${native.version} through \`@duckdb/node-api\` (\`bench/run-audits.mjs\`, table mode, ${native.threads === "default" ? "default threads" : `${native.threads} thread(s)`}); load = Parquet → tables. Memory: peak RSS of the Node process (\`/usr/bin/time\`).` : native.note}`,
    `- **pandas**: ${pandas.times ? `pandas ${pandas.versions?.pandas}, NumPy ${pandas.versions?.numpy}, SciPy ${pandas.versions?.scipy}, scikit-learn ${pandas.versions?.sklearn} (\`bench/pandas-audit.py\`, one thread), on DataFrames already in memory; load = parsing CSV copies of the Parquet files (Debian's Python has no Parquet reader; \`bench/export-csv.mjs\` writes them with DuckDB), so it is not comparable with the other two. Memory: peak RSS (getrusage).` : pandas.note}`,
    "- Same columns, same statistics: native and pandas run drift over all 26 columns and calibration per `sex`, fairness over `sex`, `age_band` and their intersection; the app's template picks 19 feature columns for drift, calibrates overall only and leaves out the intersection. Slices: native and pandas count every pair of the 22 candidates (253 grouping sets); the app's template forms pairs only among the 8 columns with the worst single-column slices (`pairColumns` 8, as `assay audit` does).",
    "- Ratios below 1× mean faster than pandas.",
  ];
  if (pandas.differences?.length) {
    lines.push("- Where the pandas version differs from Assay's results:");
    for (const d of pandas.differences) lines.push(`  - ${d}`);
  }
  for (const note of notes) lines.push(`- Note: ${note}`);
  return lines.join("\n");
}

function writeDocs(section) {
  const path = resolve(root, "docs/performance.md");
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Performance\n";
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  const block = `${BEGIN}\n${section}\n${END}`;
  let next;
  if (begin !== -1 && end > begin) next = `${text.slice(0, begin)}${block}${text.slice(end + END.length)}`;
  else next = `${text.replace(/\n*$/, "\n")}\n${block}\n`;
  writeFileSync(path, next);
  console.log(`\nwrote the table into ${relative(root, path)} (between ${BEGIN} and ${END})`);
}

async function main() {
  const options = args(process.argv.slice(2));
  for (const side of ["reference", "current"]) {
    const file = resolve(options.dataDir, `${side}_${options.rows}.parquet`);
    if (!existsSync(file))
      throw new Error(`${file} is missing: run node bench/generate-data.mjs --rows ${options.rows}`);
  }
  const resultsDir = resolve(root, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const native = options.skipNative ? { note: "native skipped (--skip-native)" } : runNative(options, resultsDir);
  const pandas = options.skipPandas ? { note: "pandas skipped (--skip-pandas)" } : await runPandas(options, resultsDir);
  const browser = runBrowser(options, resultsDir);
  const results = { browser, native, pandas };
  const tableText = table(results);
  const n = options.rows.toLocaleString("en-US");
  console.log(`\nStandard audit, ${n} + ${n} rows: median per family (browser: one audit run)\n`);
  console.log(tableText);
  for (const note of [browser.note, native.note, pandas.note].filter(Boolean)) console.log(`note: ${note}`);
  writeFileSync(
    resolve(resultsDir, `all-${options.rows}.json`),
    `${JSON.stringify({ options, date: new Date().toISOString(), ...results }, null, 2)}\n`,
  );
  if (options.docs) writeDocs(markdown(options, results, tableText));
}

await main();
