import { tableToIPC } from "apache-arrow";
import { runDrift } from "../lib/audit/drift";
import { runBinaryPerformance } from "../lib/audit/performance";
import { runQualityProfile } from "../lib/audit/quality";
import { runWorstSlices } from "../lib/audit/slices";
import { runStandardAudit } from "../lib/audit/standard-audit";
import { createNodeEngine } from "../lib/engine/node-engine";
import { ATTACH_BROWSER_DATABASE, BROWSER_SESSION_SETTINGS, SESSION_SETTINGS } from "../lib/engine/session-settings";
import type { QueryFn } from "../lib/engine/types";
import { openBlockingWasm, option } from "./wasm-node";

const rows = Number(option("rows", "1000000"));
const only = option("only", "audit");
const top = Number(option("top", "25"));
/** "compressed": tables in the browser's compressed database (ATTACH … (COMPRESS)), as the app keeps them. */
const storage = option("storage", "compressed");
/** Extra statements run after the session settings, e.g. "SET disabled_compression_methods = 'alp,alprd'". */
const extra = option("sql", "");

const { con } = await openBlockingWasm();
// The browser's session settings and, by default, its compressed database.
const settings = storage === "compressed" ? BROWSER_SESSION_SETTINGS : SESSION_SETTINGS;
if (storage === "compressed") con.query(ATTACH_BROWSER_DATABASE);
for (const statement of [...settings, ...(extra ? [extra] : [])]) con.query(statement);

const native = await createNodeEngine();
for (const side of ["reference", "current"]) {
  await native.exec(`CREATE TABLE ${side} AS FROM 'bench/data/${side}_${rows}.parquet'`);
  for (let offset = 0; offset < rows; offset += 200_000) {
    const batch = await native.query(`SELECT * FROM ${side} LIMIT 200000 OFFSET ${offset}`);
    con.insertArrowFromIPCStream(tableToIPC(batch, "stream"), { name: side, create: offset === 0 });
  }
}
await native.close();

const stats = new Map<string, { ms: number; n: number }>();
const timed: QueryFn = async (sql) => {
  const started = performance.now();
  const out = con.query(sql);
  const key = sql.replace(/\s+/g, " ").slice(0, 110);
  const entry = stats.get(key) ?? { ms: 0, n: 0 };
  stats.set(key, { ms: entry.ms + performance.now() - started, n: entry.n + 1 });
  return out;
};

const label = { label: "label", score: "score", prediction: "prediction" };
const started = performance.now();
if (only === "slices") await runWorstSlices(timed, { source: "current", ...label, pairColumns: 8 });
else if (only === "drift") await runDrift(timed, { reference: "reference", current: "current" });
else if (only === "quality") await runQualityProfile(timed, { source: "current" });
else if (only === "performance") await runBinaryPerformance(timed, { source: "current", ...label });
else {
  const result = await runStandardAudit(timed, {
    reference: "reference",
    current: "current",
    ...label,
    groups: ["sex", "age_band"],
    slices: true,
  });
  console.log(JSON.stringify(result.timings));
}
console.log(`${only} on DuckDB-WASM, ${rows} + ${rows} rows: ${(performance.now() - started).toFixed(0)} ms`);
for (const [sql, { ms, n }] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) {
  console.log(`${ms.toFixed(0).padStart(7)} ms ×${n} ${sql}`);
}
