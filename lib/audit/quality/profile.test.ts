import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { queryRows } from "../rows";
import { compileQualityProfile, PROFILE_QUANTILES, runQualityProfile } from "./profile";
import { compileCategoricalSummary, decodeCategoricalSummary, planCategoricalGroups } from "./profile-categorical";

type Json = number | string | boolean | null;
interface ColumnJson {
  type: FixtureColumn["type"];
  values: Json[];
}

function decode(v: Json): Json {
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return v;
}

function fixtureColumns(columns: Record<string, ColumnJson>): Record<string, FixtureColumn> {
  return Object.fromEntries(
    Object.entries(columns).map(([name, c]) => [name, { type: c.type, values: c.values.map(decode) } as FixtureColumn]),
  );
}

/** Relative tolerance 1e-9 (absolute near zero). */
function expectClose(actual: unknown, expected: unknown, what: string): void {
  if (expected === null || typeof expected !== "number") {
    expect(actual, what).toEqual(expected);
    return;
  }
  expect(typeof actual, what).toBe("number");
  const a = actual as number;
  expect(Math.abs(a - expected), `${what}: ${a} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

const golden = JSON.parse(readFileSync(new URL("./testdata/profile.json", import.meta.url), "utf8")) as {
  rows: number;
  columns: Record<string, ColumnJson>;
  expected: Record<string, Record<string, unknown>>;
};

describe("quality profile", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await createFixtureTable(engine, "profile fixture", fixtureColumns(golden.columns));
    await createFixtureTable(engine, "empty", { x: { type: "DOUBLE", values: [] } });
  });
  afterAll(() => engine.close());

  it("matches pandas on every column (counts, moments, quantiles, top values)", async () => {
    const result = await runQualityProfile(engine.query, { source: "profile fixture" });
    expect(result.rows).toBe(golden.rows);
    expect(result.columns.map((c) => c.column)).toEqual(Object.keys(golden.columns));
    for (const profile of result.columns) {
      const e = golden.expected[profile.column] as Record<string, unknown>;
      for (const key of ["nullCount", "nanCount", "posInfCount", "negInfCount", "distinctCount", "type"]) {
        expect(profile[key as keyof typeof profile], `${profile.column}.${key}`).toEqual(e[key]);
      }
      for (const key of ["nullRate", "min", "max", "mean", "std"]) {
        expectClose(profile[key as keyof typeof profile], e[key], `${profile.column}.${key}`);
      }
      const eq = e.quantiles as Record<string, number | null> | null;
      if (eq === null) expect(profile.quantiles).toBeNull();
      else
        for (const [q, v] of Object.entries(eq))
          expectClose(profile.quantiles?.[q as "p50"], v, `${profile.column}.${q}`);
      expect(profile.topValues, `${profile.column}.topValues`).toEqual(e.topValues);
    }
  });

  it("warns about all-null, constant and non-finite columns", async () => {
    const result = await runQualityProfile(engine.query, { source: "profile fixture" });
    const codes = result.warnings.map((w) => `${w.code}:${w.column}`);
    expect(codes).toContain("all-null:all null");
    expect(codes).toContain("constant:const");
    expect(codes).toContain("non-finite-values:x normal");
    expect(codes).not.toContain("constant:all null");
  });

  it("profiles a chosen subset in the given order, in one scan", async () => {
    const result = await runQualityProfile(engine.query, { source: "profile fixture", columns: ["flag", "größe"] });
    expect(result.columns.map((c) => c.column)).toEqual(["flag", "größe"]);
    const sql = compileQualityProfile("profile fixture", [{ name: 'a "b"', type: "DOUBLE" }]);
    expect(sql.match(/"profile fixture"/g)).toHaveLength(1);
    expect(sql).not.toContain("FILTER");
    expect(sql).toContain('"a ""b"""');
  });

  it("profiles temporal, decimal, float, list and struct columns", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE kinds AS SELECT * FROM (VALUES
      (TIMESTAMP '2026-01-02 03:04:05', DATE '2026-01-02', 1.25::DECIMAL(6,2), 'inf'::FLOAT, [1, 2], {'a': 1}),
      (TIMESTAMP '2025-12-31 00:00:00', NULL, 2.75::DECIMAL(6,2), 1.5::FLOAT, [1, 2], {'a': 2}),
      (NULL, DATE '2024-05-06', NULL, 'nan'::FLOAT, NULL, NULL)
    ) t("when", "day", "amount", "f", "list", "struct")`);
    const r = await runQualityProfile(engine.query, { source: "kinds" });
    const by = Object.fromEntries(r.columns.map((c) => [c.column, c]));
    expect(by.when).toMatchObject({ kind: "temporal", nullCount: 1, distinctCount: 2, min: "2025-12-31 00:00:00" });
    expect(by.day).toMatchObject({ kind: "temporal", min: "2024-05-06", max: "2026-01-02", quantiles: null });
    expect(by.amount).toMatchObject({ kind: "numeric", mean: 2 });
    expect(by.amount?.std).toBeCloseTo(1.5 / Math.SQRT2, 12);
    expect(by.f).toMatchObject({ posInfCount: 1, nanCount: 1, min: 1.5, max: 1.5, std: null });
    expect(by.list).toMatchObject({ kind: "other", nullCount: 1, distinctCount: 1, min: null, topValues: null });
    expect(by.struct).toMatchObject({ kind: "other", distinctCount: 2 });
  });

  it("gives the same categorical summary whichever columns share a GROUP BY", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE cats AS SELECT
      CASE WHEN i % 5 = 0 THEN NULL ELSE ['b', 'a', 'c'][1 + i % 3] END AS "x",
      i % 4 = 0 AS "n",
      CAST(['lo', 'mid', 'hi'][1 + i % 3] AS ENUM ('lo', 'mid', 'hi')) AS "k e",
      CAST(i % 17 AS VARCHAR) AS "value"
      FROM range(500) t(i)`);
    const columns = [
      { name: "x", type: "VARCHAR" },
      { name: "n", type: "BOOLEAN" },
      { name: "k e", type: "ENUM('lo', 'mid', 'hi')" },
      { name: "value", type: "VARCHAR" },
    ];
    const summary = async (groups?: number[][]) =>
      decodeCategoricalSummary(
        columns,
        await queryRows(engine.query, compileCategoricalSummary("cats", columns, 3, groups)),
      );
    const alone = await summary();
    expect(alone[0]).toMatchObject({ nullCount: 100, distinctCount: 3, min: "a", max: "c" });
    expect(alone[2]).toMatchObject({ min: "lo", max: "hi" }); // ENUM order, not text order
    expect(await summary([[0, 1, 2], [3]])).toEqual(alone);
    for (const name of ["_g0", "_j0", "_G1"]) {
      await engine.exec(`CREATE OR REPLACE TABLE "${name}" AS FROM cats`);
      const rows = await queryRows(engine.query, compileCategoricalSummary(name, columns, 3, [[0, 1], [2], [3]]));
      expect(decodeCategoricalSummary(columns, rows), name).toEqual(alone);
    }
    expect(
      await summary([
        [3, 0],
        [2, 1],
      ]),
    ).toEqual(alone);
    expect(planCategoricalGroups([2, 3, 1_000_000, 40, 17, 5000])).toEqual([[0, 1, 4], [3], [5], [2]]);
  });

  /** What scan 1 computed for every numeric/temporal column before the exact path split it up. */
  async function reference(source: string, column: string): Promise<{ distinct: number; q: number[] | null }> {
    const c = `"${column.replaceAll('"', '""')}"`;
    const [type] = await queryRows(engine.query, `SELECT typeof(${c}) AS t FROM "${source}" LIMIT 1`);
    const numeric = !/TIME|DATE/.test(String(type?.t));
    const qs = Object.values(PROFILE_QUANTILES).join(", ");
    const sql = numeric
      ? `SELECT count(DISTINCT ${c}) AS d, quantile_cont(CASE WHEN isfinite(CAST(${c} AS DOUBLE)) THEN CAST(${c} AS DOUBLE) END, [${qs}]) AS q FROM "${source}"`
      : `SELECT count(DISTINCT ${c}) AS d, NULL AS q FROM "${source}"`;
    const [row] = await queryRows(engine.query, sql);
    return { distinct: Number(row?.d), q: Array.isArray(row?.q) ? (row.q as number[]) : null };
  }

  async function expectLikeCountDistinct(source: string): Promise<void> {
    const result = await runQualityProfile(engine.query, { source });
    for (const p of result.columns) {
      if (p.kind !== "numeric" && p.kind !== "temporal") continue;
      const r = await reference(source, p.column);
      expect(p.distinctCount, `${source}.${p.column} distinct`).toBe(r.distinct);
      expect(p.distinctApproximate).toBe(false);
      if (p.kind === "numeric") {
        // Bit-identical, not within a tolerance: exact bins reproduce quantile_cont's arithmetic.
        // −0 and +0 compare equal: quantile_cont returns either, as its selection happens to order them.
        const zero = (x: number | null) => (x === 0 ? 0 : x);
        const q = (r.q ?? Object.keys(PROFILE_QUANTILES).map(() => null)).map(zero);
        expect(Object.values(p.quantiles ?? {}).map(zero), `${source}.${p.column} quantiles`).toEqual(q);
        expect(p.quantilesApproximate).toBe(false);
        expect(p.quantileBound).toBe(0);
      }
    }
  }

  it("exact path: distinct counts and quantiles equal count(DISTINCT x) and quantile_cont, bit for bit", async () => {
    await engine.exec(`CREATE OR REPLACE TABLE "exact kinds" AS SELECT
      CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 37) % 23 - 11 END::INTEGER AS "small ""int""",
      ((i * 7919) % 5000)::BIGINT AS "wide int",
      (i % 3)::UTINYINT AS "ü8",
      CASE WHEN i % 2 = 0 THEN -(i % 4000) ELSE 4095 END::SMALLINT AS "edge",
      NULL::INTEGER AS "all null int",
      (2 ** 52)::BIGINT - (i % 5) AS "near 2^52",
      (i % 9)::HUGEINT AS "huge",
      CASE i % 6 WHEN 0 THEN 'nan'::DOUBLE WHEN 1 THEN '-0.0'::DOUBLE WHEN 2 THEN 0.0 WHEN 3 THEN 'inf'::DOUBLE
        WHEN 4 THEN NULL ELSE '-inf'::DOUBLE END AS "odd doubles",
      (i % 10) / 4 AS "d",
      (i % 3)::DECIMAL(6,2) AS "dec",
      TIMESTAMP '2026-01-01' + INTERVAL (i % 50) HOUR AS "when",
      CASE WHEN i % 97 = 0 THEN 'nan'::DOUBLE WHEN i % 89 = 0 THEN NULL WHEN i % 83 = 0 THEN '-inf'::DOUBLE
        ELSE ((hash(i) >> 11)::DOUBLE / 9007199254740992.0 - 0.5) * 1e3 END AS "spread dbl",
      round(((hash(i, 2) >> 11)::DOUBLE / 9007199254740992.0) * 40, 1)::FLOAT AS "rounded float",
      CASE WHEN i % 2 = 0 THEN 0.0 ELSE '5e-324'::DOUBLE END AS "tiny range",
      CASE WHEN i % 10 = 0 THEN 1e6 ELSE (i % 7)::DOUBLE END AS "outliers",
      (i * 12345678901234)::BIGINT - 5000000000000000 AS "big int"
      FROM range(997) t(i)`);
    await expectLikeCountDistinct("exact kinds");
    await engine.exec(
      `CREATE OR REPLACE TABLE "one row" AS SELECT 5::INTEGER AS "i", NULL::BIGINT AS "n", 'nan'::DOUBLE AS "x"`,
    );
    await expectLikeCountDistinct("one row");
    await engine.exec(
      `CREATE OR REPLACE TABLE "one null" AS SELECT NULL::INTEGER AS "i", 1.5::DOUBLE AS "x" FROM range(3)`,
    );
    await expectLikeCountDistinct("one null");
  });

  it("exact path: narrow integer columns take distinct counts and quantiles from one bin per value, the rest count(DISTINCT x) apart from scan 1", async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE "bins" AS SELECT (i % 30)::INTEGER AS "a b", ((i * 7919) % 50000)::BIGINT AS "wide" FROM range(2000) t(i)`,
    );
    const sqls: string[] = [];
    const result = await runQualityProfile(
      async (sql) => {
        sqls.push(sql);
        return engine.query(sql);
      },
      { source: "bins" },
    );
    const scan1 = sqls.find((s) => s.includes('"n_rows"')) ?? "";
    expect(scan1).not.toContain('count(DISTINCT "v0")');
    expect(scan1).not.toContain('quantile_cont("f0"');
    expect(scan1).not.toContain('count(DISTINCT "v1")');
    expect(scan1).toContain('quantile_cont("f1"'); // "wide": range ≥ 4096, quantile_cont in scan 1
    expect(sqls.some((s) => s.includes('count(DISTINCT "wide")'))).toBe(true);
    expect(result.columns[0]).toMatchObject({ distinctCount: 30, quantilesApproximate: false, quantileBound: 0 });
    expect(result.trace.some((t) => t.includes("one bin per value"))).toBe(true);
  });

  it("large path: narrow integer columns' quantiles equal quantile_cont bit for bit", async () => {
    // Skewed counts so that many quantiles fall between two values (d ∉ {0, 1}), where
    // lo + d·(hi − lo) and DuckDB's lo·(1 − d) + hi·d can differ in the last bit.
    await engine.exec(
      `CREATE OR REPLACE TABLE "skewed ints" AS SELECT CAST(floor(sqrt(i) * 37) AS INTEGER) % 1650 AS "v" FROM range(997) t(i)`,
    );
    const result = await runQualityProfile(engine.query, { source: "skewed ints", exactUpTo: 10 });
    const names = Object.keys(PROFILE_QUANTILES) as (keyof typeof PROFILE_QUANTILES)[];
    const [row] = await queryRows(
      engine.query,
      `SELECT quantile_cont(CAST("v" AS DOUBLE), [${names.map((q) => PROFILE_QUANTILES[q]).join(", ")}]) AS q FROM "skewed ints"`,
    );
    const expected = row?.q as number[];
    expect(result.columns[0]).toMatchObject({ quantilesApproximate: false, quantileBound: 0 });
    names.forEach((q, i) => {
      expect(
        Object.is(result.columns[0]?.quantiles?.[q], expected[i]),
        `${q}: ${result.columns[0]?.quantiles?.[q]} vs ${expected[i]}`,
      ).toBe(true);
    });
  });

  it("exact path: random integer columns give count(DISTINCT x) and quantile_cont exactly", async () => {
    // Wide ranges give lo ≠ hi at every rank; narrow ones many ties (lo = hi with ⌊RN⌋ ≠ ⌈RN⌉).
    const column = fc
      .integer({ min: 1, max: 3000 })
      .chain((range) =>
        fc.array(
          fc.oneof(
            { weight: 8, arbitrary: fc.integer({ min: -range, max: range }) },
            { weight: 1, arbitrary: fc.constant(null) },
          ),
          { minLength: 1, maxLength: 60 },
        ),
      );
    await fc.assert(
      fc.asyncProperty(column, async (values) => {
        await createFixtureTable(engine, "prop int", { v: { type: "INTEGER", values } });
        await expectLikeCountDistinct("prop int");
      }),
      { numRuns: 60 },
    );
  });

  it("exact path: random double columns (NaN, ±Inf, ±0, NULL, ties) give count(DISTINCT x) and quantile_cont exactly", async () => {
    const special = fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0);
    const column = fc
      .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 20, max: 400 }))
      .chain(([scale, length]) =>
        fc.array(
          fc.oneof(
            { weight: 12, arbitrary: fc.double({ min: -(10 ** scale), max: 10 ** scale, noNaN: true }) },
            { weight: 4, arbitrary: fc.integer({ min: -20, max: 20 }).map((v) => v / 4) },
            { weight: 1, arbitrary: special },
          ),
          { minLength: 1, maxLength: length },
        ),
      );
    await fc.assert(
      fc.asyncProperty(column, async (values) => {
        await createFixtureTable(engine, "prop dbl", { "v ü": { type: "DOUBLE", values } });
        await expectLikeCountDistinct("prop dbl");
      }),
      { numRuns: 60 },
    );
  });

  it("profiles values near the largest double: mean and std rerun scaled, other columns untouched", async () => {
    // stddev_samp of these overflows inside DuckDB ("STDDEV_SAMP is out of range!"), and avg's sum
    // passes 1.8e308; the profile reruns scan 1 with only "huge" scaled by 2^−600.
    const huge = [1.7e308, -1.7e308, 1e308, 0, 5e307, Number.NaN, null];
    const small = [1, 2, 3, 4, 5, 6, 7];
    await createFixtureTable(engine, "huge values", {
      "huge x": { type: "DOUBLE", values: huge },
      small: { type: "DOUBLE", values: small },
    });
    // Expected by two passes in JS over the finite values at 2^−520 scale, where neither the sum
    // nor the squares overflow (scaling by a power of two is exact).
    const scale = 2 ** 520;
    const finite = [1.7e308, -1.7e308, 1e308, 0, 5e307].map((v) => v / scale);
    const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
    const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (finite.length - 1));
    for (const exactUpTo of [100_000, 3]) {
      const r = await runQualityProfile(engine.query, { source: "huge values", exactUpTo });
      const [x, y] = r.columns;
      expect(Math.abs((x?.mean as number) / (mean * scale) - 1), `mean, exactUpTo ${exactUpTo}`).toBeLessThan(1e-12);
      expect(Math.abs((x?.std as number) / (std * scale) - 1), `std, exactUpTo ${exactUpTo}`).toBeLessThan(1e-12);
      expect(x?.nanCount).toBe(1);
      expect(x?.max).toBe(1.7e308);
      expect(y?.mean).toBe(4);
      expect(y?.std).toBeCloseTo(Math.sqrt(28 / 6), 14);
      expect(r.trace.some((t) => t.includes("2^−600") && t.includes('"huge x"') && !t.includes('"small"'))).toBe(true);
    }
    const plain = await runQualityProfile(engine.query, { source: "huge values", columns: ["small"] });
    expect(plain.trace.some((t) => t.includes("2^−600"))).toBe(false);
  });

  it("rejects an empty table and a missing column", async () => {
    await expect(runQualityProfile(engine.query, { source: "empty" })).rejects.toMatchObject({
      problem: "empty-table",
    });
    await expect(
      runQualityProfile(engine.query, { source: "profile fixture", columns: ["nope"] }),
    ).rejects.toMatchObject({ problem: "missing-column", column: "nope" });
  });

  it("keeps invariants on random data: min ≤ quantiles ≤ max, counts add up, order does not matter", async () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 40 }), async (values) => {
        await createFixtureTable(engine, "prop", { v: { type: "DOUBLE", values } });
        await createFixtureTable(engine, "prop_rev", { v: { type: "DOUBLE", values: [...values].reverse() } });
        const [p] = (await runQualityProfile(engine.query, { source: "prop" })).columns;
        const [r] = (await runQualityProfile(engine.query, { source: "prop_rev" })).columns;
        if (!p || !r) throw new Error("no profile");
        const finite = values.filter((v): v is number => v !== null && Number.isFinite(v)).length;
        expect(p.nullCount + p.nanCount + p.posInfCount + p.negInfCount + finite).toBe(values.length);
        if (finite > 0) {
          const qs = Object.values(p.quantiles ?? {}) as number[];
          for (let i = 1; i < qs.length; i++) expect(qs[i]).toBeGreaterThanOrEqual(qs[i - 1] as number);
          expect(qs[0]).toBeGreaterThanOrEqual(p.min as number);
          expect(qs[qs.length - 1]).toBeLessThanOrEqual(p.max as number);
        }
        expect(r.distinctCount).toBe(p.distinctCount);
        expect(r.quantiles).toEqual(p.quantiles);
        expect(r.min).toEqual(p.min);
      }),
      { numRuns: 40 },
    );
  });
});
