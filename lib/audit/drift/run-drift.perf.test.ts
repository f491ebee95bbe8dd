/**
 * Timing on generated 1M-row tables (not committed data; built with range() + random()).
 * Skipped unless ASSAY_DRIFT_PERF=1, e.g. `ASSAY_DRIFT_PERF=1 npx vitest run lib/audit/drift/run-drift.perf`.
 * ASSAY_DRIFT_PERF_ROWS overrides the row count.
 */
import { describe, expect, it } from "vitest";
import { createNodeEngine } from "../../engine/node-engine";

import { computeReferenceProfile } from "./reference-profile";
import { runDrift } from "./run-drift";
import type { DriftConvention } from "./types";

const enabled = process.env.ASSAY_DRIFT_PERF === "1";
const rows = Number(process.env.ASSAY_DRIFT_PERF_ROWS ?? 1_000_000);

describe.skipIf(!enabled)("drift timing", () => {
  it(`${rows} rows per side, 6 numeric + 2 categorical columns`, { timeout: 600_000 }, async () => {
    const engine = await createNodeEngine();
    await engine.exec("SELECT setseed(0.42)");
    const make = (name: string, shift: number) =>
      engine.exec(`CREATE TEMP TABLE ${name} AS SELECT
        random() + ${shift} AS u,
        sqrt(-2 * ln(random())) * cos(2 * pi() * random()) AS normal,
        exp(sqrt(-2 * ln(random())) * cos(2 * pi() * random())) AS lognormal,
        floor(random() * 100)::BIGINT AS int100,
        (random() < ${0.3 + shift / 10})::INTEGER AS flag,
        round(random() * 1000, 2) AS price,
        ['a', 'b', 'c', 'd'][1 + floor(random() * 4)::INTEGER] AS cat4,
        'k' || floor(random() * 500)::INTEGER AS cat500
      FROM range(${rows})`);
    await make("ref", 0);
    await make("cur", 0.05);
    const timings: string[] = [];
    const conventions = (process.env.ASSAY_DRIFT_PERF_CONVENTIONS ?? "assay,evidently,nannyml,alibi").split(",");
    for (const convention of conventions as DriftConvention[]) {
      const t0 = performance.now();
      const timed = async (sql: string) => {
        const t = performance.now();
        const out = await engine.query(sql);
        timings.push(`  query ${(performance.now() - t).toFixed(0)} ms: ${sql.slice(0, 60).replaceAll("\n", " ")}`);
        return out;
      };
      const result = await runDrift(timed, { reference: "ref", current: "cur", convention });
      timings.push(`${convention}: ${(performance.now() - t0).toFixed(0)} ms`);
      expect(result.columns).toHaveLength(8);
    }
    const t1 = performance.now();
    const timedProfile = async (sql: string) => {
      const t = performance.now();
      const out = await engine.query(sql);
      timings.push(`  query ${(performance.now() - t).toFixed(0)} ms: ${sql.slice(0, 60).replaceAll("\n", " ")}`);
      return out;
    };
    const profile = await computeReferenceProfile(timedProfile, { reference: "ref" });
    timings.push(`profile: ${(performance.now() - t1).toFixed(0)} ms, ${JSON.stringify(profile).length} bytes JSON`);
    const t2 = performance.now();
    await runDrift(timedProfile, { reference: profile, current: "cur" });
    timings.push(`runDrift from profile: ${(performance.now() - t2).toFixed(0)} ms`);
    console.log(timings.join("\n"));
    await engine.close();
  });
});
