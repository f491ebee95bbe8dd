#!/usr/bin/env node
/**
 * Times every audit family on the synthetic prediction logs (median of N repeats).
 *
 *   node bench/generate-data.mjs --rows 1000000     # once
 *   node bench/run-audits.mjs --rows 1000000 [--repeats 3] [--mode table|view] [--threads N]
 *                             [--memory-limit 8GB] [--only slices,drift] [--json out.json]
 *
 * lib/audit is TypeScript and Node 20 cannot strip types, so this plain-JS entry loads
 * bench/audit-suite.ts through Vite's `runnerImport` (vite is installed with vitest): Vite
 * transforms the TypeScript in memory and leaves node_modules (native @duckdb/node-api,
 * apache-arrow) to Node. No build step, no extra package. Not part of `npm test`.
 */
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runnerImport } from "vite";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function args(argv) {
  const out = { rows: 1_000_000, repeats: 3, mode: "table", dataDir: resolve(root, "bench/data") };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, "");
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${argv[i]}`);
    if (key === "rows") out.rows = Number(value);
    else if (key === "repeats") out.repeats = Number(value);
    else if (key === "mode") out.mode = value;
    else if (key === "threads") out.threads = Number(value);
    else if (key === "memory-limit") out.memoryLimit = value;
    else if (key === "only") out.only = value.split(",");
    else if (key === "data") out.dataDir = resolve(value);
    else if (key === "json") out.json = resolve(value);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isSafeInteger(out.rows) || out.rows < 1) throw new Error("--rows must be a positive integer");
  if (!Number.isSafeInteger(out.repeats) || out.repeats < 1) throw new Error("--repeats must be a positive integer");
  if (out.mode !== "table" && out.mode !== "view") throw new Error("--mode is table or view");
  return out;
}

const fmt = (ms) => (ms === null ? "—" : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

const options = args(process.argv.slice(2));
const viteConfig = { configFile: false, root, logLevel: "error" };
const importTs = async (path) => (await runnerImport(path, viteConfig)).module;
const suite = await importTs(resolve(root, "bench/audit-suite.ts"));
console.log(
  `Assay audit benchmark: ${options.rows.toLocaleString("en")} + ${options.rows.toLocaleString("en")} rows, ${options.mode} mode, median of ${options.repeats}`,
);
const result = await suite.runSuite(options, importTs, (t) => {
  const runs = t.times.map(fmt).join(", ");
  console.log(
    `${t.family.padEnd(42)} ${t.status === "ok" ? fmt(t.median).padStart(9) : t.status.padStart(9)}  ${runs ? `[${runs}] ` : ""}${t.note}`,
  );
});
console.log(
  `DuckDB ${result.version}; load ${fmt(result.loadMs)} (${options.mode === "table" ? "Parquet → tables" : "views"})`,
);
if (options.json) writeFileSync(options.json, `${JSON.stringify({ options, ...result }, null, 2)}\n`);
