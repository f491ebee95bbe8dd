#!/usr/bin/env node
/**
 * CSV copies of the bench Parquet files for the pandas comparator (bench/pandas-audit.py):
 * Debian's Python has pandas 1.5 but no pyarrow or fastparquet, so it cannot read Parquet.
 *
 *   node bench/export-csv.mjs [--rows 1000000] [--data bench/data]
 *
 * Writes bench/data/csv/{reference,current}_<rows>.csv with native DuckDB (`COPY … (FORMAT csv,
 * HEADER)`): NULL as an empty field, NaN as `nan`, doubles in DuckDB's shortest round-trip form,
 * so pandas' `float_precision="round_trip"` reads back the same bits. Skips a file that is newer
 * than its Parquet source. The pandas load time (CSV parse) is reported apart from the statistics.
 */
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function args(argv) {
  const out = { rows: 1_000_000, dataDir: resolve(root, "bench/data") };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, "");
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value for ${argv[i]}`);
    if (key === "rows") out.rows = Number(value);
    else if (key === "data") out.dataDir = resolve(value);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isSafeInteger(out.rows) || out.rows < 1) throw new Error("--rows must be a positive integer");
  return out;
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

/** Exports both sides; returns the CSV paths. */
export async function exportCsv({ rows, dataDir }) {
  const outDir = resolve(dataDir, "csv");
  mkdirSync(outDir, { recursive: true });
  const files = [];
  let instance = null;
  for (const side of ["reference", "current"]) {
    const parquet = resolve(dataDir, `${side}_${rows}.parquet`);
    const csv = resolve(outDir, `${side}_${rows}.csv`);
    if (!existsSync(parquet)) throw new Error(`${parquet} is missing: run node bench/generate-data.mjs --rows ${rows}`);
    files.push(csv);
    if (existsSync(csv) && statSync(csv).mtimeMs > statSync(parquet).mtimeMs) continue;
    instance ??= await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const started = performance.now();
    await connection.run(
      `COPY (SELECT * FROM read_parquet(${sqlString(parquet)})) TO ${sqlString(`${csv}.tmp`)} (FORMAT csv, HEADER)`,
    );
    connection.closeSync();
    renameSync(`${csv}.tmp`, csv);
    console.log(`${csv}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  instance?.closeSync();
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await exportCsv(args(process.argv.slice(2)));
}
