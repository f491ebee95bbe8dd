#!/usr/bin/env node
/**
 * Synthetic prediction logs for the audit benchmark: a reference and a current Parquet file
 * of N rows each, written by native DuckDB in a few seconds per million rows.
 *
 *   node bench/generate-data.mjs [--rows 1000000] [--seed 42] [--out bench/data]
 *
 * Columns: f01…f12 (numeric: normal, lognormal, uniform, integer counts, exponential,
 * integers 0–20, normal with 1% NULL, normal with 0.1% NaN, bimodal, heavy-tailed, 0/1,
 * rounded), c01…c07 (text with 3, 5, 8, 12, 20, 30, 40 skewed levels), sex, age_band, score,
 * prediction (score ≥ 0.5), label, latency_ms, model_version, timestamp.
 * Current vs reference: f01 mean +0.3, f03 wider, f05 scale ×1.5, c04 reweighted; a fairness
 * gap (positives with sex = 'F' score lower); latency ×1.3 plus a slow tail; model v2 vs v1.
 *
 * Determinism: every random number is a hash of (row, stream, seed) mapped to [0, 1), not
 * DuckDB's `random()`: `setseed` + `random()` is reproducible only on one thread, and the
 * files are written in parallel. Same arguments ⇒ same values (and, with DuckDB's default
 * preserve_insertion_order, byte-identical files: rows keep the order of range()). Output goes to bench/data/
 * (gitignored) as reference_<rows>.parquet and current_<rows>.parquet.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

function args(argv) {
  const out = { rows: 1_000_000, seed: 42, out: "bench/data" };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]?.replace(/^--/, "");
    const value = argv[i + 1];
    if (key === "rows") out.rows = Number(value);
    else if (key === "seed") out.seed = Number(value);
    else if (key === "out") out.out = String(value);
    else throw new Error(`unknown argument ${argv[i]}`);
    i++;
  }
  if (!Number.isSafeInteger(out.rows) || out.rows < 1) throw new Error("--rows must be a positive integer");
  if (!Number.isSafeInteger(out.seed)) throw new Error("--seed must be an integer");
  return out;
}

/** Uniform (0, 1) from a hash of (row, stream, seed, side). */
const MACROS = (seed) => [
  `CREATE OR REPLACE MACRO u(i, k, side) AS ((hash(i, k, ${seed}, side) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`,
  `CREATE OR REPLACE MACRO z(i, k, side) AS sqrt(-2 * ln(u(i, k, side))) * cos(2 * pi() * u(i, k + 1000, side))`,
  `CREATE OR REPLACE MACRO lvl(prefix, n, x) AS prefix || '_' || lpad(CAST(CAST(floor(x * x * n) AS INTEGER) AS VARCHAR), 2, '0')`,
  `CREATE OR REPLACE MACRO sigmoid(x) AS 1 / (1 + exp(-x))`,
];

/** SELECT producing one side; `cur` is 0 for reference and 1 for current. */
function sideSql(rows, cur) {
  const side = cur;
  const f = `
    SELECT i,
      z(i, 1, ${side}) + ${cur} * 0.3 AS f01,
      exp(0.8 * z(i, 2, ${side})) AS f02,
      u(i, 3, ${side}) * 100 * (1 + ${cur} * 0.2) - ${cur} * 10 AS f03,
      CAST(floor(-ln(u(i, 4, ${side})) * 3) AS INTEGER) AS f04,
      -ln(u(i, 5, ${side})) * (1 + ${cur} * 0.5) AS f05,
      CAST(floor(u(i, 6, ${side}) * 21) AS INTEGER) AS f06,
      CASE WHEN u(i, 7, ${side}) < 0.01 THEN NULL ELSE 10 + 2 * z(i, 8, ${side}) END AS f07,
      CASE WHEN u(i, 9, ${side}) < 0.001 THEN 'NaN'::DOUBLE ELSE z(i, 10, ${side}) END AS f08,
      CASE WHEN u(i, 11, ${side}) < 0.4 THEN -2 + z(i, 12, ${side}) ELSE 3 + 0.5 * z(i, 12, ${side}) END AS f09,
      1 / sqrt(u(i, 13, ${side})) AS f10,
      CAST(u(i, 14, ${side}) < 0.3 AS INTEGER) AS f11,
      round(50 + 10 * z(i, 15, ${side}), 1) AS f12,
      lvl('c01', 3, u(i, 21, ${side})) AS c01,
      lvl('c02', 5, u(i, 22, ${side})) AS c02,
      lvl('c03', 8, u(i, 23, ${side})) AS c03,
      lvl('c04', 12, CASE WHEN ${cur} = 1 THEN sqrt(u(i, 24, ${side})) ELSE u(i, 24, ${side}) END) AS c04,
      lvl('c05', 20, u(i, 25, ${side})) AS c05,
      lvl('c06', 30, u(i, 26, ${side})) AS c06,
      lvl('c07', 40, u(i, 27, ${side})) AS c07,
      CASE WHEN u(i, 31, ${side}) < 0.49 THEN 'F' WHEN u(i, 31, ${side}) < 0.99 THEN 'M' ELSE 'X' END AS sex,
      ['18-25', '26-35', '36-45', '46-60', '60+'][1 + CAST(floor(u(i, 32, ${side}) * 5) AS INTEGER)] AS age_band
    FROM range(${rows}) t(i)`;
  const withLogit = `
    SELECT *, -0.6 + 0.9 * f01 + 0.4 * ln(f02) + 0.015 * (f03 - 50) - 0.1 * f04 + 0.5 * f11
      + CASE WHEN c01 = 'c01_00' THEN 0.3 ELSE 0 END + CASE WHEN c03 >= 'c03_05' THEN -0.4 ELSE 0 END AS logit
    FROM (${f})`;
  const withLabel = `SELECT *, CAST(u(i, 41, ${side}) < sigmoid(logit) AS INTEGER) AS label FROM (${withLogit})`;
  const scored = `
    SELECT *, sigmoid(0.9 * logit + 0.6 * z(i, 42, ${side})
      - CASE WHEN ${cur} = 1 AND sex = 'F' AND label = 1 THEN 0.9 ELSE 0 END) AS score
    FROM (${withLabel})`;
  const span = 30 * 24 * 3600;
  return `
    SELECT f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12,
      c01, c02, c03, c04, c05, c06, c07, sex, age_band,
      score, CAST(score >= 0.5 AS INTEGER) AS prediction, label,
      exp(3.6 + 0.35 * z(i, 51, ${side})) * (1 + ${cur} * 0.3)
        + CASE WHEN ${cur} = 1 AND u(i, 52, ${side}) < 0.02 THEN 400 ELSE 0 END AS latency_ms,
      '${cur ? "v2" : "v1"}' AS model_version,
      TIMESTAMP '2026-01-01' + to_seconds(CAST(${cur * span} + floor(i * ${span}.0 / ${rows}) AS BIGINT)) AS "timestamp"
    FROM (${scored})`;
}

async function main() {
  const opts = args(process.argv.slice(2));
  const dir = resolve(opts.out);
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  for (const sql of MACROS(opts.seed)) await connection.run(sql);
  for (const [name, cur] of [
    ["reference", 0],
    ["current", 1],
  ]) {
    const file = `${dir}/${name}_${opts.rows}.parquet`;
    const started = performance.now();
    await connection.run(
      `COPY (${sideSql(opts.rows, cur)}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
    );
    console.log(`${file}: ${opts.rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  connection.closeSync();
  instance.closeSync();
}

await main();
