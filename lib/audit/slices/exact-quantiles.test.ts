import type { Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";
import type { QueryFn } from "../../engine/types";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { num, queryRows } from "../rows";
import { quantileCont } from "../stats/order-statistics";
import { exactQuantiles, refinementFilter } from "./exact-quantiles";

/** Deterministic uniform numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    s ^= s >>> 13;
    return (s >>> 0) / 2 ** 32;
  };
}

const ROWS = 4000;
const PROBS = [
  [0.25, 0.5, 0.75],
  [0.2, 0.4, 0.6, 0.8],
  [1 / 3, 2 / 3],
  [0.1, 0.3, 0.7, 0.9, 0.99],
];

describe("exact quantiles from histograms", () => {
  let engine: NodeEngine;
  const columns: Record<string, (number | null)[]> = {};
  beforeAll(async () => {
    engine = await openFixtureEngine();
    const r = rng(7);
    const gen: Record<string, () => number | null> = {
      normal: () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()),
      // Heavy tail: most values near 0, a few huge; forces zoomed histograms.
      heavy: () => Math.exp(12 * r() ** 6) - 1,
      ties: () => Math.round(r() * 6) / 10 + 58,
      awkward: () => {
        const u = r();
        if (u < 0.05) return null;
        if (u < 0.1) return Number.NaN;
        if (u < 0.12) return Number.POSITIVE_INFINITY;
        if (u < 0.14) return Number.NEGATIVE_INFINITY;
        return (r() - 0.5) * 1e-300;
      },
      few: () => (r() < 0.5 ? -2.5 : 7),
      constant: () => 3.25,
      empty: () => (r() < 0.5 ? null : Number.NaN),
      huge: () => (r() - 0.5) * 1.7e308,
    };
    for (const [name, g] of Object.entries(gen)) columns[name] = Array.from({ length: ROWS }, g);
    await createFixtureTable(
      engine,
      "q",
      Object.fromEntries(Object.entries(columns).map(([n, v]) => [n, { type: "DOUBLE" as const, values: v }])),
    );
  });
  afterAll(() => engine.close());

  for (const probs of PROBS) {
    for (const [refineRows, maxLevels] of [
      [4_096, 4],
      [40, 4],
      [5, 2],
    ] as const) {
      it(`matches quantile_cont bit for bit: probs ${probs.map((p) => p.toFixed(3)).join(",")}, refine ≤ ${refineRows}, ${maxLevels} levels`, async () => {
        const names = Object.keys(columns);
        const profile = await queryRows(
          engine.query,
          `SELECT ${names
            .map((n) => {
              const f = `CASE WHEN isfinite("${n}") THEN "${n}" END`;
              const list = probs.map((p) => `CAST(${p.toExponential()} AS DOUBLE)`).join(", ");
              return `count(${f}) AS "c_${n}", min(${f}) AS "lo_${n}", max(${f}) AS "hi_${n}", quantile_cont(${f}, [${list}]) AS "q_${n}"`;
            })
            .join(", ")} FROM q`,
        );
        const row = profile[0] ?? {};
        const spec = {
          source: "q",
          where: "true",
          refineRows,
          maxLevels,
          columns: names.map((n) => ({
            column: n,
            count: num(row[`c_${n}`]) ?? 0,
            min: num(row[`lo_${n}`]) ?? 0,
            max: num(row[`hi_${n}`]) ?? 0,
            probs,
          })),
        };
        const got = await exactQuantiles(engine.query, spec);
        names.forEach((n, i) => {
          const expected = row[`q_${n}`] as (number | null)[] | null;
          const want = expected === null ? probs.map(() => null) : expected.map((v) => num(v));
          expect(got.quantiles[i], n).toEqual(want);
          got.quantiles[i]?.forEach((v, j) => {
            if (v !== null) expect(Object.is(v, want[j]), `${n} q${probs[j]}: ${v} vs ${want[j]}`).toBe(true);
          });
        });
        // Defaults: every column settled by histograms; tiny budgets: the heavy tail falls back.
        if (refineRows === 4_096) expect(got.fallback).toEqual([]);
        if (maxLevels === 2) expect(got.fallback).toContain("heavy");
      });
    }
  }

  it("interpolates as DuckDB does", () => {
    const sorted = [1, 2, 58.4, 58.4, 100];
    expect(quantileCont(5, 0.5, (k) => sorted[k] as number)).toBe(58.4);
    expect(quantileCont(5, 0.6, (k) => sorted[k] as number)).toBe(
      58.4 * (1 - 0.3999999999999999) + 58.4 * 0.3999999999999999,
    );
    expect(quantileCont(1, 0.9, () => 7)).toBe(7);
  });
});

/** Profile (count, min, max of the finite values) and DuckDB's quantile_cont for each column of `table`. */
async function reference(query: QueryFn, table: string, names: readonly string[], probs: readonly number[]) {
  const list = probs.map((p) => `CAST(${p.toExponential()} AS DOUBLE)`).join(", ");
  const [row = {}] = await queryRows(
    query,
    `SELECT ${names
      .map((n) => {
        const f = `CASE WHEN isfinite("${n}") THEN "${n}" END`;
        return `count(${f}) AS "c_${n}", min(${f}) AS "lo_${n}", max(${f}) AS "hi_${n}", quantile_cont(${f}, [${list}]) AS "q_${n}"`;
      })
      .join(", ")} FROM ${table}`,
  );
  const spec = {
    source: table,
    where: "true",
    columns: names.map((n) => ({
      column: n,
      count: num(row[`c_${n}`]) ?? 0,
      min: num(row[`lo_${n}`]) ?? 0,
      max: num(row[`hi_${n}`]) ?? 0,
      probs,
    })),
  };
  const want = names.map((n) => ((row[`q_${n}`] as unknown[] | null) ?? probs.map(() => null)).map((v) => num(v)));
  return { spec, want };
}

// 12 columns × 300k rows: several windows per column and statement, so DuckDB runs the groups
// on both threads. Regression for "rank … not found in refinement" / wrong edges with threads = 2.
describe("exact quantiles with 2 threads on 300k rows", () => {
  let engine: NodeEngine;
  const names = Array.from({ length: 12 }, (_, k) => `c ${k}`);
  beforeAll(async () => {
    engine = await createNodeEngine({ threads: 2 });
    // Deterministic pseudo-random values: sums of hashed uniforms (bell-shaped), scaled per column.
    const u = (i: string, k: number, j: number) => `(hash(${i} * 97 + ${k * 7 + j}) % 1000003) / 1000003.0`;
    const cols = names.map(
      (n, k) => `(${u("i", k, 0)} + ${u("i", k, 1)} + ${u("i", k, 2)} - 1.5) * ${k + 1} AS "${n}"`,
    );
    await engine.exec(`CREATE TABLE big AS SELECT i, ${cols.join(", ")} FROM range(300000) t(i)`);
    await engine.exec("CREATE VIEW big_even AS SELECT * FROM big WHERE i % 2 = 0");
    await engine.exec("CREATE VIEW big_odd AS SELECT * FROM big WHERE i % 2 = 1");
  }, 30_000);
  afterAll(() => engine.close());

  it("matches quantile_cont bit for bit on every repeat", async () => {
    const { spec, want } = await reference(engine.query, "big", names, [0.25, 0.5, 0.75]);
    for (let repeat = 0; repeat < 2; repeat++) {
      const got = await exactQuantiles(engine.query, spec);
      expect(got.fallback).toEqual([]);
      names.forEach((n, i) => {
        got.quantiles[i]?.forEach((v, j) => {
          expect(Object.is(v, want[i]?.[j]), `${n} q${j}, repeat ${repeat}: ${v} vs ${want[i]?.[j]}`).toBe(true);
        });
      });
    }
  }, 30_000);

  // The failure was intermittent (DuckDB returned one GROUP BY key in two rows, each aggregating
  // part of the group, ~1 statement in 30), so this forces it: every histogram statement runs on
  // two halves of the rows and both results come back, as a split group would. The refinement has
  // no GROUP BY (one global sort per column), so it runs whole.
  it("gives the same quantiles when every group comes back in two partial rows", async () => {
    const { spec, want } = await reference(engine.query, "big", names, [0.1, 0.5, 0.9]);
    const split: QueryFn = async (sql) => {
      if (!sql.includes("GROUP BY")) return engine.query(sql);
      const [a, b] = await Promise.all(
        ["big_even", "big_odd"].map((half) => engine.query(sql.replaceAll('"big"', `"${half}"`))),
      );
      return (a as Table).concat(b as Table);
    };
    const got = await exactQuantiles(split, { ...spec, source: "big" });
    expect(got.fallback).toEqual([]);
    names.forEach((n, i) => {
      got.quantiles[i]?.forEach((v, j) => {
        expect(Object.is(v, want[i]?.[j]), `${n} q${j}: ${v} vs ${want[i]?.[j]}`).toBe(true);
      });
    });
  }, 30_000);
});

describe("refinement filter", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(() => engine.close());

  const selected = async (where: string) =>
    (
      await queryRows(engine.query, `SELECT x FROM (SELECT unnest(range(0, 15)) / 2 AS x) WHERE ${where} ORDER BY x`)
    ).map((r) => num(r.x));

  it("tests the windows' hull before the windows, and keeps exactly the rows inside a window", async () => {
    const windows = [
      { col: 0, a: 5, b: 6 },
      { col: 0, a: 1, b: 2 },
      { col: 0, a: 3, b: 3.5 },
    ];
    const where = refinementFilter(windows);
    const hull = refinementFilter([{ col: 0, a: 1, b: 6 }]);
    expect(where.startsWith(`${hull} AND (`), where).toBe(true);
    expect(await selected(where)).toEqual([1, 1.5, 2, 3, 3.5, 5, 5.5, 6]);
  });

  it("is the single range test for one window", async () => {
    const where = refinementFilter([{ col: 0, a: 2.5, b: 4 }]);
    expect(where).not.toContain(" OR ");
    expect(await selected(where)).toEqual([2.5, 3, 3.5, 4]);
  });
});
