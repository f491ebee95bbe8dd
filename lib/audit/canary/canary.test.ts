import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { queryRows } from "../rows";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { CANARY_METRICS, type CanarySpec, runCanaryComparison } from "./canary";

type Columns = Record<string, FixtureColumn>;
interface Expected {
  baseline: { n: number; metrics: Record<string, number | null> };
  candidate: { n: number; metrics: Record<string, number | null> };
  scoreShift: { ks: number; psi: number; meanDelta: number };
  disagreementRate: number | null;
  disagreementPairs?: number;
}
const golden = JSON.parse(readFileSync(new URL("./testdata/canary.json", import.meta.url), "utf8")) as {
  baseline: Columns;
  candidate: Columns;
  cases: { name: string; spec: CanarySpec; expected: Expected }[];
};

function close(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

describe("canary vs production against scikit-learn / SciPy", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await createFixtureTable(engine, "prod ✓", golden.baseline);
    await createFixtureTable(engine, "canary q'", golden.candidate);
    await engine.exec(
      `CREATE TABLE "both" AS SELECT 'v1' AS "model version", * FROM "prod ✓" UNION ALL SELECT 'v2', * FROM "canary q'"`,
    );
  });
  afterAll(() => engine.close());

  for (const c of golden.cases) {
    it(c.name, async () => {
      const r = await runCanaryComparison(engine.query, c.spec);
      const e = c.expected;
      expect(r.baseline.n).toBe(e.baseline.n);
      expect(r.candidate.n).toBe(e.candidate.n);
      for (const m of CANARY_METRICS) {
        close(r.baseline.metrics[m], e.baseline.metrics[m] ?? null, `baseline ${m}`);
        close(r.candidate.metrics[m], e.candidate.metrics[m] ?? null, `candidate ${m}`);
      }
      for (const d of r.deltas) {
        if (d.baseline === null || d.candidate === null) expect(d.delta).toBeNull();
        else {
          close(d.delta, d.candidate - d.baseline, `delta ${d.metric}`);
          if (d.baseline !== 0) close(d.relativeDelta, (d.candidate - d.baseline) / Math.abs(d.baseline), d.metric);
        }
      }
      close(r.scoreShift.ks, e.scoreShift.ks, "ks");
      close(r.scoreShift.psi, e.scoreShift.psi, "psi");
      close(r.scoreShift.meanDelta, e.scoreShift.meanDelta, "meanDelta");
      close(r.disagreementRate, e.disagreementRate, "disagreement");
      if (e.disagreementPairs !== undefined) expect(r.disagreementPairs).toBe(e.disagreementPairs);
      else expect(r.warnings.map((w) => w.code)).toContain("no-pairing");
    });
  }

  it("drops its temporary views, also when the run fails", async () => {
    const spec = golden.cases[1]?.spec as CanarySpec;
    await runCanaryComparison(engine.query, spec);
    await expect(runCanaryComparison(engine.query, { ...spec, label: "nope" })).rejects.toMatchObject({
      problem: "missing-column",
    });
    const views = await queryRows(engine.query, "SELECT view_name FROM duckdb_views() WHERE NOT internal");
    expect(views).toEqual([]);
  });

  it("identical sides give zero deltas, zero shift and no disagreement", async () => {
    const r = await runCanaryComparison(engine.query, {
      baselineSource: "prod ✓",
      candidateSource: "prod ✓",
      label: "label",
      score: "score",
      idColumn: "id",
    });
    for (const d of r.deltas) expect(d.delta).toBe(0);
    expect(r.scoreShift).toEqual({ ks: 0, psi: 0, meanDelta: 0 });
    expect(r.disagreementRate).toBe(0);
  });

  it("rejects ambiguous or incomplete inputs and an empty side", async () => {
    const bad: CanarySpec[] = [
      { score: "score" },
      { source: "both", baselineSource: "prod ✓", candidateSource: "canary q'", score: "score" },
      { source: "both", versionColumn: "model version", baseline: "v1", score: "score" },
      { source: "both", versionColumn: "model version", baseline: "v1", candidate: "v1", score: "score" },
      { baselineSource: "prod ✓", score: "score" },
      { baselineSource: "prod ✓", candidateSource: "canary q'", score: "score", threshold: Number.NaN },
    ];
    for (const spec of bad) {
      await expect(runCanaryComparison(engine.query, spec)).rejects.toMatchObject({ problem: "invalid-option" });
    }
    await expect(
      runCanaryComparison(engine.query, {
        source: "both",
        versionColumn: "model version",
        baseline: "v1",
        candidate: "v3",
        score: "score",
      }),
    ).rejects.toMatchObject({ problem: "empty-table" });
    await expect(
      runCanaryComparison(engine.query, { baselineSource: "prod ✓", candidateSource: "canary q'", score: "id ✗" }),
    ).rejects.toMatchObject({ problem: "missing-column" });
  });
});
