import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { type FairnessAttributeResult, type FairnessSpec, runFairness } from "./fairness";
import { RATE_NAMES } from "./group-rates";
import golden from "./testdata/fairness.json";

const TOL = 1e-9;

function close(actual: unknown, expected: unknown, what: string): void {
  if (expected === null || expected === undefined) {
    expect(actual, what).toBeNull();
    return;
  }
  if (typeof expected === "number") {
    expect(typeof actual, what).toBe("number");
    expect(Math.abs((actual as number) - expected), what).toBeLessThanOrEqual(TOL * Math.max(1, Math.abs(expected)));
    return;
  }
  if (typeof expected === "object") {
    expect(actual, what).not.toBeNull();
    for (const [k, v] of Object.entries(expected as object))
      close((actual as Record<string, unknown>)[k], v, `${what}.${k}`);
    return;
  }
  expect(actual, what).toEqual(expected);
}

interface Golden {
  tables: Record<string, Record<string, FixtureColumn>>;
  fixtures: { name: string; table: string; spec: Omit<FairnessSpec, "source">; expected: FairnessAttributeResult[] }[];
}

const data = golden as unknown as Golden;

describe("fairness against Fairlearn's and Aequitas' definitions", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    for (const [name, columns] of Object.entries(data.tables)) await createFixtureTable(engine, name, columns);
  });
  afterAll(() => engine.close());

  for (const fixture of data.fixtures) {
    it(fixture.name, async () => {
      const r = await runFairness(engine.query, { source: fixture.table, ...fixture.spec });
      expect(r.attributes.map((a) => a.attribute)).toEqual(fixture.expected.map((a) => a.attribute));
      for (const [i, e] of fixture.expected.entries()) {
        const a = r.attributes[i] as FairnessAttributeResult;
        expect(a.groups.map((g) => g.group)).toEqual(e.groups.map((g) => g.group));
        for (const [j, eg] of e.groups.entries()) {
          const g = a.groups[j];
          for (const [k, v] of Object.entries(eg))
            close((g as unknown as Record<string, unknown>)[k], v, `${a.attribute}/${eg.group}/${k}`);
        }
        for (const key of [
          "demographicParityDifference",
          "demographicParityRatio",
          "equalizedOddsDifference",
          "equalizedOddsRatio",
          "equalOpportunityDifference",
          "equalOpportunityRatio",
          "referenceGroup",
        ] as const) {
          close(a[key], e[key], `${a.attribute}/${key}`);
        }
        expect(a.disparities.length).toBe(e.disparities.length);
        for (const ed of e.disparities) {
          const d = a.disparities.find((x) => x.group === ed.group && x.metric === ed.metric);
          close(d?.ratio, ed.ratio, `${a.attribute}/${ed.group}/${ed.metric}`);
          expect(d?.fourFifthsPass).toBe(ed.fourFifthsPass);
        }
      }
      const smallWarnings = r.warnings.filter((w) => w.code === "small-group").length;
      expect(smallWarnings).toBe(fixture.expected.flatMap((a) => a.groups).filter((g) => g.small).length);
    });
  }

  it("warns about undefined rates in the assay convention and gives 0 in the fairlearn one", async () => {
    const fixture = data.fixtures[0] as Golden["fixtures"][number];
    const assay = await runFairness(engine.query, {
      source: "main",
      ...fixture.spec,
      attributes: ['race "ethnicity"'],
      convention: "assay",
    });
    expect(assay.warnings.some((w) => w.code === "undefined-rate" && w.message.includes("Pacific Islander: TPR"))).toBe(
      true,
    );
    const pacific = assay.attributes[0]?.groups.find((g) => g.group === "Pacific Islander");
    expect(pacific?.tpr).toBeNull();
    expect(pacific?.tprCi).toBeNull();
    expect(pacific?.positives).toBe(0);
    const fl = await runFairness(engine.query, {
      source: "main",
      ...fixture.spec,
      attributes: ['race "ethnicity"'],
      convention: "fairlearn",
    });
    expect(fl.attributes[0]?.groups.find((g) => g.group === "Pacific Islander")?.tpr).toBe(0);
  });

  it("computes every attribute and intersection with one metric query", async () => {
    const seen: string[] = [];
    const counting = (sql: string) => {
      seen.push(sql);
      return engine.query(sql);
    };
    const fixture = data.fixtures[0] as Golden["fixtures"][number];
    await runFairness(counting, { source: "main", ...fixture.spec });
    // DESCRIBE, label check, score check, then the single GROUPING SETS statement.
    expect(seen.length).toBe(4);
    expect(seen.filter((s) => s.includes("GROUPING SETS")).length).toBe(1);
  });

  it("falls back to the largest group when a shared reference is missing, and accepts a map", async () => {
    const base = { source: "main", label: "outcome", score: "score 'p'", attributes: ["sex", 'race "ethnicity"'] };
    const shared = await runFairness(engine.query, { ...base, referenceGroup: "F" });
    expect(shared.attributes.map((a) => a.referenceGroup)).toEqual(["F", "White"]);
    expect(shared.warnings.map((w) => w.code)).toContain("reference-not-found");
    const mapped = await runFairness(engine.query, { ...base, referenceGroup: { 'race "ethnicity"': "Asian" } });
    expect(mapped.attributes.map((a) => a.referenceGroup)).toEqual(["M", "Asian"]);
    expect(mapped.attributes[1]?.trace.parameters.referenceRule).toBe("given");
  });

  it("uses a named reference group", async () => {
    const r = await runFairness(engine.query, {
      source: "main",
      label: "outcome",
      score: "score 'p'",
      attributes: ["sex"],
      referenceGroup: "F",
    });
    expect(r.attributes[0]?.referenceGroup).toBe("F");
    const dpM = r.attributes[0]?.disparities.find((d) => d.group === "M" && d.metric === "selectionRate");
    const groups = r.attributes[0]?.groups ?? [];
    const rate = (name: string) => groups.find((g) => g.group === name)?.selectionRate ?? Number.NaN;
    expect(dpM?.ratio).toBeCloseTo(rate("M") / rate("F"), 12);
  });
});

