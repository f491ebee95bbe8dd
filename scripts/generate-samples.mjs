// Generates the bundled sample prediction logs, deterministically: a reference period and a
// production period of a credit-default model, with drift, a fairness gap and a slower canary.
// Writes public/samples/{reference,production}.parquet (and .csv twins). Same bytes every run.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, "public", "samples");

/** mulberry32: a tiny seeded PRNG, so the samples never depend on Math.random. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand) {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function pick(rand, items, weights) {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = rand() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i];
    if (r <= 0) return items[i];
  }
  return items[items.length - 1];
}

const round = (x, digits) => Number(x.toFixed(digits));

function generate({ seed, rows, start, period }) {
  const rand = rng(seed);
  const production = period === "production";
  const out = [];
  for (let i = 0; i < rows; i++) {
    const sex = pick(rand, ["female", "male"], [0.48, 0.52]);
    const age = Math.max(18, Math.min(90, Math.round(41 + 13 * normal(rand) + (production ? 3 : 0))));
    const ageBand = age < 30 ? "18-29" : age < 45 ? "30-44" : age < 60 ? "45-59" : "60+";
    const region = production
      ? pick(rand, ["north", "south", "east", "west", "online"], [0.18, 0.22, 0.15, 0.15, 0.3])
      : pick(rand, ["north", "south", "east", "west", "online"], [0.25, 0.25, 0.2, 0.2, 0.1]);
    const device = pick(rand, ["mobile", "desktop", "tablet"], [0.55, 0.38, 0.07]);
    // Income drifts upward (and widens) in production: the main feature drift.
    const income = round(Math.exp(10.6 + 0.45 * normal(rand) + (production ? 0.18 : 0)), 2);
    const tenure = Math.floor(rand() * (production ? 48 : 72));
    const utilisation = round(Math.min(1, Math.max(0, 0.35 + 0.2 * normal(rand))), 4);
    const priorDefaults = rand() < 0.12 ? 1 + Math.floor(rand() * 3) : 0;
    const latent =
      -0.55 + 4.2 * (utilisation - 0.35) + 0.9 * priorDefaults - 0.6 * Math.log(income / 40000) - 0.02 * tenure;
    const truth = 1 / (1 + Math.exp(-latent));
    const label = rand() < truth ? 1 : 0;
    const canary = production && rand() < 0.3;
    const modelVersion = canary ? "v2-canary" : "v1";
    // The model under-scores women in production (a fairness gap) and is overconfident there.
    const bias = production && sex === "female" ? -0.9 : 0;
    const noise = 0.35 * normal(rand);
    const scoreLogit = (latent + noise + bias + (canary ? 0.25 : 0)) * (production ? 1.35 : 1);
    const score = round(1 / (1 + Math.exp(-scoreLogit)), 6);
    const prediction = score >= 0.5 ? 1 : 0;
    const latency = round(Math.exp(3.6 + 0.35 * normal(rand) + (canary ? 0.45 : 0)) + (rand() < 0.004 ? 400 : 0), 1);
    const error = rand() < (canary ? 0.008 : 0.002);
    const ts = new Date(start + Math.floor((i / rows) * period_ms(period)) + Math.floor(rand() * 60000));
    out.push({
      request_id: `${production ? "p" : "r"}-${String(i).padStart(6, "0")}`,
      ts: ts.toISOString().replace("T", " ").replace("Z", ""),
      model_version: modelVersion,
      age,
      age_band: ageBand,
      sex,
      region,
      device,
      income,
      tenure_months: tenure,
      utilisation,
      prior_defaults: priorDefaults,
      score,
      prediction,
      label,
      latency_ms: latency,
      is_error: error,
    });
  }
  return out;
}

function period_ms(period) {
  return (period === "production" ? 14 : 30) * 24 * 3600 * 1000;
}

function toCsv(rows) {
  const header = Object.keys(rows[0]);
  const lines = [header.join(",")];
  for (const r of rows) lines.push(header.map((k) => String(r[k])).join(","));
  return `${lines.join("\n")}\n`;
}

const TYPES =
  "request_id VARCHAR, ts TIMESTAMP, model_version VARCHAR, age INTEGER, age_band VARCHAR, sex VARCHAR, region VARCHAR, " +
  "device VARCHAR, income DOUBLE, tenure_months INTEGER, utilisation DOUBLE, prior_defaults INTEGER, score DOUBLE, " +
  "prediction INTEGER, label INTEGER, latency_ms DOUBLE, is_error BOOLEAN";

mkdirSync(outDir, { recursive: true });
const instance = await DuckDBInstance.create(":memory:", { threads: "1" });
const connection = await instance.connect();
const sets = {
  reference: generate({ seed: 20260101, rows: 6000, start: Date.UTC(2026, 0, 1), period: "reference" }),
  production: generate({ seed: 20260301, rows: 4000, start: Date.UTC(2026, 2, 1), period: "production" }),
};
for (const [name, rows] of Object.entries(sets)) {
  const csvPath = join(outDir, `${name}.csv`);
  writeFileSync(csvPath, toCsv(rows));
  const columns = `{${TYPES.split(", ")
    .map((d) => {
      const [col, type] = d.split(" ");
      return `'${col}': '${type}'`;
    })
    .join(", ")}}`;
  await connection.run(
    `COPY (SELECT * FROM read_csv('${csvPath}', header = true, columns = ${columns}))
     TO '${join(outDir, `${name}.parquet`)}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)`,
  );
}
connection.closeSync();
instance.closeSync();
console.log(
  `samples ready in public/samples (reference ${sets.reference.length} rows, production ${sets.production.length} rows)`,
);
