/**
 * Performance read batch by batch against the table path (runBinaryPerformance on the whole
 * table): counts, rates, Brier and log loss equal; ROC AUC inside its stated interval (and equal
 * when every score bin is decided); curve points exact at their thresholds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { tableBatches } from "../streaming/table-batches";
import { openSampleEngine } from "../testing/sample-data";
import { runBinaryPerformance } from "./binary-performance";
import { runStreamedBinaryPerformance } from "./streamed-performance";

let engine: NodeEngine;
beforeAll(async () => {
  engine = await openSampleEngine();
  await engine.exec("CREATE TABLE prod AS SELECT * FROM production");
  // Scores rounded to multiples of 0.05 (at most 21 values), with ties across labels: every bin
  // holds one score.
  await engine.exec("CREATE TABLE coarse AS SELECT * REPLACE (round(score * 20) / 20 AS score) FROM prod");
});
afterAll(() => engine.close());

const SPEC = { source: "prod", label: "label", score: "score", threshold: 0.5 };

describe("performance over batches", () => {
  it("gives the table's counts, rates and losses, and an interval that holds its ROC AUC", async () => {
    const table = await runBinaryPerformance(engine.query, SPEC);
    for (const size of [333, 4000]) {
      const streamed = await runStreamedBinaryPerformance(
        engine.query,
        SPEC,
        await tableBatches(engine.query, "prod", size),
      );
      expect(streamed.confusion).toEqual(table.confusion);
      for (const key of [
        "accuracy",
        "precision",
        "recall",
        "f1",
        "specificity",
        "balancedAccuracy",
        "brier",
        "logLoss",
      ] as const) {
        expect(streamed[key], key).toBeCloseTo(table[key] as number, 12);
      }
      const bound = streamed.errorBounds?.rocAuc ?? 0;
      expect(Math.abs((streamed.rocAuc as number) - (table.rocAuc as number))).toBeLessThanOrEqual(bound + 1e-12);
      expect(bound).toBeLessThan(0.01);
      expect(streamed.trace.steps.some((s) => s.startsWith("Streamed:"))).toBe(true);
    }
  });

  it("puts every curve point at its threshold's exact rates", async () => {
    const streamed = await runStreamedBinaryPerformance(
      engine.query,
      SPEC,
      await tableBatches(engine.query, "prod", 1000),
    );
    const [totals] = await queryRows(
      engine.query,
      "SELECT count_if(label = 1) AS p, count_if(label = 0) AS n FROM prod",
    );
    const points = streamed.rocCurve.filter((p) => p.threshold !== null);
    for (const p of points.filter((_, i) => i % 97 === 0)) {
      const [at] = await queryRows(
        engine.query,
        `SELECT count_if(label = 1 AND score >= ${p.threshold}) AS tp, count_if(label = 0 AND score >= ${p.threshold}) AS fp FROM prod`,
      );
      expect(p.tpr).toBeCloseTo((num(at?.tp) as number) / (num(totals?.p) as number), 12);
      expect(p.fpr).toBeCloseTo((num(at?.fp) as number) / (num(totals?.n) as number), 12);
    }
  });

  it("is exact, AUC and average precision, when every score bin holds one score", async () => {
    const spec = { ...SPEC, source: "coarse" };
    const table = await runBinaryPerformance(engine.query, spec);
    const streamed = await runStreamedBinaryPerformance(
      engine.query,
      spec,
      await tableBatches(engine.query, "coarse", 700),
    );
    expect(streamed.errorBounds).toBeUndefined();
    expect(streamed.rocAuc).toBeCloseTo(table.rocAuc as number, 12);
    expect(streamed.prAuc).toBeCloseTo(table.prAuc as number, 12);
    expect(streamed.rocCurve.map((p) => [p.fpr, p.tpr])).toEqual(table.rocCurve.map((p) => [p.fpr, p.tpr]));
  });

  it("refuses what it cannot compute, and finds bad values in any batch", async () => {
    const batches = () => tableBatches(engine.query, "prod", 1000);
    await expect(
      runStreamedBinaryPerformance(
        engine.query,
        { source: "prod", label: "label", prediction: "prediction" },
        await batches(),
      ),
    ).rejects.toThrow(/needs a score column/);
    await engine.exec(
      "CREATE TABLE bad_score AS SELECT * REPLACE (CASE WHEN rowid = 3999 THEN 1.5 ELSE score END AS score) FROM prod",
    );
    await expect(
      runStreamedBinaryPerformance(
        engine.query,
        { ...SPEC, source: "bad_score" },
        await tableBatches(engine.query, "bad_score", 1000),
      ),
    ).rejects.toThrow(/must lie in \[0, 1\]/);
    await engine.exec("CREATE TABLE positives AS SELECT * REPLACE (1 AS label) FROM prod");
    await expect(
      runStreamedBinaryPerformance(
        engine.query,
        { ...SPEC, source: "positives" },
        await tableBatches(engine.query, "positives", 1000),
      ),
    ).rejects.toThrow(AuditInputError);
  });
});
