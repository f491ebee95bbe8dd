import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { openFixtureEngine } from "../testing/fixture-engine";
import { MAX_CURVE_POINTS } from "./binary-performance-sql";
import { runBinaryPerformance } from "./binary-performance";
import { cutRanges, HISTOGRAM_BINS, PARTITION_ABOVE } from "./partitioned-ranking";

const close = (a: number | null, b: number | null, rel = 1e-12) => {
  expect(a).not.toBeNull();
  expect(Math.abs((a as number) - (b as number))).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(b as number)));
};

describe("cutRanges", () => {
  it("cuts contiguous ranges of about equal rows, highest first, never splitting a bin", () => {
    const bins = Array.from({ length: HISTOGRAM_BINS }, (_, bin) => ({ bin, n: bin % 3 === 0 ? 10 : 1 }));
    const used = bins.reduce((a, b) => a + b.n, 0);
    const ranges = cutRanges(bins, used, 0, 1, 1000);
    expect(ranges.length).toBe(Math.ceil(used / 1000));
    expect(ranges[0]?.hi).toBeNull();
    expect(ranges[ranges.length - 1]?.lo).toBeNull();
    for (let i = 1; i < ranges.length; i++) {
      expect(ranges[i]?.hi).toBe(ranges[i - 1]?.lo);
      if (i < ranges.length - 1) expect(ranges[i]?.lo as number).toBeLessThan(ranges[i]?.hi as number);
    }
  });

  it("keeps one range when one bin holds every row", () => {
    const bins = [{ bin: HISTOGRAM_BINS - 1, n: 5000 }];
    expect(cutRanges(bins, 5000, 0, 1, 1000)).toEqual([{ lo: null, hi: null }]);
  });
});

describe("binary performance in score ranges", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    // 40,000 rows: raw scores (a logit-like spread, with ties on every 7th row), labels that track
    // the score, NULL labels and scores. (NaN and ±Inf scores are refused before ranking.)
    await engine.exec(`CREATE TABLE raw AS SELECT
        CASE WHEN i % 997 = 0 THEN NULL WHEN i % 7 = 0 THEN round((hash(i) % 2000) / 100.0 - 10, 0)
             ELSE (hash(i) % 2000000) / 100000.0 - 10 END AS score,
        CASE WHEN i % 1021 = 0 THEN NULL ELSE CAST((hash(i) % 2000000) / 100000.0 - 10 + (hash(i, 7) % 1000) / 100.0 > 0 AS INTEGER) END AS "the label"
      FROM range(40000) t(i)`);
  });
  afterAll(() => engine.close());

  it("gives the one-sort metrics, and curve points that are the true rates at their thresholds", async () => {
    const spec = { source: "raw", label: "the label", score: "score", allowRawScores: true } as const;
    const one = await runBinaryPerformance(engine.query, { ...spec, ranking: "sort" });
    const parts = await runBinaryPerformance(engine.query, { ...spec, ranking: "partitioned", partitionRows: 3000 });
    expect(parts.trace.parameters.scoreRanges).toBeGreaterThanOrEqual(12);
    expect(parts.confusion).toEqual(one.confusion);
    expect([parts.n, parts.positives]).toEqual([one.n, one.positives]);
    // Integer rank sums: the same AUC to the last bit; AP from compensated partial sums.
    expect(parts.rocAuc).toBe(one.rocAuc);
    close(parts.prAuc, one.prAuc);
    expect(parts.trace.steps.find((s) => s.startsWith("ROC AUC over"))).toBe(
      one.trace.steps.find((s) => s.startsWith("ROC AUC over")),
    );
    expect(parts.rocCurve.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(parts.rocCurve.length).toBeGreaterThan(800);
    const rows = (
      await engine.query(`SELECT score, "the label" AS y FROM raw WHERE score IS NOT NULL AND "the label" IS NOT NULL`)
    )
      .toArray()
      .map((r) => r.toJSON() as { score: number; y: number });
    const p = rows.filter((r) => r.y === 1).length;
    const n = rows.length - p;
    for (const point of parts.rocCurve.slice(1)) {
      const hit = rows.filter((r) => r.score >= (point.threshold as number));
      expect(point.tpr).toBe(hit.filter((r) => r.y === 1).length / p);
      expect(point.fpr).toBe(hit.filter((r) => r.y === 0).length / n);
    }
    expect(parts.rocCurve.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
    expect(parts.prCurve.at(-1)).toEqual({ precision: 1, recall: 0, threshold: null });
  });

  it("is what `auto` picks above PARTITION_ABOVE rows, with the one-sort metrics", async () => {
    const rows = PARTITION_ABOVE + 200_000;
    await engine.exec(`CREATE TABLE big AS SELECT (hash(i) % 1000000007) / 1000000007.0 AS score,
        CAST((hash(i) % 1000000007) / 1000000007.0 + (hash(i, 3) % 1000) / 2000.0 > 0.75 AS INTEGER) AS label
      FROM range(${rows}) t(i)`);
    const auto = await runBinaryPerformance(engine.query, { source: "big", label: "label", score: "score" });
    expect(auto.trace.parameters.ranking).toBe("partitioned");
    expect(auto.trace.parameters.scoreRanges).toBe(3);
    const one = await runBinaryPerformance(engine.query, {
      source: "big",
      label: "label",
      score: "score",
      ranking: "sort",
    });
    expect(auto.n).toBe(rows);
    expect(auto.rocAuc).toBe(one.rocAuc);
    close(auto.prAuc, one.prAuc);
    close(auto.brier, one.brier);
    close(auto.logLoss, one.logLoss);
    expect(auto.rocCurve.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    await engine.exec("DROP TABLE big");
  });

  it("sorts subnormal scores in one range (the histogram's scale would overflow)", async () => {
    await engine.exec(`CREATE TABLE tiny AS SELECT i * 5e-324 AS score, CAST(i % 3 = 0 AS INTEGER) AS label
      FROM range(900) t(i)`);
    const spec = { source: "tiny", label: "label", score: "score" } as const;
    const one = await runBinaryPerformance(engine.query, { ...spec, ranking: "sort" });
    const parts = await runBinaryPerformance(engine.query, { ...spec, ranking: "partitioned", partitionRows: 100 });
    expect(parts.trace.parameters.scoreRanges).toBe(1);
    expect(parts.rocAuc).toBe(one.rocAuc);
    expect(parts.rocCurve).toEqual(one.rocCurve);
  });

  it("refuses a partitionRows that is not a positive whole number", async () => {
    await expect(
      runBinaryPerformance(engine.query, {
        source: "raw",
        label: "the label",
        score: "score",
        allowRawScores: true,
        partitionRows: 0,
      }),
    ).rejects.toThrow(/partitionRows must be a positive whole number/);
  });
});
