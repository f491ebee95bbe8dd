import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { type CalibrationSpec, runCalibration } from "./calibration";
import { edgeBinExpression } from "./calibration-sql";
import type { ReliabilityBin } from "./reliability";
import golden from "./testdata/calibration.json";

const TOL = 1e-9;

function close(actual: number | null | undefined, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
}

interface Table {
  ece: number;
  mce: number;
  brier: number;
  count: number;
  bins: ReliabilityBin[];
  edges?: number[];
}

interface Golden {
  name: string;
  columns: Record<string, FixtureColumn>;
  spec: Omit<CalibrationSpec, "source">;
  expected: Table & { groups?: (Table & { group: string })[] };
  groupExpected?: Record<string, Table>;
}

function sameTable(actual: Omit<Table, "count"> & { count?: number; n?: number }, expected: Table): void {
  close(actual.ece, expected.ece);
  close(actual.mce, expected.mce);
  close(actual.brier, expected.brier);
  expect(actual.bins.map((b) => b.count)).toEqual(expected.bins.map((b) => b.count));
  actual.bins.forEach((b, i) => {
    const e = expected.bins[i] as ReliabilityBin;
    close(b.meanScore, e.meanScore);
    close(b.fractionPositive, e.fractionPositive);
    close(b.lower, e.lower);
    close(b.upper, e.upper);
  });
}

describe("calibration against scikit-learn 1.2 and NannyML's definitions", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  for (const fixture of golden as unknown as Golden[]) {
    it(fixture.name, async () => {
      await createFixtureTable(engine, "cal", fixture.columns);
      const r = await runCalibration(engine.query, { source: "cal", ...fixture.spec });
      sameTable(r, fixture.expected);
      expect(r.n).toBe(fixture.expected.count);
      if (fixture.expected.edges) {
        expect(r.trace.parameters.edges).toEqual(fixture.expected.edges);
      }
      for (const eg of fixture.expected.groups ?? []) {
        const g = r.groups?.find((x) => x.group === eg.group);
        expect(g, eg.group).toBeDefined();
        sameTable({ ...g!, ece: g?.ece ?? Number.NaN, mce: g?.mce ?? Number.NaN }, eg);
        expect(g?.count).toBe(eg.count);
      }
      if (fixture.expected.groups)
        expect(r.groups?.map((g) => g.group)).toEqual(fixture.expected.groups.map((g) => g.group));
      if (fixture.groupExpected) {
        const grouped = await runCalibration(engine.query, { source: "cal", ...fixture.spec, groupBy: "g" });
        for (const [name, eg] of Object.entries(fixture.groupExpected)) {
          const g = grouped.groups?.find((x) => x.group === name);
          sameTable({ ...g!, ece: g?.ece ?? Number.NaN, mce: g?.mce ?? Number.NaN }, eg);
        }
        const tiny = grouped.groups?.find((x) => x.group === "tiny");
        expect(tiny?.ece).toBeNull();
        expect(grouped.warnings.map((w) => w.code)).toContain("group-too-small");
      }
    });
  }

  it("reproduces the worked values of docs/metrics.md", async () => {
    await createFixtureTable(engine, "w", {
      y: { type: "INTEGER", values: [0, 0, 1, 0, 1, 1, 1, 1, 0, 0] },
      p: { type: "DOUBLE", values: [0.05, 0.15, 0.35, 0.45, 0.55, 0.65, 0.85, 0.95, 0.5, 0.1] },
    });
    const r = await runCalibration(engine.query, { source: "w", label: "y", score: "p" });
    close(r.ece, 0.29);
    close(r.mce, 0.65);
    close(r.brier, 0.126);
  });

  it("drops and counts rows with a null label or score", async () => {
    await createFixtureTable(engine, "nulls", {
      y: { type: "INTEGER", values: [0, 1, null, 1] },
      p: { type: "DOUBLE", values: [0.2, 0.8, 0.5, null] },
    });
    const r = await runCalibration(engine.query, { source: "nulls", label: "y", score: "p" });
    expect(r.n).toBe(2);
    expect(r.warnings).toEqual([
      { code: "dropped-nulls", message: "2 rows with a null label or score were left out." },
    ]);
  });

  it("rejects bad input", async () => {
    await createFixtureTable(engine, "bad", {
      y: { type: "INTEGER", values: [0, 1, 2] },
      ok: { type: "INTEGER", values: [0, 1, 1] },
      p: { type: "DOUBLE", values: [0.2, 1.5, 0.3] },
      q: { type: "DOUBLE", values: [0.2, 0.5, 0.3] },
    });
    const q = engine.query;
    await expect(runCalibration(q, { source: "bad", label: "y", score: "q" })).rejects.toMatchObject({
      problem: "label-not-binary",
    });
    await expect(runCalibration(q, { source: "bad", label: "ok", score: "p" })).rejects.toMatchObject({
      problem: "score-out-of-range",
    });
    await expect(runCalibration(q, { source: "bad", label: "ok", score: "q", bins: 0 })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(
      runCalibration(q, { source: "bad", label: "ok", score: "q", strategy: "nope" as "uniform" }),
    ).rejects.toMatchObject({ problem: "invalid-option" });
    await expect(
      runCalibration(q, { source: "bad", label: "ok", score: "q", strategy: "nannyml" }),
    ).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(runCalibration(q, { source: "bad", label: "ok", score: "q", groupBy: "zz" })).rejects.toMatchObject({
      problem: "missing-column",
    });
  });
});

