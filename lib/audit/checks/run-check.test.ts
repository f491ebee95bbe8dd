import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { runDrift } from "../drift";
import { runFairness } from "../fairness";
import { describeRelation } from "../validate";
import { openSampleEngine } from "../testing/sample-data";
import { compareDriftConventions, compareFairnessConventions } from "./conventions";
import { defaultCheckParams } from "./defaults";
import { profileStream, streamedDrift, tableBatches, wholeRelation } from "../streaming";
import type { StreamedProfile } from "../streaming/profile";
import { runCheck } from "./run-check";
import { CHECK_FAMILIES, type CheckParams } from "./types";

describe("audit checks on the sample logs", () => {
  let engine: NodeEngine;
  let params: Record<string, CheckParams>;
  beforeAll(async () => {
    engine = await openSampleEngine();
    const current = { name: "production", columns: await describeRelation(engine.query, "production") };
    const reference = { name: "reference", columns: await describeRelation(engine.query, "reference") };
    params = Object.fromEntries(CHECK_FAMILIES.map((f) => [f, defaultCheckParams(f, { current, reference })]));
    params.canary = {
      ...(params.canary as CheckParams & { family: "canary" }),
      baseline: "v1",
      candidate: "v2-canary",
    };
  });
  afterAll(() => engine.close());

  it("runs every family with its default thresholds and records its SQL", async () => {
    for (const family of CHECK_FAMILIES) {
      const outcome = await runCheck(engine.query, params[family] as CheckParams);
      expect(outcome.family).toBe(family);
      expect(outcome.measurements.length).toBeGreaterThan(0);
      expect(outcome.sql.length).toBeGreaterThan(0);
      for (const m of outcome.measurements) expect(["pass", "warn", "fail"]).toContain(m.verdict);
    }
  });

  it("reads streamed datasets through their profiles, for drift only", async () => {
    const drift = params.drift as CheckParams & { family: "drift" };
    const profileOf = async (name: string) =>
      (await profileStream(engine.query, await wholeRelation(engine.query, name), { columns: drift.columns })).profile;
    const expected = streamedDrift(await profileOf("reference"), await profileOf("production"), {
      columns: drift.columns,
    });
    // The CLI: the file is a table, profiled on the fly. The app: the saved profile.
    const fromTable = await runCheck(engine.query, drift, { streamed: new Set(["reference"]) });
    const saved = await profileOf("reference");
    const fromProfile = await runCheck(engine.query, drift, {
      streamed: new Set(["reference"]),
      profileOf: (name) => (name === "reference" ? saved : undefined),
    });
    for (const outcome of [fromTable, fromProfile]) {
      if (outcome.result.family !== "drift") throw new Error("not a drift outcome");
      expect(outcome.result.drift.columns.map((c) => [c.column, c.method, c.drifted])).toEqual(
        expected.columns.map((c) => [c.column, c.method, c.drifted]),
      );
      const flagged = expected.columns.filter((c) => c.drifted || c.undetermined).length;
      expect(outcome.measurements[0]?.value).toBeCloseTo(flagged / expected.columns.length, 12);
    }
    await expect(
      runCheck(engine.query, { ...drift, convention: "evidently" }, { streamed: new Set(["production"]) }),
    ).rejects.toThrow(/uses Assay's convention only/);
    // Fairness adds up its per-group counts over the batches: the table's measurements.
    await engine.exec("CREATE OR REPLACE TABLE production_rows AS SELECT * FROM production");
    const fairness = await runCheck(engine.query, params.fairness as CheckParams, {
      streamed: new Set(["production"]),
      batchesOf: () => tableBatches(engine.query, "production_rows", 700),
    });
    const direct = await runCheck(engine.query, params.fairness as CheckParams);
    expect(fairness.measurements.map((m) => [m.id, m.verdict])).toEqual(
      direct.measurements.map((m) => [m.id, m.verdict]),
    );
    for (const [i, m] of fairness.measurements.entries()) {
      expect(m.value).toBeCloseTo(direct.measurements[i]?.value as number, 12);
    }
    // Operational from the streamed profile: the error rate exact, p99 within its bound, the gate
    // reading the bound's upper end.
    const operational = await runCheck(engine.query, params.operational as CheckParams, {
      streamed: new Set(["production"]),
    });
    const operationalTable = await runCheck(engine.query, params.operational as CheckParams);
    if (operational.result.family !== "operational" || operationalTable.result.family !== "operational") {
      throw new Error("not operational");
    }
    const o = operational.result.operational;
    const t = operationalTable.result.operational;
    expect(o.errorRate).toEqual(t.errorRate);
    const p99Bound = (o as { latencyBounds?: { p99: number } }).latencyBounds?.p99 ?? 0;
    expect(Math.abs((o.latency?.p99 as number) - (t.latency?.p99 as number))).toBeLessThanOrEqual(p99Bound + 1e-9);
    expect([o.latency?.n, o.latency?.min, o.latency?.max]).toEqual([t.latency?.n, t.latency?.min, t.latency?.max]);
    expect(o.latency?.mean as number).toBeCloseTo(t.latency?.mean as number, 9);
    const p99 = operational.measurements.find((m) => m.id === "p99");
    if (p99Bound > 0) {
      expect(p99?.label).toMatch(/upper end of its streamed interval/);
      expect(p99?.value).toBeCloseTo((o.latency?.p99 as number) + p99Bound, 12);
    }

    // Quality from the streamed profile: counts exact, the schema diff from the column lists; no contract.
    const quality = await runCheck(engine.query, params.quality as CheckParams, { streamed: new Set(["production"]) });
    const qualityTable = await runCheck(engine.query, params.quality as CheckParams);
    expect(quality.measurements.map((m) => [m.value, m.verdict])).toEqual(
      qualityTable.measurements.map((m) => [m.value, m.verdict]),
    );
    if (quality.result.family !== "quality") throw new Error("not quality");
    expect(quality.result.profile.trace[0]).toMatch(/streamed profile/);
    const contract = { ...(params.quality as CheckParams), contract: { columns: { age: { min: 18 } } } } as CheckParams;
    await expect(runCheck(engine.query, contract, { streamed: new Set(["production"]) })).rejects.toThrow(
      /A data contract counts the rows/,
    );
  });

  it("compares canary and production on a streamed dataset, gating on the AUC interval's far end", async () => {
    const streamed = new Set(["production"]);
    const canary = params.canary as CheckParams & { family: "canary" };
    const cli = await runCheck(engine.query, canary, { streamed });
    const loaded = await runCheck(engine.query, canary);
    if (cli.result.family !== "canary" || loaded.result.family !== "canary") throw new Error("not canary");
    const s = cli.result.canary;
    const t = loaded.result.canary;
    expect(s.baseline.n).toBe(t.baseline.n);
    expect(s.candidate.n).toBe(t.candidate.n);
    for (const side of ["baseline", "candidate"] as const) {
      for (const metric of ["accuracy", "precision", "recall", "f1", "positiveRate", "meanScore"] as const) {
        expect(s[side].metrics[metric], `${side} ${metric}`).toBeCloseTo(t[side].metrics[metric] as number, 12);
      }
      const bound = s.errorBounds?.auc?.[side] as number;
      expect(Math.abs((s[side].metrics.auc as number) - (t[side].metrics.auc as number))).toBeLessThanOrEqual(bound);
    }
    // KS from the grid: the exact value lies within [ks, ks + ksAbove].
    expect(t.scoreShift.ks as number).toBeGreaterThanOrEqual((s.scoreShift.ks as number) - 1e-12);
    expect(t.scoreShift.ks as number).toBeLessThanOrEqual(
      (s.scoreShift.ks as number) + (s.errorBounds?.ksAbove ?? 0) + 1e-12,
    );
    // The gate reads the largest divergence, AUC's at the far end of its interval.
    const auc = s.deltas.find((d) => d.metric === "auc");
    expect(auc?.relativeBound).toBeGreaterThan(0);
    const worst = Math.max(...s.deltas.map((d) => Math.abs(d.relativeDelta ?? 0) + (d.relativeBound ?? 0)));
    expect(cli.measurements[0]?.value).toBe(worst);
    expect(worst).toBeGreaterThanOrEqual(loaded.measurements[0]?.value as number);

    // The app's path: passes over row groups that hold only the columns asked for.
    const schema = await describeRelation(engine.query, "production");
    const read: string[][] = [];
    const app = await runCheck(engine.query, canary, {
      streamed,
      batchesOf: async (_, columns) => {
        read.push([...(columns ?? [])]);
        const table = `production_canary_${read.length}`;
        const list = (columns ?? []).map((c) => `"${c.replaceAll('"', '""')}"`).join(", ");
        await engine.exec(`CREATE OR REPLACE TABLE ${table} AS SELECT ${list} FROM production`);
        // Like the app's streams: its own connection, closed once the last batch has been read.
        const inner = await tableBatches(engine.query, table, 900);
        let closed = false;
        return {
          ...inner,
          columns: schema,
          next: async () => {
            const relation = await inner.next();
            closed = relation === null;
            return relation;
          },
          query: async (sql) => {
            if (closed) throw new Error(`the stream's connection is closed: ${sql}`);
            return engine.query(sql);
          },
        };
      },
    });
    expect(read).toHaveLength(5);
    expect(read[0]).toEqual([canary.versionColumn, canary.score, canary.label]);
    if (app.result.family !== "canary") throw new Error("not canary");
    expect(app.result.canary.deltas).toEqual(s.deltas.map((d) => expect.objectContaining({ metric: d.metric })));
    expect(app.result.canary.baseline.metrics.accuracy).toBe(s.baseline.metrics.accuracy);
    expect(app.result.canary.baseline.metrics.auc).toBe(s.baseline.metrics.auc);
    expect(app.measurements[0]?.value).toBeCloseTo(cli.measurements[0]?.value as number, 12);
  });

  it("profiles a streamed dataset once in the CLI and lets later checks reuse the profile", async () => {
    const kept = new Map<string, StreamedProfile>();
    const context = {
      streamed: new Set(["production"]),
      profileOf: (name: string) => kept.get(name),
      keepProfile: (name: string, profile: StreamedProfile) => kept.set(name, profile),
    };
    const profiles = (sql: readonly string[]) => sql.filter((s) => s.includes(" AS pinf0")).length;
    const quality = await runCheck(engine.query, params.quality as CheckParams, context);
    expect(profiles(quality.sql)).toBe(1);
    expect(kept.get("production")?.rows).toBe(4000);
    const operational = await runCheck(engine.query, params.operational as CheckParams, context);
    const slices = await runCheck(engine.query, params.slices as CheckParams, context);
    expect(profiles(operational.sql) + profiles(slices.sql)).toBe(0);
    // The same numbers as when each check profiles the table itself.
    const alone = await runCheck(engine.query, params.operational as CheckParams, { streamed: context.streamed });
    expect(operational.measurements).toEqual(alone.measurements);
  });

  it("runs a streamed slices check in two passes, in the CLI (one batch) as in the app (row groups)", async () => {
    const streamed = new Set(["production"]);
    const slices = params.slices as CheckParams & { family: "slices" };
    const cli = await runCheck(engine.query, slices, { streamed });
    const schema = await describeRelation(engine.query, "production");
    const read: string[][] = [];
    const app = await runCheck(engine.query, slices, {
      streamed,
      profileOf: () => undefined,
      // As the app's worker does: the batches hold only the columns asked for, the stream lists all.
      batchesOf: async (_, columns) => {
        read.push([...(columns ?? [])]);
        const table = `production_pass_${read.length}`;
        const list = (columns ?? schema.map((c) => c.name)).map((c) => `"${c.replaceAll('"', '""')}"`).join(", ");
        await engine.exec(`CREATE OR REPLACE TABLE ${table} AS SELECT ${list} FROM production`);
        return { ...(await tableBatches(engine.query, table, 700)), columns: schema, query: engine.query };
      },
    });
    // The profile is computed once from the table (profileOf gave none), then two passes: the
    // singles over every candidate, then the pairs over the pairColumns worst only.
    expect(read).toHaveLength(2);
    expect(read[0]).toEqual(expect.arrayContaining(["label", "score", "sex", "age_band"]));
    expect(read[0]?.length).toBeLessThan(schema.length);
    const roles = [slices.label, slices.score, slices.prediction].filter(Boolean);
    expect(read[1]?.length).toBe(roles.length + (slices.pairColumns ?? 0));
    if (cli.result.family !== "slices" || app.result.family !== "slices") throw new Error("not slices");
    expect(app.result.slices.slices).toEqual(cli.result.slices.slices);
    expect(app.result.slices.counts).toEqual(cli.result.slices.counts);
    expect(app.measurements).toEqual(cli.measurements);
    expect(app.sql.filter((s) => s.includes("__assay_stream_") && s.includes("GROUPING SETS")).length).toBeGreaterThan(
      2,
    );
    expect(cli.result.slices.trace.join("\n")).toMatch(/Streamed: every statement below ran once per batch/);
    // Loaded, the same check finds the same worst columns for its pairs.
    const loaded = await runCheck(engine.query, slices);
    if (loaded.result.family !== "slices") throw new Error("not slices");
    expect(cli.result.slices.overall).toEqual(loaded.result.slices.overall);
  });

  it("gates a streamed performance check on ROC AUC's lower end, and records the streams' SQL", async () => {
    const streamed = new Set(["production"]);
    const perf = await runCheck(engine.query, params.performance as CheckParams, { streamed });
    if (perf.result.family !== "performance") throw new Error("not performance");
    const bound = perf.result.performance.errorBounds?.rocAuc as number;
    expect(bound).toBeGreaterThan(0);
    expect(perf.measurements[0]?.label).toMatch(/lower end of its streamed interval/);
    expect(perf.measurements[0]?.value).toBeCloseTo((perf.result.performance.rocAuc as number) - bound, 15);

    // A stream with a connection of its own (the app's): its statements show in "show SQL".
    await engine.exec("CREATE OR REPLACE TABLE production_rows AS SELECT * FROM production");
    const own = await runCheck(engine.query, params.calibration as CheckParams, {
      streamed,
      batchesOf: async () => ({ ...(await tableBatches(engine.query, "production_rows", 1500)), query: engine.query }),
    });
    expect(own.sql.filter((s) => s.includes("__assay_stream_")).length).toBeGreaterThanOrEqual(3);
    const direct = await runCheck(engine.query, params.calibration as CheckParams);
    expect(own.measurements[0]?.value).toBeCloseTo(direct.measurements[0]?.value as number, 12);

    // Calibration bins that need the order of all scores are refused, in the app and the CLI alike.
    const quantile = { ...(params.calibration as CheckParams), strategy: "quantile" } as CheckParams;
    await expect(runCheck(engine.query, quantile, { streamed })).rejects.toThrow(/use the uniform strategy/);
  });

  it("fails drift on the drifted sample and reports the family's own numbers", async () => {
    const outcome = await runCheck(engine.query, params.drift as CheckParams);
    const direct = await runDrift(engine.query, {
      reference: "reference",
      current: "production",
      columns: (params.drift as CheckParams & { family: "drift" }).columns,
    });
    expect(outcome.verdict).toBe("fail");
    expect(outcome.measurements[0]?.value).toBe(direct.shareDrifted);
    expect(outcome.measurements[0]?.detail).toContain("income");
  });

  it("judges demographic parity per attribute from the fairness family", async () => {
    const outcome = await runCheck(engine.query, params.fairness as CheckParams);
    const p = params.fairness as CheckParams & { family: "fairness" };
    const direct = await runFairness(engine.query, {
      source: "production",
      label: "label",
      score: "score",
      prediction: "prediction",
      attributes: p.attributes,
    });
    expect(outcome.measurements.map((m) => m.value)).toEqual(direct.attributes.map((a) => a.demographicParityRatio));
    // Changing the threshold changes the verdict, nothing else.
    const lenient = await runCheck(engine.query, { ...p, minParityRatio: 0 });
    expect(lenient.measurements.every((m) => m.verdict !== "fail")).toBe(true);
    expect(lenient.measurements.map((m) => m.value)).toEqual(outcome.measurements.map((m) => m.value));
  });

  it("rejects a missing column with the column's name", async () => {
    await expect(
      runCheck(engine.query, {
        ...(params.performance as CheckParams & { family: "performance" }),
        label: "no_such_label",
      }),
    ).rejects.toMatchObject({ name: "AuditInputError", column: "no_such_label" });
  });

  it("compares conventions and flags where they disagree", async () => {
    const drift = await compareDriftConventions(engine.query, params.drift as CheckParams & { family: "drift" });
    expect(drift.conventions.map((c) => c.convention)).toEqual(["assay", "evidently", "nannyml", "alibi"]);
    expect(drift.columns.length).toBeGreaterThan(3);
    for (const c of drift.columns) {
      const flags = new Set(Object.values(c.byConvention).map((v) => v.drifted));
      expect(c.disagree).toBe(flags.size > 1);
    }
    const fairness = await compareFairnessConventions(
      engine.query,
      params.fairness as CheckParams & { family: "fairness" },
    );
    expect(Object.keys(fairness.attributes[0]?.byConvention ?? {})).toEqual(["assay", "fairlearn", "aequitas"]);
  });
});
