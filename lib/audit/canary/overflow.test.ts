/**
 * Canary comparison of raw scores near the largest double (~1.8e308): `avg` overflows its running
 * sum to ±Infinity although each side's mean score is an ordinary double; a difference of two means
 * that exceeds the largest double is ±Infinity with a warning, its relative delta still exact.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { type CanaryResult, runCanaryComparison } from "./canary";

const engine = await openFixtureEngine();
afterAll(() => engine.close());

const SHIFT = 2 ** 700;
const SCORE = "score ✓ 'raw'";

async function compare(baseline: number[], candidate: number[], label?: number[], table = "huge canary") {
  const n = baseline.length + candidate.length;
  await createFixtureTable(engine, table, {
    v: { type: "VARCHAR", values: [...baseline.map(() => "prod"), ...candidate.map(() => "canary")] },
    [SCORE]: { type: "DOUBLE", values: [...baseline, ...candidate] },
    id: { type: "INTEGER", values: [...baseline.map((_, i) => i), ...candidate.map((_, i) => i)] },
    ...(label ? { y: { type: "INTEGER" as const, values: label } } : {}),
  });
  expect(label === undefined || label.length === n).toBe(true);
  return runCanaryComparison(engine.query, {
    source: table,
    versionColumn: "v",
    baseline: "prod",
    candidate: "canary",
    score: SCORE,
    idColumn: "id",
    ...(label ? { label: "y" } : {}),
  });
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x / SHIFT, 0) / xs.length;
const meanScore = (r: CanaryResult) => r.deltas.find((d) => d.metric === "meanScore");

function relClose(actual: number | null | undefined, expected: number, tol = 1e-14) {
  expect(typeof actual === "number" && Number.isFinite(actual)).toBe(true);
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe("canary mean score near the largest double", () => {
  it("gives each side's mean score although avg's running sum overflows", async () => {
    const b = [1.7e308, 1.7e308, 0.2, 0.9, 1e308];
    const c = [1.6e308, 1.6e308, 1.6e308, 0.5];
    const r = await compare(b, c);
    relClose(r.baseline.metrics.meanScore, mean(b) * SHIFT);
    relClose(r.candidate.metrics.meanScore, mean(c) * SHIFT);
    const d = meanScore(r);
    relClose(d?.delta, (mean(c) - mean(b)) * SHIFT, 1e-12);
    relClose(d?.relativeDelta, (mean(c) - mean(b)) / mean(b), 1e-12);
    relClose(r.scoreShift.meanDelta, (mean(c) - mean(b)) * SHIFT, 1e-12);
    expect(r.warnings.map((w) => w.code)).not.toContain("metric-overflow");
    expect(r.trace.join(" ")).toMatch(/2\^−600/);
  });

  it("reports a difference of means beyond the largest double as ±Infinity with a warning; the relative delta stays exact", async () => {
    const b = [1.7e308, 1.7e308, 1.6e308, -0.1];
    const c = [-1.7e308, -1.7e308, -1.6e308, 0.1];
    const r = await compare(b, c);
    relClose(r.baseline.metrics.meanScore, mean(b) * SHIFT);
    relClose(r.candidate.metrics.meanScore, mean(c) * SHIFT);
    const d = meanScore(r);
    expect(d?.delta).toBe(Number.NEGATIVE_INFINITY);
    relClose(d?.relativeDelta, -2, 1e-15);
    expect(r.scoreShift.meanDelta).toBe(Number.NEGATIVE_INFINITY);
    const w = r.warnings.find((x) => x.code === "metric-overflow");
    expect(w?.column).toBe(SCORE);
    expect(w?.message).toContain(SCORE);
    expect(w?.message).toMatch(/largest double/);
    expect(w?.message).toMatch(/[Rr]escale/);
  });

  it("compares labelled sides with huge raw scores without failing", async () => {
    const b = [1.7e308, 1.7e308, -1.7e308, 0.9, 1e308, -5];
    const c = [1.6e308, -1e308, 1.6e308, 0.5, 2, 1];
    const y = [1, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0];
    const r = await compare(b, c, y);
    relClose(r.baseline.metrics.meanScore, mean(b) * SHIFT);
    relClose(r.candidate.metrics.meanScore, mean(c) * SHIFT);
    expect(r.baseline.metrics.auc).not.toBeNull();
    expect(r.warnings.map((w) => w.code)).toContain("raw-scores");
  });

  it("runs the summary once on ordinary scores", async () => {
    const r = await compare([0.1, 0.4, 0.8], [0.2, 0.3, 0.9]);
    relClose(r.baseline.metrics.meanScore, (0.1 + 0.4 + 0.8) / 3, 1e-15);
    expect(r.trace.join(" ")).not.toMatch(/2\^−600/);
  });
});
