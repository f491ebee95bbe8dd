/**
 * Canary vs production on a streamed dataset against the table path (`runCanaryComparison`):
 * counts and rates exactly, means to rounding, ROC AUC and KS within their stated bounds, for any
 * batch size; unlabelled comparisons; and the inputs a stream cannot serve, each with a message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";
import { tableBatches } from "../streaming";
import { type CanarySpec, runCanaryComparison } from "./canary";
import { runStreamedCanaryComparison } from "./streamed-canary";

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine({ threads: 1 });
  // Two model versions on 6 000 rows; the candidate's scores are a little sharper. A third version
  // with a non-binary label must not disturb the comparison of the other two.
  await engine.exec(`CREATE TABLE logs AS SELECT
      CASE WHEN i % 10 = 9 THEN 'v3' WHEN i % 2 = 0 THEN 'v1' ELSE 'v2 "canary"' END AS version,
      CASE WHEN i % 10 = 9 THEN 7 ELSE (hash(i) % 100 < 40)::INTEGER END AS label,
      CASE WHEN i % 97 = 0 THEN NULL
        ELSE least(1.0, greatest(0.0, ((hash(i) % 100 < 40)::INTEGER * (0.25 + (i % 2) * 0.1)
          + ((hash(i, 7) % 1000) / 1000.0) * 0.6))) END AS score
    FROM range(6000) t(i)`);
});
afterAll(() => engine.close());

const SPEC: CanarySpec = {
  source: "logs",
  versionColumn: "version",
  baseline: "v1",
  candidate: 'v2 "canary"',
  label: "label",
  score: "score",
  threshold: 0.45,
};

const open = (size: number) => () => tableBatches(engine.query, "logs", size);

describe("streamed canary comparison", () => {
  it("gives the table's counts and rates, and holds its AUC and KS within the stated bounds", async () => {
    const table = await runCanaryComparison(engine.query, SPEC);
    for (const size of [701, 6000]) {
      const streamed = await runStreamedCanaryComparison(engine.query, SPEC, open(size));
      for (const side of ["baseline", "candidate"] as const) {
        expect(streamed[side].n).toBe(table[side].n);
        const got = streamed[side].metrics;
        const want = table[side].metrics;
        for (const metric of ["accuracy", "precision", "recall", "f1", "positiveRate"] as const) {
          expect(got[metric], `${side} ${metric}`).toBe(want[metric]);
        }
        expect(Math.abs((got.meanScore as number) - (want.meanScore as number))).toBeLessThanOrEqual(1e-14);
        const bound = streamed.errorBounds?.auc?.[side] ?? 0;
        expect(Math.abs((got.auc as number) - (want.auc as number)), `${side} auc`).toBeLessThanOrEqual(bound + 1e-15);
      }
      const ks = streamed.scoreShift.ks as number;
      expect(table.scoreShift.ks as number).toBeGreaterThanOrEqual(ks - 1e-15);
      expect(table.scoreShift.ks as number).toBeLessThanOrEqual(ks + (streamed.errorBounds?.ksAbove ?? 0) + 1e-15);
      expect(streamed.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["dropped-nulls", "no-pairing"]));
      expect(streamed.trace.join("\n")).toMatch(/streamed: every statement ran once per batch/);
    }
  });

  it("compares unlabelled logs by positive rate and mean score", async () => {
    const { label: _, ...unlabelled } = SPEC;
    const table = await runCanaryComparison(engine.query, unlabelled);
    const streamed = await runStreamedCanaryComparison(engine.query, unlabelled, open(500));
    expect(streamed.baseline.metrics.positiveRate).toBe(table.baseline.metrics.positiveRate);
    expect(streamed.candidate.metrics.auc).toBeNull();
    expect(streamed.errorBounds?.auc).toBeUndefined();
    expect(streamed.deltas.find((d) => d.metric === "positiveRate")?.delta).toBe(
      table.deltas.find((d) => d.metric === "positiveRate")?.delta,
    );
  });

  it("refuses what a stream cannot serve, and bad labels in any batch", async () => {
    await expect(
      runStreamedCanaryComparison(engine.query, { ...SPEC, idColumn: "version" }, open(500)),
    ).rejects.toThrow(/pairs rows by "version" across the whole of "logs"/);
    await expect(
      runStreamedCanaryComparison(
        engine.query,
        { baselineSource: "logs", candidateSource: "logs", score: "score" },
        open(500),
      ),
    ).rejects.toThrow(/reads one source split by versionColumn/);
    await expect(runStreamedCanaryComparison(engine.query, { ...SPEC, candidate: "v9" }, open(500))).rejects.toThrow(
      /The candidate side has no rows \(no "version" = "v9" in "logs"\)/,
    );
    await expect(
      runStreamedCanaryComparison(engine.query, { ...SPEC, candidate: "v3" }, open(500)),
    ).rejects.toMatchObject({ problem: "label-not-binary" });
    await expect(runStreamedCanaryComparison(engine.query, { ...SPEC, score: "nope" }, open(500))).rejects.toThrow(
      /Column "nope" does not exist/,
    );
  });
});
