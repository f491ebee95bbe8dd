import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../engine/node-engine";
import { quoteIdentifier, quoteString } from "../sql/identifiers";
import { runCalibration } from "./calibration";
import { runDrift } from "./drift";
import { AuditInputError } from "./errors";
import { runFairness } from "./fairness";
import { runOperational } from "./operational";
import { runBinaryPerformance } from "./performance";
import { diffSchemas, runQualityProfile } from "./quality";
import { runWorstSlices } from "./slices";
import {
  type AuditProgress,
  type Check,
  type FamilyError,
  isFailure,
  overallVerdict,
  runStandardAudit,
  type StandardAuditResult,
  summarizeVerdicts,
} from "./standard-audit";
import { createFixtureTable, openFixtureEngine } from "./testing/fixture-engine";

const root = join(__dirname, "..", "..");
const samples = join(root, "public", "samples");

/** The bundled samples are gitignored: generate them when a fresh checkout lacks them. */
function ensureSamples(): void {
  if (existsSync(join(samples, "reference.parquet")) && existsSync(join(samples, "production.parquet"))) return;
  execFileSync(process.execPath, [join(root, "scripts", "generate-samples.mjs")], { cwd: root, stdio: "ignore" });
}

function value<T>(outcome: T): Exclude<T, { error: FamilyError } | null> {
  if (outcome === null) throw new Error("unexpected null outcome");
  if (typeof outcome === "object" && "error" in outcome) {
    throw new Error(`unexpected family error: ${JSON.stringify(outcome.error)}`);
  }
  return outcome as Exclude<T, { error: FamilyError } | null>;
}