describe("fairness input errors", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await createFixtureTable(engine, "t", {
      y: { type: "INTEGER", values: [0, 1, 0, 1] },
      s: { type: "DOUBLE", values: [0.2, 0.7, 0.4, 0.9] },
      one: { type: "VARCHAR", values: ["x", "x", "x", "x"] },
      two: { type: "VARCHAR", values: ["a", "b", "a", "b"] },
    });
  });
  afterAll(() => engine.close());

  it("rejects a single-group attribute", async () => {
    await expect(
      runFairness(engine.query, { source: "t", label: "y", score: "s", attributes: ["one"] }),
    ).rejects.toMatchObject({
      problem: "single-group",
      column: "one",
    });
  });
  it("rejects bad options", async () => {
    const q = engine.query;
    const base = { source: "t", label: "y", score: "s" };
    await expect(runFairness(q, { ...base, attributes: [] })).rejects.toMatchObject({ problem: "invalid-option" });
    await expect(runFairness(q, { ...base, attributes: ["two", "two"] })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(runFairness(q, { source: "t", label: "y", attributes: ["two"] })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(runFairness(q, { ...base, attributes: ["two"], minGroupSize: 0 })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(runFairness(q, { ...base, attributes: ["two"], referenceGroup: "zz" })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(runFairness(q, { ...base, attributes: ["two"], convention: "x" as "assay" })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(runFairness(q, { ...base, attributes: ["nope"] })).rejects.toMatchObject({
      problem: "missing-column",
    });
  });
});

describe("fairness properties", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  it("rates lie in [0, 1] inside their intervals, ratios ≤ 1, and row order does not matter", async () => {
    const rows = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 10 }), fc.constantFrom("a", "b", "c", null)),
      {
        minLength: 4,
        maxLength: 60,
      },
    );
    await fc.assert(
      fc.asyncProperty(rows, async (data) => {
        const groups = new Set(data.map(([, , g]) => g));
        fc.pre(groups.size >= 2);
        const cols = (order: number[]) => ({
          y: { type: "INTEGER" as const, values: order.map((i) => data[i]?.[0] ?? 0) },
          s: { type: "DOUBLE" as const, values: order.map((i) => (data[i]?.[1] ?? 0) / 10) },
          g: { type: "VARCHAR" as const, values: order.map((i) => data[i]?.[2] ?? null) },
        });
        const idx = data.map((_, i) => i);
        await createFixtureTable(engine, "a", cols(idx));
        await createFixtureTable(engine, "b", cols([...idx].reverse()));
        const spec = { label: "y", score: "s", attributes: ["g"] };
        const a = await runFairness(engine.query, { source: "a", ...spec });
        const b = await runFairness(engine.query, { source: "b", ...spec });
        const attr = a.attributes[0] as FairnessAttributeResult;
        for (const g of attr.groups) {
          for (const rate of RATE_NAMES) {
            const v = g[rate];
            const ci = g[`${rate}Ci`];
            if (v === null) continue;
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            expect(ci?.lower).toBeLessThanOrEqual(v + 1e-12);
            expect(ci?.upper).toBeGreaterThanOrEqual(v - 1e-12);
          }
        }
        for (const r of [attr.demographicParityRatio, attr.equalizedOddsRatio, attr.equalOpportunityRatio]) {
          if (r !== null) expect(r).toBeLessThanOrEqual(1);
        }
        expect(JSON.stringify(b.attributes[0]?.groups)).toBe(JSON.stringify(attr.groups));
      }),
      { numRuns: 30 },
    );
  });
});
