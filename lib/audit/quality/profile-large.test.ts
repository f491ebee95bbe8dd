import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { openFixtureEngine } from "../testing/fixture-engine";
import { type ColumnProfile, runQualityProfile } from "./profile";
import { distinctEstimate, planHistogram, QUANTILE_BINS } from "./profile-large";

/**
 * The large-input path (rows > exactUpTo) against the exact path on 300 000 deterministic rows:
 * exact statistics must agree, estimates must lie within their stated bounds.
 */
const N = 300_000;
// u(i, s): a deterministic uniform in [0, 1) from DuckDB's hash of (i, s).
const u = (s: number) => `(hash(i, ${s}) % 1000000007) / 1000000007.0`;

describe("quality profile above the size limit", () => {
  let engine: NodeEngine;
  let exact: ColumnProfile[];
  let approx: ColumnProfile[];
  let approxWarnings: string[];
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await engine.exec(`CREATE TABLE big AS SELECT
      sqrt(-2 * ln(${u(1)} + 1e-12)) * cos(2 * pi() * ${u(2)}) AS "normal x",
      CASE WHEN i % 997 = 0 THEN 'nan'::DOUBLE WHEN i % 1999 = 0 THEN 'inf'::DOUBLE WHEN i % 2003 = 0 THEN NULL
           ELSE exp(3 * ${u(3)}) ^ 4 END AS "heavy 'tail'",
      CAST(floor(${u(4)} * 40) AS INTEGER) AS small_int,
      CAST(floor(${u(5)} * 1e6) AS BIGINT) AS wide_int,
      round(${u(6)} * 100, 1) AS rounded,
      CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2026-01-01' + to_seconds(CAST(floor(${u(7)} * 1e7) AS BIGINT)) END AS ts,
      CASE WHEN i % 3 = 0 THEN 'a' WHEN i % 3 = 1 THEN 'b' ELSE NULL END AS cat,
      42.0 AS const,
      CASE WHEN i % 7 = 0 THEN NULL ELSE CAST(floor(${u(8)} * 300) AS SMALLINT) - 100 END AS "nullable small",
      CAST(7 AS TINYINT) AS const_int,
      CAST(NULL AS INTEGER) AS null_int
      FROM range(${N}) t(i)`);
    exact = (await runQualityProfile(engine.query, { source: "big", exactUpTo: Number.POSITIVE_INFINITY })).columns;
    const large = await runQualityProfile(engine.query, { source: "big" });
    approx = large.columns;
    approxWarnings = large.warnings.map((w) => w.code);
  }, 20_000);
  afterAll(() => engine.close());

  it("keeps every exact statistic and bounds every estimate", () => {
    expect(approx.map((c) => c.column)).toEqual(exact.map((c) => c.column));
    exact.forEach((e, k) => {
      const a = approx[k] as ColumnProfile;
      const what = e.column;
      for (const key of ["nullCount", "nanCount", "posInfCount", "negInfCount", "min", "max", "topValues"] as const) {
        expect(a[key], `${what}.${key}`).toEqual(e[key]);
      }
      // Narrow integer columns take mean and std from their exact bins, not from avg/stddev_samp.
      for (const key of ["mean", "std"] as const) {
        if (e[key] === null) expect(a[key], `${what}.${key}`).toBeNull();
        else
          expect(Math.abs((a[key] as number) - (e[key] as number)), `${what}.${key}`).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(e[key] as number)),
          );
      }
      if (a.distinctApproximate) {
        const [low, high] = a.distinctInterval ?? [0, 0];
        expect(e.distinctCount, `${what}.distinct in interval`).toBeGreaterThanOrEqual(low);
        expect(e.distinctCount, `${what}.distinct in interval`).toBeLessThanOrEqual(high);
        expect(Math.abs(a.distinctCount - e.distinctCount) / e.distinctCount).toBeLessThan(0.05);
      } else {
        expect(a.distinctCount, `${what}.distinct`).toBe(e.distinctCount);
      }
      if (e.quantiles === null) {
        expect(a.quantiles).toBeNull();
        return;
      }
      for (const [q, v] of Object.entries(e.quantiles)) {
        const got = a.quantiles?.[q as "p50"] as number;
        const tolerance = a.quantilesApproximate ? a.quantileBound : 1e-9 * Math.max(1, Math.abs(v as number));
        expect(Math.abs(got - (v as number)), `${what}.${q}: ${got} vs ${v}`).toBeLessThanOrEqual(tolerance);
      }
    });
  });

  it("says which statistics are estimates", () => {
    const by = Object.fromEntries(approx.map((c) => [c.column, c]));
    expect(by["normal x"]).toMatchObject({ distinctApproximate: true, quantilesApproximate: true });
    expect(by["normal x"]?.quantileBound).toBeGreaterThan(0);
    expect(by.ts).toMatchObject({ distinctApproximate: true, quantiles: null });
    // Small cardinalities are recounted exactly; integer ranges < 4096 give exact quantiles.
    expect(by.small_int).toMatchObject({ distinctApproximate: false, quantilesApproximate: false, quantileBound: 0 });
    expect(by["nullable small"]).toMatchObject({ distinctApproximate: false, quantilesApproximate: false });
    expect(by["nullable small"]?.nullCount).toBeGreaterThan(40_000);
    expect(by.const_int).toMatchObject({ distinctCount: 1, mean: 7, std: 0, nullCount: 0 });
    expect(by.null_int).toMatchObject({ nullCount: N, mean: null, std: null, quantiles: { p50: null } });
    expect(by.rounded).toMatchObject({ distinctApproximate: false, distinctCount: exact[4]?.distinctCount });
    expect(by.const).toMatchObject({ distinctCount: 1, quantilesApproximate: false });
    expect(by.cat).toMatchObject({ distinctCount: 2, distinctApproximate: false });
    expect(approxWarnings).toContain("approximate-statistics");
    expect(approxWarnings).toContain("constant");
  });

  it("is not confused by columns named like the generated SQL's aliases", async () => {
    await engine.exec(`CREATE TABLE clash AS SELECT
      ${u(9)} * 10 AS x,
      CASE WHEN i % 499 = 0 THEN 'nan'::DOUBLE ELSE ${u(10)} END AS n,
      CAST(i % 13 AS INTEGER) AS b,
      CASE WHEN i % 4 = 0 THEN NULL ELSE ['p', 'q', 'r'][1 + i % 3] END AS k,
      CAST(i % 7 AS UTINYINT) AS "value",
      ['s', 't'][1 + i % 2] AS "role"
      FROM range(150000) t(i)`);
    const large = (await runQualityProfile(engine.query, { source: "clash" })).columns;
    const full = (await runQualityProfile(engine.query, { source: "clash", exactUpTo: Number.POSITIVE_INFINITY }))
      .columns;
    const by = Object.fromEntries(large.map((c) => [c.column, c]));
    const exactBy = Object.fromEntries(full.map((c) => [c.column, c]));
    expect(by.n).toMatchObject({ nanCount: 301, min: exactBy.n?.min, max: exactBy.n?.max });
    expect(by.b).toMatchObject({ distinctCount: 13, quantiles: exactBy.b?.quantiles, quantileBound: 0 });
    expect(by.value).toMatchObject({ distinctCount: 7, quantiles: exactBy.value?.quantiles });
    expect(by.k).toMatchObject({ nullCount: 37500, distinctCount: 3, min: "p", max: "r" });
    expect(by.role).toMatchObject({ nullCount: 0, distinctCount: 2, topValues: exactBy.role?.topValues });
    expect(by.x?.nullCount).toBe(0);
  });

  it("falls back to exact quantiles when the range overflows a histogram", async () => {
    await engine.exec(
      `CREATE TABLE huge AS SELECT CASE WHEN i % 2 = 0 THEN -1e308 ELSE 1e308 END * ${u(8)} AS x FROM range(200000) t(i)`,
    );
    const [a] = (await runQualityProfile(engine.query, { source: "huge" })).columns;
    const [e] = (await runQualityProfile(engine.query, { source: "huge", exactUpTo: Number.POSITIVE_INFINITY }))
      .columns;
    expect(a?.quantilesApproximate).toBe(false);
    expect(a?.quantiles).toEqual(e?.quantiles);
  });
});

describe("distinct estimate and histogram plan", () => {
  it("gives an interval around X / p that narrows relatively as X grows", () => {
    const small = distinctEstimate(4096);
    const large = distinctEstimate(62_500);
    expect(small.estimate).toBe(4096 * 16);
    expect(small.low).toBeLessThan(small.estimate);
    expect(small.high).toBeGreaterThan(small.estimate);
    const width = (e: typeof small) => (e.high - e.low) / e.estimate;
    expect(width(large)).toBeLessThan(width(small));
    expect(width(large)).toBeLessThan(0.06);
  });

  it("uses one bin per integer for narrow integer ranges, and refuses an overflowing range", () => {
    expect(planHistogram({ column: { name: "x", type: "INTEGER" }, min: -5, max: 10 })).toMatchObject({
      exactBins: true,
      bins: 16,
    });
    expect(planHistogram({ column: { name: "x", type: "INTEGER" }, min: 0, max: 10_000 })).toMatchObject({
      exactBins: false,
      bins: QUANTILE_BINS,
    });
    expect(planHistogram({ column: { name: "x", type: "DOUBLE" }, min: -1e308, max: 1e308 })).toBeNull();
  });
});