describe("calibration properties", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  it("ECE ≤ MCE ≤ 1, bins cover every row, and row order does not matter", async () => {
    const rows = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 100 })), {
      minLength: 6,
      maxLength: 80,
    });
    const strategy = fc.constantFrom("uniform" as const, "quantile" as const, "nannyml" as const);
    await fc.assert(
      fc.asyncProperty(rows, strategy, fc.integer({ min: 1, max: 12 }), async (data, strat, bins) => {
        const y = data.map(([v]) => v);
        const p = data.map(([, k]) => k / 100);
        await createFixtureTable(engine, "a", { y: { type: "INTEGER", values: y }, p: { type: "DOUBLE", values: p } });
        await createFixtureTable(engine, "b", {
          y: { type: "INTEGER", values: [...y].reverse() },
          p: { type: "DOUBLE", values: [...p].reverse() },
        });
        const nannymlBins = strat === "nannyml" ? Math.max(bins, 2) : bins;
        const a = await runCalibration(engine.query, {
          source: "a",
          label: "y",
          score: "p",
          strategy: strat,
          bins: nannymlBins,
        });
        const b = await runCalibration(engine.query, {
          source: "b",
          label: "y",
          score: "p",
          strategy: strat,
          bins: nannymlBins,
        });
        expect(a.ece).toBeLessThanOrEqual(a.mce + 1e-12);
        expect(a.mce).toBeLessThanOrEqual(1);
        expect(a.bins.reduce((acc, x) => acc + x.count, 0)).toBe(data.length);
        expect(b.ece).toBeCloseTo(a.ece, 12);
        expect(b.bins.map((x) => x.count)).toEqual(a.bins.map((x) => x.count));
      }),
      { numRuns: 40 },
    );
  });
});

describe("edge bins", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  it("the sum-of-comparisons form equals sklearn's first-edge rule (ties, values on edges)", async () => {
    const grid = fc.integer({ min: 0, max: 20 }).map((v) => v / 20);
    await fc.assert(
      fc.asyncProperty(
        fc.array(grid, { minLength: 2, maxLength: 8 }),
        fc.array(grid, { minLength: 1, maxLength: 30 }),
        async (rawEdges, values) => {
          const edges = [...rawEdges].sort((a, b) => a - b);
          const sql = edgeBinExpression(edges, "v");
          const [row] = (
            await engine.query(
              `SELECT list(${sql} ORDER BY i) AS bins FROM (SELECT unnest([${values.join(", ")}]::DOUBLE[]) AS v, generate_subscripts([${values.join(", ")}], 1) AS i)`,
            )
          ).toArray() as { bins: { toArray: () => ArrayLike<number> } }[];
          const inner = edges.slice(1, -1);
          const expected = values.map((v) => {
            const k = inner.findIndex((e) => v <= e);
            return k === -1 ? inner.length : k;
          });
          expect(Array.from(row?.bins.toArray() ?? [], Number)).toEqual(expected);
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });
});
