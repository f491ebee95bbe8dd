import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { AuditInputError } from "../errors";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { runDrift } from "./run-drift";

let engine: NodeEngine;
const R = Array.from({ length: 100 }, (_, i) => i / 10);

beforeAll(async () => {
  engine = await openFixtureEngine();
  await createFixtureTable(engine, "ref", {
    x: { type: "DOUBLE", values: R },
    g: { type: "VARCHAR", values: R.map((_, i) => (i < 50 ? "a" : i < 80 ? "b" : "c")) },
  });
  await createFixtureTable(engine, "cur", {
    x: { type: "DOUBLE", values: R.map((v) => v + 1) },
    g: { type: "VARCHAR", values: R.map((_, i) => (i < 40 ? "a" : i < 70 ? "b" : "c")) },
  });
});
afterAll(async () => {
  await engine.close();
});

describe("worked values of docs/metrics.md (R = 0.0 … 9.9, C = R + 1)", () => {
  it("default convention", async () => {
    const res = await runDrift(engine.query, { reference: "ref", current: "cur" });
    const [x, g] = res.columns;
    expect(x?.ks?.statistic).toBeCloseTo(0.1, 12);
    expect(x?.ks?.pValue).toBeCloseTo(0.70206, 5);
    expect(x?.wasserstein).toBeCloseTo(0.34643, 5);
    expect(x?.wassersteinRaw).toBeCloseTo(1, 12);
    expect(x?.method).toBe("ks");
    expect(x?.trace.some((t) => t.startsWith("test: n_ref = 100 ≤ 1 000, numeric with 110 distinct values"))).toBe(
      true,
    );
    expect(g?.jensenShannon).toBeCloseTo(0.1062, 5);
    expect(g?.chiSquare?.pValue).toBeCloseTo(0.21107, 5);
    expect(g?.drifted).toBe(false);
  });

  it("evidently: PSI (Sturges, 9 bins) 0.29327, JS base e 0.18355, goodness of fit p 0.03020", async () => {
    const res = await runDrift(engine.query, { reference: "ref", current: "cur", convention: "evidently" });
    const [x, g] = res.columns;
    expect(x?.psi).toBeCloseTo(0.29327, 5);
    expect(x?.bins.psi.scheme).toBe("sturges");
    expect(x?.bins.psi.labels).toHaveLength(9);
    expect(x?.jensenShannon).toBeCloseTo(0.18355, 5);
    expect(g?.jensenShannon).toBeCloseTo(0.08842, 5);
    expect(g?.chiSquare?.pValue).toBeCloseTo(0.0302, 5);
    expect(g?.drifted).toBe(true);
  });

  it("nannyml: JS (Doane, 8 bins, base 2, out-of-range bin) 0.27259", async () => {
    const res = await runDrift(engine.query, { reference: "ref", current: "cur", convention: "nannyml" });
    const x = res.columns[0];
    expect(x?.jensenShannon).toBeCloseTo(0.27259, 5);
    expect(x?.bins.jensenShannon.scheme).toBe("doane");
    expect(x?.bins.jensenShannon.edges).toHaveLength(9);
    expect(x?.bins.jensenShannon.labels.at(-1)).toBe("(outside reference range)");
    expect(x?.bins.jensenShannon.current.at(-1)).toBe(10);
  });

  it("alibi: asymptotic KS p 0.66231, Bonferroni threshold, any-column dataset verdict", async () => {
    const res = await runDrift(engine.query, { reference: "ref", current: "cur", convention: "alibi" });
    const x = res.columns[0];
    expect(x?.pValue).toBeCloseTo(0.66231, 5);
    expect(x?.threshold).toBe(0.025);
    expect(res.trace.at(-1)).toContain("any drifted column");
  });

  it("ksMode asymp switches the p-value and says so", async () => {
    const res = await runDrift(engine.query, { reference: "ref", current: "cur", ksMode: "asymp" });
    expect(res.columns[0]?.ks?.pValue).toBeCloseTo(0.66231, 5);
    expect(res.columns[0]?.trace.some((t) => t.includes("requested asymp"))).toBe(true);
  });

  it("datasetDriftShare sets the dataset verdict", async () => {
    const strict = await runDrift(engine.query, {
      reference: "ref",
      current: "cur",
      convention: "evidently",
      datasetDriftShare: 0.05,
    });
    expect(strict.shareDrifted).toBe(0.5);
    expect(strict.datasetDrift).toBe(true);
    const lenient = await runDrift(engine.query, {
      reference: "ref",
      current: "cur",
      convention: "evidently",
      datasetDriftShare: 0.75,
    });
    expect(lenient.datasetDrift).toBe(false);
  });

  it("forcing a numeric column to categorical compares values", async () => {
    const res = await runDrift(engine.query, { reference: "ref", current: "cur", columns: ["x"], categorical: ["x"] });
    expect(res.columns[0]?.kind).toBe("categorical");
    expect(res.columns[0]?.bins.psi.labels).toHaveLength(110);
    expect(res.columns[0]?.ks).toBeNull();
  });
});

