import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

export const FIXTURE_DIR = join(process.cwd(), "test-results", "fixtures");
export const MILLION_ROWS = join(FIXTURE_DIR, "million.parquet");

/** Generates the large e2e fixtures with native DuckDB (they are too big to commit). */
export default async function globalSetup(): Promise<void> {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  if (existsSync(MILLION_ROWS)) return;
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`COPY (
      SELECT i AS id,
             'g' || (i % 10)::VARCHAR AS grp,
             (i % 997) / 997.0 AS score,
             (hash(i) % 2)::INTEGER AS label,
             (i % 1000)::DOUBLE * 0.5 AS latency_ms
      FROM range(1000000) t(i)
    ) TO '${MILLION_ROWS}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`);
  connection.closeSync();
  instance.closeSync();
}
