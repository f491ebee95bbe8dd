import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { createGoldenTable, readSliceTestdata } from "./testdata/golden";
import { runWorstSlices, type Slice, type WorstSlicesSpec } from "./worst-slices";

const cases = readSliceTestdata("expected.json") as {
  spec: WorstSlicesSpec;
  overall: { value: number; n: number };
  counts: { slices: number; belowSupport: number; undefinedValue: number };
  slices: {
    conditions: [string, string | null][];
    n: number;
    value: number;
    ci: [number, number] | null;
    gap: number;
    significant: boolean;
  }[];
}[];

function close(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

function key(slice: Slice): string {
  return JSON.stringify(
    slice.conditions.map((c) => [
      c.column,
      c.value === null ? null : c.bin !== undefined ? `bin:${c.bin}` : `v:${c.value}`,
    ]),
  );
}

describe("worst slices against a pandas brute force", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await createGoldenTable(engine, "preds");
  });
  afterAll(() => engine.close());

  for (const c of cases) {
    it(`${c.spec.metric ?? "error_rate"} ${JSON.stringify(c.spec)}`, async () => {
      const r = await runWorstSlices(engine.query, { ...c.spec, source: "preds", limit: 100_000 });
      close(r.overall.value, c.overall.value, "overall");
      expect(r.overall.n).toBe(c.overall.n);
      expect(r.counts).toMatchObject(c.counts);
      expect(r.slices).toHaveLength(c.slices.length);
      const byKey = new Map(r.slices.map((s) => [key(s), s]));
      for (const e of c.slices) {
        const k = JSON.stringify(e.conditions);
        const s = byKey.get(k);
        expect(s, k).toBeDefined();
        if (!s) continue;
        expect(s.n, k).toBe(e.n);
        close(s.value, e.value, `${k} value`);
        close(s.gap, e.gap, `${k} gap`);
        if (e.ci === null) expect(s.ci).toBeNull();
        else {
          // Means: the interval uses DuckDB's var_samp vs pandas' var; both are exact to ~1e-15.
          close(s.ci?.lower, e.ci[0], `${k} ci.lower`);
          close(s.ci?.upper, e.ci[1], `${k} ci.upper`);
        }
        expect(s.significant, k).toBe(e.significant);
      }
      for (let i = 1; i < r.slices.length; i++) {
        expect(r.slices[i]?.gap).toBeLessThanOrEqual(r.slices[i - 1]?.gap as number);
      }
    });
  }

  it("reports the worst slice first, with a readable description, and warns about skipped columns", async () => {
    const r = await runWorstSlices(engine.query, { source: "preds", label: "label", score: "score", limit: 3 });
    expect(r.slices).toHaveLength(3);
    expect(r.slices[0]?.description).toMatch(/région = 'EU' ∧ age yrs ∈ \[\d/);
    expect(r.warnings.map((w) => `${w.code}:${w.column ?? ""}`)).toEqual(
      expect.arrayContaining(["high-cardinality:ids", "dropped-rows:"]),
    );
    expect(r.trace.join("\n")).toMatch(/Skipped \(a single value\): "const"/);
  });

  it("reports only the overall value when no column can be sliced", async () => {
    const r = await runWorstSlices(engine.query, {
      source: "preds",
      label: "label",
      score: "score",
      columns: ["const", "ids"],
    });
    expect(r.slices).toEqual([]);
    expect(r.overall.n).toBe(cases[0]?.overall.n);
    expect(r.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["no-candidates", "high-cardinality"]));
  });

  it("skips the kept-rows test once every row is known to be kept, with the same result", async () => {
    const keep = "label IS NOT NULL AND score IS NOT NULL AND NOT isnan(score)";
    await engine.exec(`CREATE OR REPLACE TABLE preds_kept AS SELECT * FROM preds WHERE ${keep}`);
    const logged = (statements: string[]) => async (sql: string) => {
      statements.push(sql);
      return engine.query(sql);
    };
    const [onAll, onKept] = [[], []] as [string[], string[]];
    const spec = { label: "label", score: "score", limit: 100_000, pairColumns: 3 };
    const all = await runWorstSlices(logged(onAll), { ...spec, source: "preds" });
    const kept = await runWorstSlices(logged(onKept), { ...spec, source: "preds_kept" });
    expect(all.warnings.map((w) => w.code)).toContain("dropped-rows");
    expect(kept.warnings.map((w) => w.code)).not.toContain("dropped-rows");
    const strip = (r: typeof all) => ({ overall: r.overall, counts: r.counts, slices: r.slices });
    expect(strip(kept)).toEqual(strip(all));
    const tests = (sql: string) => sql.includes('NOT isnan(CAST("score" AS DOUBLE))');
    // Rows are dropped from preds: every scan after the first tests them; none does on preds_kept.
    const scans = (statements: string[]) => statements.filter((s) => /FROM "preds(_kept)?"/.test(s));
    expect(scans(onAll).filter(tests).length).toBeGreaterThan(3);
    const index = onKept.findIndex(tests);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(onKept.slice(index + 1).filter(tests)).toEqual([]);
  });

  for (const [metric, k] of [
    ["error_rate", 2],
    ["recall", 3],
    ["mean_score", 1],
  ] as const) {
    it(`pairColumns ${k} (${metric}): exactly the pairs among the ${k} columns with the worst single slices`, async () => {
      const base = { source: "preds", label: "label", score: "score", metric, limit: 100_000 };
      const all = await runWorstSlices(engine.query, base);
      // Direct computation: each column's worst ranked single slice, then the k worst (ties by column order).
      const singles = all.slices.filter((s) => s.conditions.length === 1);
      const bestGap = new Map<string, number>();
      for (const s of singles) {
        const c = s.conditions[0]?.column as string;
        bestGap.set(c, Math.max(bestGap.get(c) ?? Number.NEGATIVE_INFINITY, s.gap));
      }
      const pruned = await runWorstSlices(engine.query, { ...base, pairColumns: k });
      const candidates = pruned.trace.join("\n").match(/ranked the (\d+) candidates/);
      expect(candidates, pruned.trace.join("\n")).not.toBeNull();
      const kept = pruned.pairColumns ?? [];
      expect(kept).toHaveLength(k);
      const gapOf = (c: string) => bestGap.get(c) ?? Number.NEGATIVE_INFINITY;
      const worstKept = Math.min(...kept.map(gapOf));
      for (const [c, g] of bestGap) if (!kept.includes(c)) expect(g, c).toBeLessThanOrEqual(worstKept);
      // Same singles; pairs = all pairs restricted to the kept columns.
      const expected = all.slices.filter(
        (s) => s.conditions.length === 1 || s.conditions.every((c) => kept.includes(c.column)),
      );
      expect(pruned.slices.map(key)).toEqual(expected.map(key));
      pruned.slices.forEach((s, i) => {
        close(s.gap, expected[i]?.gap as number, key(s));
        expect(s.n).toBe(expected[i]?.n);
      });
      expect(pruned.overall).toEqual(all.overall);
      expect(pruned.trace.join("\n")).toMatch(/Pruned pair search \(pairColumns \d+\)/);
    });
  }

  it("pairColumns at least the candidate count searches every pair, as the default does", async () => {
    const base = { source: "preds", label: "label", score: "score", limit: 100_000 };
    const all = await runWorstSlices(engine.query, base);
    const wide = await runWorstSlices(engine.query, { ...base, pairColumns: 1000 });
    expect(wide.slices).toEqual(all.slices);
    expect(wide.counts).toEqual(all.counts);
    expect(all.pairColumns).toBeUndefined();
    expect(wide.pairColumns?.length).toBeGreaterThan(1);
  });

  it("rejects bad options and inputs", async () => {
    const base = { source: "preds", label: "label", score: "score" };
    for (const bad of [
      { maxOrder: 3 as 1 },
      { minSupport: 0 },
      { minSupport: 2.5 },
      { numericBins: 1 },
      { limit: 0 },
      { threshold: Number.NaN },
      { metric: "auc" as "accuracy" },
      { columns: ["tier", "tier"] },
      { pairColumns: 0 },
      { pairColumns: -2 },
      { pairColumns: 2.5 },
      { pairColumns: Number.NaN },
    ]) {
      await expect(runWorstSlices(engine.query, { ...base, ...bad })).rejects.toMatchObject({
        problem: "invalid-option",
      });
    }
    await expect(runWorstSlices(engine.query, { source: "preds", label: "label" })).rejects.toMatchObject({
      problem: "invalid-option",
    });
    await expect(
      runWorstSlices(engine.query, { source: "preds", label: "label", prediction: "pred", metric: "log_loss" }),
    ).rejects.toMatchObject({ problem: "invalid-option" });
    await expect(runWorstSlices(engine.query, { ...base, label: "tier" })).rejects.toMatchObject({
      problem: "label-not-binary",
    });
    await expect(runWorstSlices(engine.query, { ...base, columns: ["nope"] })).rejects.toMatchObject({
      problem: "missing-column",
    });
    await createFixtureTable(engine, "empty", {
      label: { type: "INTEGER", values: [] },
      score: { type: "DOUBLE", values: [] },
    });
    await expect(runWorstSlices(engine.query, { ...base, source: "empty" })).rejects.toMatchObject({
      problem: "empty-table",
    });
    await createFixtureTable(engine, "nan_scores", {
      label: { type: "INTEGER", values: [0, 1, 1] },
      score: { type: "DOUBLE", values: [0.2, Number.NaN, 0.7] },
      g: { type: "VARCHAR", values: ["a", "b", "a"] },
    });
    await expect(
      runWorstSlices(engine.query, { ...base, source: "nan_scores", metric: "log_loss" }),
    ).rejects.toMatchObject({ problem: "non-finite-values" });
  });

  it("is invariant to row order and finds no gap when every slice has the same error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            g: fc.constantFrom("a", "b", "c"),
            y: fc.integer({ min: 0, max: 1 }),
            s: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          {
            minLength: 5,
            maxLength: 60,
          },
        ),
        async (rows) => {
          const table = (rs: typeof rows) => ({
            g: { type: "VARCHAR" as const, values: rs.map((r) => r.g) },
            label: { type: "INTEGER" as const, values: rs.map((r) => r.y) },
            score: { type: "DOUBLE" as const, values: rs.map((r) => r.s) },
          });
          await createFixtureTable(engine, "p1", table(rows));
          await createFixtureTable(engine, "p2", table([...rows].reverse()));
          const spec = { label: "label", score: "score", minSupport: 1, limit: 50 };
          const a = await runWorstSlices(engine.query, { ...spec, source: "p1" });
          const b = await runWorstSlices(engine.query, { ...spec, source: "p2" });
          expect(b.slices).toEqual(a.slices);
          // A perfect classifier (prediction = label) has zero error everywhere.
          await createFixtureTable(engine, "p3", {
            ...table(rows),
            pred: { type: "INTEGER", values: rows.map((r) => r.y) },
          });
          const perfect = await runWorstSlices(engine.query, {
            ...spec,
            source: "p3",
            prediction: "pred",
            columns: ["g"],
          });
          for (const s of perfect.slices) expect(s.gap).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("value lists read from the screen's first rows", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    // 12,000 rows: some values (and some NULLs) first appear after the screen's 10,000 rows.
    await engine.exec(`CREATE TABLE late AS SELECT i,
      CAST(hash(i) % 2 AS INTEGER) AS label, CAST(hash(i * 7) % 1000 AS DOUBLE) / 1000 AS score,
      CASE WHEN i >= 11000 AND i % 3 = 0 THEN 'late''s' ELSE ['a', 'b', 'c'][i % 3 + 1] END AS "cat x",
      CASE WHEN i >= 11500 THEN NULL ELSE ['u', 'v'][i % 2 + 1] END AS nul,
      CASE WHEN i >= 10500 AND i % 5 = 0 THEN 9 ELSE i % 2 END AS few,
      CASE WHEN i >= 10500 AND i % 4 = 0 THEN 'w' ELSE 'k' END AS once,
      ['p', 'q', 'r', 's'][(i // 7) % 4 + 1] AS plain,
      ['e', 'f', 'g'][(i // 3) % 3 + 1] AS other,
      CAST(hash(i * 13) % 997 AS DOUBLE) / 10 AS x,
      CAST(hash(i * 17) % 991 AS DOUBLE) / 10 AS z
      FROM range(12000) t(i)`);
  });
  afterAll(() => engine.close());

  const cases: [string[], number, WorstSlicesSpec["metric"]][] = [
    [["cat x", "nul", "few", "once", "plain", "x", "z"], 2, "error_rate"],
    [["nul", "plain", "other", "x", "z"], 2, "recall"],
    [["plain", "other", "x", "z"], 1, "fpr"],
    [["cat x", "plain", "other", "x"], 3, "selection_rate"],
  ];
  for (const [columns, pairColumns, metric] of cases) {
    it(`gives the exact lists' result: ${metric}, pairColumns ${pairColumns}, ${columns.join(", ")}`, async () => {
      const spec = { source: "late", label: "label", score: "score", metric, pairColumns, limit: 1000, columns };
      const got = await runWorstSlices(engine.query, spec);
      const exact = await runWorstSlices(engine.query, spec, { exactLevels: true });
      expect(got).toEqual(exact);
      expect(got.slices.length).toBeGreaterThan(0);
    });
  }
});