describe("awkward data", () => {
  it("quotes names, drops null/NaN/±Inf and reports the counts, handles unseen categories", async () => {
    await createFixtureTable(engine, 'r "ef"', {
      'sc "ore"': { type: "DOUBLE", values: [1, 2, 3, Number.NaN, null, Infinity, 4, 5] },
      größe: { type: "VARCHAR", values: ["a", "a", "b", null, "b", "it's", "a", "b"] },
      select: { type: "BIGINT", values: [1, 1, 1, 1, 1, 1, 1, 1] },
    });
    await createFixtureTable(engine, "c ur", {
      'sc "ore"': { type: "DOUBLE", values: [1, 2, -Infinity, 3, 9] },
      größe: { type: "VARCHAR", values: ["a", "new", "b", "b", null] },
      select: { type: "BIGINT", values: [1, 1, 1, 1, 1] },
    });
    const res = await runDrift(engine.query, { reference: 'r "ef"', current: "c ur" });
    const [score, size, constant] = res.columns;
    expect([score?.nReference, score?.droppedReference, score?.nCurrent, score?.droppedCurrent]).toEqual([5, 3, 4, 1]);
    expect(size?.bins.psi.labels).toEqual(["a", "b", "it's", "new"]);
    expect(size?.bins.psi.reference).toEqual([3, 3, 1, 0]);
    expect(size?.droppedCurrent).toBe(1);
    expect(constant?.method).toBe("z-test");
    expect(constant?.pValue).toBe(1);
    expect(constant?.psi).toBe(0);
    expect(constant?.ks?.statistic).toBe(0);
    expect(constant?.wasserstein).toBe(0);
  });

  it("skips a column with no finite values on one side, with a warning", async () => {
    await createFixtureTable(engine, "r2", {
      a: { type: "DOUBLE", values: [1, 2, 3] },
      b: { type: "DOUBLE", values: [1, 2, 3] },
    });
    await createFixtureTable(engine, "c2", {
      a: { type: "DOUBLE", values: [Number.NaN, null, null] },
      b: { type: "DOUBLE", values: [1, 2, 3] },
    });
    const res = await runDrift(engine.query, { reference: "r2", current: "c2" });
    expect(res.columns.map((c) => c.column)).toEqual(["b"]);
    expect(res.warnings.map((w) => [w.code, w.column])).toEqual([["column-all-null", "a"]]);
  });

  it("values near the largest double: the same statistics as the data scaled down by 2^700", async () => {
    // DuckDB's stddev_pop of "huge" overflows ("STDDEV_POP is out of range!"); scan 1 reruns with
    // its moments scaled. Every statistic but the raw W1 is scale-free, and scaling by a power of
    // two is exact, so the result must equal the scaled copy's, whose moments are plain (~1e97).
    const side = (k: number) =>
      Array.from({ length: 300 }, (_, i) => ((i % 2 ? 1 : -1) * 1.7e308 * (((i * 7 + k) % 13) + 1)) / 14);
    const down = (v: number[]) => v.map((x) => x / 2 ** 700);
    const [r, c] = [side(0), side(5)];
    await createFixtureTable(engine, "huge_r", {
      huge: { type: "DOUBLE", values: r },
      small: { type: "DOUBLE", values: down(r) },
    });
    await createFixtureTable(engine, "huge_c", {
      huge: { type: "DOUBLE", values: c },
      small: { type: "DOUBLE", values: down(c) },
    });
    const res = await runDrift(engine.query, { reference: "huge_r", current: "huge_c" });
    const [huge, small] = res.columns;
    expect(huge?.column).toBe("huge");
    for (const key of ["statistic", "pValue", "psi", "jensenShannon", "wasserstein"] as const) {
      expect(huge?.[key], key).toBeCloseTo(small?.[key] as number, 12);
    }
    expect(huge?.ks?.statistic).toBe(small?.ks?.statistic);
    expect(
      Math.abs((huge?.wassersteinRaw as number) / ((small?.wassersteinRaw as number) * 2 ** 700) - 1),
    ).toBeLessThan(1e-12);
    expect(res.trace.some((t) => t.includes("2^−600") && t.includes('"huge"') && !t.includes('"small"'))).toBe(true);
  });
});

