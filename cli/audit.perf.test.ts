/**
 * Times `assay audit` on two generated Parquet files (not committed; built with DuckDB
 * range() + random() in a temp dir). Skipped unless ASSAY_CLI_PERF=1:
 *   ASSAY_CLI_PERF=1 npx vitest run cli/audit.perf
 * ASSAY_CLI_PERF_ROWS overrides the rows per file (default 1 000 000). Prints the timings.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createNodeEngine } from "../lib/engine/node-engine";
import { quoteString } from "../lib/sql/identifiers";

const enabled = process.env.ASSAY_CLI_PERF === "1";
const rows = Number(process.env.ASSAY_CLI_PERF_ROWS ?? 1_000_000);

const normal = "sqrt(-2 * ln(random())) * cos(2 * pi() * random())";

describe.skipIf(!enabled)("assay audit timing", () => {
  it(`${rows} + ${rows} rows of Parquet`, { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "assay-cli-perf-"));
    try {
      const engine = await createNodeEngine();
      await engine.exec("SELECT setseed(0.42)");
      for (const [name, shift] of [
        ["reference", 0],
        ["current", 0.1],
      ] as const) {
        await engine.exec(`COPY (SELECT
            'r' || range AS request_id,
            ['female', 'male'][1 + (random() < 0.52)::INTEGER] AS sex,
            ['north', 'south', 'east', 'west', 'online'][1 + floor(random() * 5)::INTEGER] AS region,
            ['mobile', 'desktop', 'tablet'][1 + floor(random() * 3)::INTEGER] AS device,
            18 + floor(random() * 60)::INTEGER AS age,
            round(exp(10.6 + 0.45 * ${normal} + ${shift}), 2) AS income,
            floor(random() * 72)::INTEGER AS tenure_months,
            round(random(), 4) AS utilisation,
            round(random(), 6) AS score,
            (random() < 0.2)::INTEGER AS label,
            round(exp(3.6 + 0.35 * ${normal}), 1) AS latency_ms,
            random() < 0.002 AS is_error
          FROM range(${rows})) TO ${quoteString(join(dir, `${name}.parquet`))} (FORMAT parquet)`);
      }
      await engine.close();
      const json = join(dir, "out.json");
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          join(__dirname, "assay.mjs"),
          "audit",
          "--reference",
          join(dir, "reference.parquet"),
          "--current",
          join(dir, "current.parquet"),
          "--label",
          "label",
          "--score",
          "score",
          "--group",
          "sex",
          "--json",
          json,
          "--quiet",
        ],
        { encoding: "utf8" },
      );
      const wall = performance.now() - t0;
      expect(r.status, r.stderr).not.toBe(2);
      const timings = JSON.parse(readFileSync(json, "utf8")).timings as Record<string, number>;
      const line = Object.entries(timings)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
        .join(", ");
      console.log(`assay audit, ${rows} + ${rows} rows: ${(wall / 1000).toFixed(1)} s wall; ${line}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
