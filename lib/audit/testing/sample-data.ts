/**
 * Test helper: native DuckDB with the bundled sample logs as views `reference` and
 * `production` (generating them first when a fresh clone has not built yet).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";

export const SAMPLES_DIR = join(process.cwd(), "public", "samples");

export async function openSampleEngine(): Promise<NodeEngine> {
  const reference = join(SAMPLES_DIR, "reference.parquet");
  const production = join(SAMPLES_DIR, "production.parquet");
  if (!existsSync(reference) || !existsSync(production)) {
    execFileSync(process.execPath, [join(process.cwd(), "scripts", "generate-samples.mjs")], { stdio: "ignore" });
  }
  const engine = await createNodeEngine({ threads: 1 });
  await engine.exec(`CREATE VIEW reference AS SELECT * FROM read_parquet('${reference}')`);
  await engine.exec(`CREATE VIEW production AS SELECT * FROM read_parquet('${production}')`);
  return engine;
}