describe("bad input", () => {
  const expectProblem = async (promise: Promise<unknown>, problem: string, column?: string) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuditInputError);
    expect((error as AuditInputError).problem).toBe(problem);
    if (column !== undefined) expect((error as AuditInputError).column).toBe(column);
  };

  it("rejects unknown options", async () => {
    await expectProblem(
      runDrift(engine.query, { reference: "ref", current: "cur", convention: "foo" as "assay" }),
      "invalid-option",
    );
    await expectProblem(
      runDrift(engine.query, { reference: "ref", current: "cur", ksMode: "fast" as "auto" }),
      "invalid-option",
    );
    await expectProblem(
      runDrift(engine.query, { reference: "ref", current: "cur", datasetDriftShare: 0 }),
      "invalid-option",
    );
    await expectProblem(
      runDrift(engine.query, { reference: "ref", current: "cur", columns: ["x", "x"] }),
      "invalid-option",
    );
    await expectProblem(
      runDrift(engine.query, { reference: "ref", current: "cur", columns: ["x"], categorical: ["g"] }),
      "invalid-option",
      "g",
    );
  });

  it("names a missing column", async () => {
    await expectProblem(
      runDrift(engine.query, { reference: "ref", current: "cur", columns: ["X"] }),
      "missing-column",
      "X",
    );
  });

  it("rejects empty tables", async () => {
    await createFixtureTable(engine, "empty", { x: { type: "DOUBLE", values: [] } });
    await expectProblem(runDrift(engine.query, { reference: "empty", current: "cur" }), "empty-table");
  });

  it("rejects a column typed differently on the two sides, and an explicit date column", async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE typed AS SELECT CAST(x AS VARCHAR) AS x, DATE '2024-01-01' AS d FROM ref`,
    );
    await engine.exec(`CREATE OR REPLACE TABLE typed2 AS SELECT x, DATE '2024-01-02' AS d FROM cur`);
    await expectProblem(
      runDrift(engine.query, { reference: "typed", current: "typed2", columns: ["x"] }),
      "wrong-type",
      "x",
    );
    await expectProblem(
      runDrift(engine.query, { reference: "typed", current: "typed2", columns: ["d"] }),
      "wrong-type",
      "d",
    );
  });

  it("skips an unsupported column with a warning when columns are not named", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE dated AS SELECT x, DATE '2024-01-01' AS d FROM ref`);
    await engine.exec(`CREATE OR REPLACE TABLE dated2 AS SELECT x, DATE '2024-01-02' AS d FROM cur`);
    const res = await runDrift(engine.query, { reference: "dated", current: "dated2" });
    expect(res.columns.map((c) => c.column)).toEqual(["x"]);
    expect(res.warnings[0]?.code).toBe("column-skipped");
  });

  it("fails when no column has values on both sides", async () => {
    await createFixtureTable(engine, "nulls", { a: { type: "DOUBLE", values: [null, Number.NaN] } });
    await expectProblem(runDrift(engine.query, { reference: "nulls", current: "nulls" }), "all-null");
  });
});

describe("properties on DuckDB", () => {
  const sample = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true })), {
    minLength: 1,
    maxLength: 40,
  });

  it("a table against itself: PSI, JS, D and W are 0 and nothing drifts", async () => {
    await fc.assert(
      fc.asyncProperty(sample, async (xs) => {
        await createFixtureTable(engine, "p_self", {
          v: { type: "DOUBLE", values: xs },
          k: { type: "VARCHAR", values: xs.map((x) => String(Math.round(x) % 3)) },
        });
        for (const convention of ["assay", "evidently", "nannyml", "alibi"] as const) {
          const res = await runDrift(engine.query, { reference: "p_self", current: "p_self", convention });
          for (const c of res.columns) {
            expect(c.psi).toBe(0);
            expect(c.jensenShannon).toBe(0);
            expect(c.drifted).toBe(false);
            if (c.kind === "numeric") {
              expect(c.ks?.statistic).toBe(0);
              expect(c.wassersteinRaw).toBe(0);
            }
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it("D in [0, 1], JS symmetric, and row order does not matter", async () => {
    await fc.assert(
      fc.asyncProperty(sample, sample, fc.integer(), async (a, b, seed) => {
        const shuffled = [...b].sort((x, y) => ((x * 7919 + seed) % 13) - ((y * 7919 + seed) % 13));
        await createFixtureTable(engine, "p_a", { v: { type: "DOUBLE", values: a } });
        await createFixtureTable(engine, "p_b", { v: { type: "DOUBLE", values: b } });
        await createFixtureTable(engine, "p_b2", { v: { type: "DOUBLE", values: shuffled } });
        const ab = (await runDrift(engine.query, { reference: "p_a", current: "p_b", convention: "evidently" }))
          .columns[0];
        const ba = (await runDrift(engine.query, { reference: "p_b", current: "p_a", convention: "evidently" }))
          .columns[0];
        const ab2 = (await runDrift(engine.query, { reference: "p_a", current: "p_b2", convention: "evidently" }))
          .columns[0];
        const d = ab?.ks?.statistic ?? Number.NaN;
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        // Evidently's Sturges bins span R ∪ C, the same either way round.
        expect(Math.abs((ab?.jensenShannon ?? 0) - (ba?.jensenShannon ?? 1))).toBeLessThan(1e-12);
        expect(Math.abs((ab?.wassersteinRaw ?? 0) - (ba?.wassersteinRaw ?? 1))).toBeLessThan(
          1e-9 * (1 + (ab?.wassersteinRaw ?? 0)),
        );
        expect(ab2?.ks).toEqual(ab?.ks);
        expect(ab2?.psi).toBe(ab?.psi);
        expect(Math.abs((ab2?.wassersteinRaw ?? 0) - (ab?.wassersteinRaw ?? 1))).toBeLessThanOrEqual(
          1e-12 * (1 + (ab?.wassersteinRaw ?? 0)),
        );
      }),
      { numRuns: 15 },
    );
  });
});
