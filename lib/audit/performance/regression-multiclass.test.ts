import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { runMulticlassPerformance } from "./multiclass-performance";
import { runRegressionPerformance } from "./regression-performance";
import multiclass from "./testdata/multiclass.json";
import regression from "./testdata/regression.json";

const TOL = 1e-9;
const close = (a: number | null | undefined, e: number) =>
  expect(Math.abs((a as number) - e)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(e)));

interface Golden<S, E> {
  name: string;
  columns: Record<string, FixtureColumn>;
  spec: S;
  expected: E;
}

describe("regression and multiclass performance against scikit-learn 1.2", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  for (const f of regression as unknown as Golden<
    { target: string; prediction: string },
    { mae: number; rmse: number; r2: number; mape: number; n: number }
  >[]) {
    it(f.name, async () => {
      await createFixtureTable(engine, "reg", f.columns);
      const r = await runRegressionPerformance(engine.query, { source: "reg", ...f.spec });
      expect(r.n).toBe(f.expected.n);
      close(r.mae, f.expected.mae);
      close(r.rmse, f.expected.rmse);
      close(r.r2, f.expected.r2);
      close(r.mape, f.expected.mape);
      expect(r.warnings.map((w) => w.code)).toEqual(["dropped-nulls"]);
    });
  }

  for (const f of multiclass as unknown as Golden<
    { label: string; prediction: string },
    {
      classes: string[];
      accuracy: number;
      macroF1: number;
      weightedF1: number;
      confusion: number[][];
      perClass: { class: string; precision: number; recall: number; f1: number; support: number }[];
    }
  >[]) {
    it(f.name, async () => {
      await createFixtureTable(engine, "mc", f.columns);
      const r = await runMulticlassPerformance(engine.query, { source: "mc", ...f.spec, convention: "sklearn" });
      expect(r.classes).toEqual(f.expected.classes);
      expect(r.confusion).toEqual(f.expected.confusion);
      close(r.accuracy, f.expected.accuracy);
      close(r.macroF1, f.expected.macroF1);
      close(r.weightedF1, f.expected.weightedF1);
      r.perClass.forEach((c, i) => {
        const e = f.expected.perClass[i];
        expect(c.class).toBe(e?.class);
        expect(c.support).toBe(e?.support);
        close(c.precision, e?.precision ?? Number.NaN);
        close(c.recall, e?.recall ?? Number.NaN);
        close(c.f1, e?.f1 ?? Number.NaN);
      });
      const assay = await runMulticlassPerformance(engine.query, { source: "mc", ...f.spec });
      close(assay.macroF1, f.expected.macroF1);
    });
  }

  it("reports an undefined per-class recall as null in the assay convention", async () => {
    const f = (multiclass as unknown as Golden<{ label: string; prediction: string }, unknown>[])[0];
    await createFixtureTable(engine, "mc", f?.columns ?? {});
    const r = await runMulticlassPerformance(engine.query, {
      source: "mc",
      label: "true class",
      prediction: "predicted 'class'",
    });
    const fish = r.perClass.find((c) => c.class === "fish");
    expect(fish?.recall).toBeNull();
    expect(fish?.support).toBe(0);
    expect(r.warnings.some((w) => w.message.includes('"fish" never occurs'))).toBe(true);
  });

  it("follows sklearn for a constant target and rejects NaN", async () => {
    await createFixtureTable(engine, "c", {
      y: { type: "DOUBLE", values: [2, 2, 2] },
      p: { type: "DOUBLE", values: [2, 2, 2] },
      q: { type: "DOUBLE", values: [1, 2, 3] },
      bad: { type: "DOUBLE", values: [1, Number.NaN, 3] },
      s: { type: "VARCHAR", values: ["a", "b", "c"] },
    });
    expect((await runRegressionPerformance(engine.query, { source: "c", target: "y", prediction: "p" })).r2).toBe(1);
    expect((await runRegressionPerformance(engine.query, { source: "c", target: "y", prediction: "q" })).r2).toBe(0);
    await expect(
      runRegressionPerformance(engine.query, { source: "c", target: "bad", prediction: "q" }),
    ).rejects.toMatchObject({
      problem: "non-finite-values",
    });
    await expect(
      runRegressionPerformance(engine.query, { source: "c", target: "s", prediction: "q" }),
    ).rejects.toMatchObject({
      problem: "wrong-type",
    });
  });
});