function check(checks: Check[], id: string): Check {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}; have ${checks.map((c) => c.id).join(", ")}`);
  return found;
}

describe("runStandardAudit on the bundled samples", () => {
  let engine: NodeEngine;
  let result: StandardAuditResult;
  const progress: AuditProgress[] = [];
  const spec = {
    reference: "reference",
    current: "production",
    label: "label",
    score: "score",
    groups: ["sex", "age_band"],
    slices: { maxOrder: 1 as const, limit: 5 },
  };

  beforeAll(async () => {
    ensureSamples();
    engine = await openFixtureEngine();
    for (const [view, file] of [
      ["reference", "reference.parquet"],
      ["production", "production.parquet"],
    ]) {
      await engine.exec(
        `CREATE VIEW ${quoteIdentifier(view as string)} AS SELECT * FROM read_parquet(${quoteString(join(samples, file as string))})`,
      );
    }
    result = await runStandardAudit(engine.query, spec, { onProgress: (e) => progress.push(e) });
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it("chooses the default features and operational columns by the documented rule", () => {
    expect([...result.spec.features].sort()).toEqual([
      "age",
      "device",
      "income",
      "model_version",
      "prior_defaults",
      "region",
      "tenure_months",
      "utilisation",
    ]);
    expect(result.spec.latency).toBe("latency_ms");
    expect(result.spec.error).toBe("is_error");
    expect(result.rows).toEqual({ reference: 6000, current: 4000 });
    expect(result.trace.some((l) => l.includes("not a feature (identifier)") && l.includes("request_id"))).toBe(true);
    expect(result.trace.some((l) => l.includes("not a feature (model output)") && l.includes("prediction"))).toBe(true);
  });

  it("equals each family's own run on the same data (a composition, no new math)", async () => {
    const q = engine.query;
    expect(value(result.quality.reference)).toEqual(await runQualityProfile(q, { source: "reference" }));
    expect(value(result.quality.current)).toEqual(await runQualityProfile(q, { source: "production" }));
    expect(value(result.quality.schema)).toEqual(
      await diffSchemas(q, { reference: "reference", current: "production" }),
    );
    expect(value(result.drift.features)).toEqual(
      await runDrift(q, {
        reference: "reference",
        current: "production",
        columns: result.spec.features,
        datasetDriftShare: 0.05,
      }),
    );
    expect(value(result.drift.targets)).toEqual(
      await runDrift(q, { reference: "reference", current: "production", columns: ["score", "label"] }),
    );
    const perf = { label: "label", score: "score", threshold: 0.5 };
    expect(value(result.performance.current)).toEqual(await runBinaryPerformance(q, { source: "production", ...perf }));
    expect(value(result.performance.reference)).toEqual(
      await runBinaryPerformance(q, { source: "reference", ...perf }),
    );
    expect(value(result.calibration)).toEqual(
      await runCalibration(q, { source: "production", label: "label", score: "score" }),
    );
    expect(result.fairness?.failures).toEqual([]);
    expect(result.fairness?.result).toEqual(
      await runFairness(q, { source: "production", ...perf, attributes: ["sex", "age_band"] }),
    );
    expect(value(result.operational)).toEqual(
      await runOperational(q, { source: "production", latency: "latency_ms", error: "is_error" }),
    );
    expect(value(result.slices)).toEqual(
      await runWorstSlices(q, {
        source: "production",
        ...perf,
        columns: [...result.spec.features, "sex", "age_band"],
        pairColumns: 8,
        maxOrder: 1,
        limit: 5,
      }),
    );
  });

  it("reports timings and progress per family", () => {
    for (const family of ["quality", "schema", "drift", "performance", "calibration", "fairness", "operational"]) {
      expect(result.timings[family as keyof typeof result.timings]).toBeGreaterThanOrEqual(0);
      expect(progress.filter((p) => p.family === family).map((p) => p.phase)).toEqual(["start", "done"]);
    }
    expect(result.timings.total).toBeGreaterThanOrEqual(result.timings.drift ?? 0);
  });

  it("summarises the samples' built-in problems as failing checks", () => {
    const checks = summarizeVerdicts(result);
    const drift = value(result.drift.features);
    expect(check(checks, "drift.share")).toMatchObject({
      value: drift.shareDrifted,
      threshold: 0.05,
      comparator: "<",
      verdict: drift.shareDrifted < 0.05 ? "pass" : "fail",
    });
    expect(drift.columns.find((c) => c.column === "income")?.drifted).toBe(true);
    const sex = result.fairness?.result?.attributes.find((a) => a.attribute === "sex");
    expect(check(checks, "fairness.parity-ratio.sex")).toMatchObject({
      value: sex?.demographicParityRatio,
      threshold: 0.8,
      comparator: ">=",
    });
    expect(check(checks, "calibration.ece").value).toBe(value(result.calibration).ece);
    expect(check(checks, "operational.latency-p99").value).toBe(value(result.operational)?.latency?.p99);
    expect(check(checks, "operational.error-rate").value).toBe(value(result.operational)?.errorRate?.rate);
    expect(check(checks, "quality.schema")).toMatchObject({ value: 0, verdict: "pass" });
    expect(check(checks, "drift.score").verdict).toMatch(/pass|warn/);
    expect(check(checks, "drift.label").verdict).toMatch(/pass|warn/);
    expect(overallVerdict(checks)).toBe("fail");
  });

  it("applies custom thresholds", () => {
    const loose = summarizeVerdicts(result, {
      maxDriftShare: 1.01,
      maxEce: 1,
      minParityRatio: 0,
      maxP99Ms: 1e9,
      maxErrorRate: 1,
    });
    expect(loose.filter((c) => c.verdict === "fail")).toEqual([]);
    const strict = summarizeVerdicts(result, { maxEce: 0 });
    expect(check(strict, "calibration.ece").verdict).toBe("fail");
  });
});

describe("runStandardAudit on fixtures", () => {
  let engine: NodeEngine;
  const n = 200;
  const rows = Array.from({ length: n }, (_, i) => i);
  const label = rows.map((i) => ((i * 7) % 3 === 0 ? 1 : 0));
  const score = rows.map((i) => ((i * 37) % 101) / 100);

  beforeAll(async () => {
    engine = await openFixtureEngine();
    const base = {
      "the label": { type: "INTEGER" as const, values: label },
      'score "p"': { type: "DOUBLE" as const, values: score },
      "x é": { type: "DOUBLE" as const, values: rows.map((i) => (i % 17) * 1.5) },
      one: { type: "VARCHAR" as const, values: rows.map(() => "same") },
      grp: { type: "VARCHAR" as const, values: rows.map((i) => (i % 2 ? "a" : "b")) },
      status: { type: "INTEGER" as const, values: rows.map((i) => (i % 50 === 0 ? 503 : 200)) },
      latency: { type: "DOUBLE" as const, values: rows.map((i) => (i === 3 ? Number.NaN : 10 + i)) },
      user_id: { type: "BIGINT" as const, values: rows },
    };
    await createFixtureTable(engine, "ref", base);
    await createFixtureTable(engine, "cur", { ...base, extra: { type: "DOUBLE", values: rows } });
  });
  afterAll(async () => {
    await engine?.close();
  });

  const spec = { reference: "ref", current: "cur", label: "the label", score: 'score "p"' };

  it("captures a family's input error and goes on", async () => {
    const result = await runStandardAudit(engine.query, { ...spec, groups: ["one", "grp"] });
    expect(result.fairness?.failures).toEqual([
      { attribute: "one", error: { problem: "single-group", message: expect.any(String), column: "one" } },
    ]);
    expect(result.fairness?.result?.attributes.map((a) => a.attribute)).toEqual(["grp"]);
    // The NaN latency makes operational reject its input; everything else still ran.
    expect(result.spec.latency).toBe("latency");
    expect(result.spec.error).toBe("status");
    expect(result.spec.errorWhen).toEqual({ op: ">=", value: 500 });
    expect(isFailure(result.operational as never)).toBe(true);
    expect(isFailure(result.calibration)).toBe(false);
    const checks = summarizeVerdicts(result);
    expect(check(checks, "fairness.parity-ratio.one")).toMatchObject({ verdict: "error", value: null });
    expect(check(checks, "operational.latency-p99").verdict).toBe("error");
    expect(check(checks, "operational.error-rate").verdict).toBe("error");
    expect(overallVerdict(checks)).toBe("error");
    expect(result.spec.features).toEqual(["x é"]);
  });

  it("runs every family over a feature near the largest double (DuckDB's stddev overflows there)", async () => {
    const huge = rows.map((i) => ((i % 2 ? 1 : -1) * 1.7e308 * ((i % 11) + 1)) / 12);
    await createFixtureTable(engine, "huge ref", {
      "the label": { type: "INTEGER", values: label },
      'score "p"': { type: "DOUBLE", values: score },
      big: { type: "DOUBLE", values: huge },
    });
    await createFixtureTable(engine, "huge cur", {
      "the label": { type: "INTEGER", values: label },
      'score "p"': { type: "DOUBLE", values: score },
      big: { type: "DOUBLE", values: huge.reverse() },
    });
    const result = await runStandardAudit(engine.query, {
      ...spec,
      reference: "huge ref",
      current: "huge cur",
      slices: true,
    });
    for (const outcome of [result.quality.reference, result.quality.current, result.drift.features, result.slices]) {
      expect(isFailure(outcome as never)).toBe(false);
    }
    const drift = result.drift.features as {
      columns: { column: string; drifted: boolean; ks: { statistic: number } }[];
    };
    // The same values in another order: no drift.
    expect(drift.columns.find((c) => c.column === "big")).toMatchObject({ drifted: false, ks: { statistic: 0 } });
  });

  it("uses the operational columns it is given and the error predicate", async () => {
    const result = await runStandardAudit(engine.query, {
      ...spec,
      latency: null,
      error: "status",
      errorWhen: { op: "=", value: 503 },
    });
    const op = value(result.operational);
    expect(op?.latency).toBeNull();
    expect(op?.errorRate?.errors).toBe(4);
    expect(summarizeVerdicts(result).map((c) => c.id)).not.toContain("operational.latency-p99");
  });

  it("skips a text `error` column (messages) for `status`, and reads a named status column as HTTP codes", async () => {
    await createFixtureTable(engine, "log", {
      "the label": { type: "INTEGER", values: label },
      'score "p"': { type: "DOUBLE", values: score },
      error: { type: "VARCHAR", values: rows.map((i) => (i % 50 === 0 ? "timeout" : null)) },
      Status: { type: "INTEGER", values: rows.map((i) => (i % 50 === 0 ? 503 : 200)) },
    });
    const found = await runStandardAudit(engine.query, { ...spec, reference: "log", current: "log" });
    expect(found.spec).toMatchObject({ error: "Status", errorWhen: { op: ">=", value: 500 }, latency: null });
    expect(value(found.operational)?.errorRate).toMatchObject({ errors: 4, n: 200 });
    const named = await runStandardAudit(engine.query, { ...spec, reference: "log", current: "log", error: "Status" });
    expect(named.spec.errorWhen).toEqual({ op: ">=", value: 500 });
    const deduped = await runStandardAudit(engine.query, { ...spec, groups: ["grp", "grp"], latency: null });
    expect(deduped.spec.groups).toEqual(["grp"]);
  });

  it("counts a removed column as a schema violation", async () => {
    const result = await runStandardAudit(engine.query, { ...spec, reference: "cur", current: "ref", latency: null });
    expect(check(summarizeVerdicts(result), "quality.schema")).toMatchObject({ value: 1, verdict: "fail" });
  });

  it("identical data: no drift, no schema change", async () => {
    const result = await runStandardAudit(engine.query, { ...spec, reference: "ref", current: "ref", latency: null });
    expect(value(result.drift.features).shareDrifted).toBe(0);
    expect(check(summarizeVerdicts(result), "drift.share").verdict).toBe("pass");
  });

  it("a missing label or score column is fatal", async () => {
    await expect(runStandardAudit(engine.query, { ...spec, label: "nope" })).rejects.toThrow(AuditInputError);
    await expect(runStandardAudit(engine.query, { ...spec, score: 'Score "p"' })).rejects.toMatchObject({
      problem: "missing-column",
      column: 'Score "p"',
    });
  });

  it("a missing feature or group is captured, not fatal", async () => {
    const result = await runStandardAudit(engine.query, {
      ...spec,
      features: ["nope"],
      groups: ["gone"],
      latency: null,
    });
    expect(result.drift.features).toMatchObject({ error: { problem: "missing-column", column: "nope" } });
    expect(result.fairness?.failures[0]).toMatchObject({ attribute: "gone", error: { problem: "missing-column" } });
  });
});
