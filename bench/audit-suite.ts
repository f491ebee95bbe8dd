/**
 * The audit benchmark proper: loads reference/current Parquet files into native DuckDB and
 * times each audit family that exists in lib/audit (families are imported at run time, so a
 * family still being written is reported as missing instead of breaking the run). Vite's
 * runner closes after each `runnerImport`, so every family module is loaded by its own call.
 * Entry point: bench/run-audits.mjs (plain `node`), which loads this file through Vite's
 * `runnerImport`.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createNodeEngine, type NodeEngine } from "../lib/engine/node-engine";
import type { QueryFn } from "../lib/engine/types";
import { quoteString } from "../lib/sql/identifiers";

export interface SuiteOptions {
  rows: number;
  repeats: number;
  dataDir: string;
  /** `table`: load the files into DuckDB tables first (timed apart); `view`: query the Parquet files directly. */
  mode: "table" | "view";
  threads?: number;
  memoryLimit?: string;
  /** Only these families. */
  only?: string[];
}

export interface FamilyTiming {
  family: string;
  status: "ok" | "missing" | "failed";
  /** Milliseconds per repeat. */
  times: number[];
  median: number | null;
  note: string;
}

type Family = {
  name: string;
  /** Module path candidates relative to this file; the first that exists is imported. */
  modules: string[];
  run: (mod: Record<string, unknown>, query: QueryFn) => Promise<string>;
};

// biome-ignore lint/suspicious/noExplicitAny: families are loaded dynamically and called by name.
type AnyFn = (...args: any[]) => Promise<any>;
const fn = (mod: Record<string, unknown>, name: string): AnyFn => {
  const f = mod[name];
  if (typeof f !== "function") throw new Error(`export ${name} not found`);
  return f as AnyFn;
};

const LABEL = { label: "label", score: "score" };

const FAMILIES: Family[] = [
  {
    name: "quality (profile, all 27 columns)",
    modules: ["../lib/audit/quality/index.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runQualityProfile")(q, { source: "current" });
      return `${r.columns.length} columns`;
    },
  },
  {
    name: "quality (contract, 6 rules)",
    modules: ["../lib/audit/quality/index.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runContract")(q, {
        source: "current",
        contract: {
          columns: {
            score: { type: "numeric", notNull: true, min: 0, max: 1 },
            f07: { notNull: true },
            sex: { allowed: ["F", "M"] },
            label: { allowed: [0, 1] },
          },
        },
      });
      return `${r.totalViolations} violations`;
    },
  },
  {
    name: "drift (all columns)",
    modules: ["../lib/audit/drift/index.ts", "../lib/audit/drift/run-drift.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runDrift")(q, { reference: "reference", current: "current" });
      return `${r.columns.length} columns, ${r.columns.filter((c: { drifted: boolean }) => c.drifted).length} drifted`;
    },
  },
  {
    name: "performance (binary)",
    modules: ["../lib/audit/performance/index.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runBinaryPerformance")(q, { source: "current", ...LABEL });
      return `AUC ${r.rocAuc?.toFixed(4)}`;
    },
  },
  {
    name: "calibration (10 bins, by sex)",
    modules: ["../lib/audit/calibration/index.ts"],
    run: async (m, q) => {
      await fn(m, "runCalibration")(q, { source: "current", ...LABEL, groupBy: "sex" });
      return "ok";
    },
  },
  {
    name: "fairness (sex, age_band, intersections)",
    modules: ["../lib/audit/fairness/index.ts"],
    run: async (m, q) => {
      await fn(m, "runFairness")(q, {
        source: "current",
        ...LABEL,
        attributes: ["sex", "age_band"],
        intersections: true,
      });
      return "ok";
    },
  },
  {
    name: "slices (error rate, 1–2 columns)",
    modules: ["../lib/audit/slices/index.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runWorstSlices")(q, { source: "current", ...LABEL, prediction: "prediction" });
      return `${r.counts.slices} slices; worst: ${r.slices[0]?.description ?? "none"}`;
    },
  },
  {
    name: "canary (v1 vs v2)",
    modules: ["../lib/audit/canary/index.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runCanaryComparison")(q, {
        baselineSource: "reference",
        candidateSource: "current",
        ...LABEL,
      });
      return `PSI ${r.scoreShift.psi?.toFixed(4)}`;
    },
  },
  {
    // What `assay audit` runs on these files: every family, slices pruned to pairs among 8 columns.
    name: "standard audit (assay audit: every family)",
    modules: ["../lib/audit/standard-audit.ts"],
    run: async (m, q) => {
      const r = await fn(m, "runStandardAudit")(q, {
        reference: "reference",
        current: "current",
        ...LABEL,
        prediction: "prediction",
        groups: ["sex", "age_band"],
        slices: true,
      });
      const timings = r.timings as Record<string, number>;
      return Object.entries(timings)
        .filter(([k]) => k !== "total")
        .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)} s`)
        .join(", ");
    },
  },
  {
    name: "operational (latency)",
    modules: ["../lib/audit/operational/index.ts"],
    run: async (m, q) => {
      await fn(m, "runOperational")(q, { source: "current", latency: "latency_ms" });
      return "ok";
    },
  },
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function load(engine: NodeEngine, options: SuiteOptions): Promise<number> {
  const started = performance.now();
  for (const side of ["reference", "current"]) {
    const file = `${options.dataDir}/${side}_${options.rows}.parquet`;
    if (!existsSync(file)) {
      throw new Error(`${file} is missing; run: node bench/generate-data.mjs --rows ${options.rows}`);
    }
    const kind = options.mode === "table" ? "TABLE" : "VIEW";
    await engine.exec(`CREATE OR REPLACE ${kind} ${side} AS SELECT * FROM read_parquet(${quoteString(file)})`);
  }
  return performance.now() - started;
}

/** Imports a TypeScript module by absolute path (the entry passes Vite's `runnerImport`). */
export type ImportModule = (path: string) => Promise<Record<string, unknown>>;

/** Runs every family `repeats` times; calls `report` after each family. */
export async function runSuite(
  options: SuiteOptions,
  importModule: ImportModule,
  report: (t: FamilyTiming) => void,
): Promise<{ loadMs: number; version: string; timings: FamilyTiming[] }> {
  const engine = await createNodeEngine({ threads: options.threads, memoryLimit: options.memoryLimit });
  const version = await engine.version();
  const loadMs = await load(engine, options);
  const timings: FamilyTiming[] = [];
  for (const family of FAMILIES) {
    if (options.only && !options.only.some((o) => family.name.startsWith(o))) continue;
    const path = family.modules.map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p));
    const timing: FamilyTiming = { family: family.name, status: "missing", times: [], median: null, note: "" };
    if (!path) {
      timing.note = "not in lib/audit yet";
    } else {
      try {
        const mod = await importModule(path);
        for (let i = 0; i < options.repeats; i++) {
          const started = performance.now();
          timing.note = await family.run(mod, engine.query);
          timing.times.push(performance.now() - started);
        }
        timing.status = "ok";
        timing.median = median(timing.times);
      } catch (error) {
        timing.status = "failed";
        timing.note = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
      }
    }
    timings.push(timing);
    report(timing);
  }
  await engine.close();
  return { loadMs, version, timings };
}
