/**
 * Streamed profiles against the table path: every exact number must equal runDrift's on the whole
 * tables, and every approximate one must hold runDrift's exact value inside its stated bounds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";
import type { QueryFn } from "../../engine/types";
import { openWasmEngine, type WasmEngine } from "../../provenance/testing/wasm-engine";
import { quoteIdentifier } from "../../sql/identifiers";
import { runDrift } from "../drift/run-drift";
import type { DriftColumnResult } from "../drift/types";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { gridBinOf } from "./grid";
import { parseStreamedProfile, profileStream, type StreamedNumericColumn, type StreamedProfile } from "./profile";
import { streamedDrift } from "./streamed-drift";
import { qualityFromStreamedProfile } from "./streamed-quality";
import { operationalFromStreamedProfile } from "./streamed-operational";
import { runQualityProfile } from "../quality";
import { tableBatches } from "./table-batches";

const ROWS = 30_000;
/** Uniform (0, 1) from hash only, so both engines make the same data. */
const u = (k: number) => `((hash(i, ${k}, side) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
const bell = (k: number) => `(${u(k)} + ${u(k + 1)} + ${u(k + 2)} + ${u(k + 3)} - 2)`;

function table(name: string, side: number): string {
  return `CREATE OR REPLACE TABLE ${name} AS SELECT
      ${bell(1)} + side * 0.05 AS "f ä",
      1 / (${u(10)} - 0.5) AS "heavy ""q""",
      CASE WHEN ${u(11)} < 0.02 THEN NULL WHEN ${u(11)} < 0.03 THEN 'nan'::DOUBLE WHEN ${u(11)} < 0.035 THEN 'inf'::DOUBLE
        ELSE ${u(12)} * ${u(12)} / (1.01 - ${u(13)}) END AS skewed,
      floor(${u(14)} * (30 + side * 3))::INTEGER AS small_int,
      floor(${u(15)} * 5000)::INTEGER * 7 - 9000 AS wide_int,
      (${u(16)} < 0.3 + side * 0.02)::INTEGER AS flag,
      CASE WHEN ${u(17)} < 0.5 THEN 0.0 ELSE -${u(18)} * 100 END AS zeros_and_negatives,
      1000 + ${bell(20)} * 10 + side * 0.6 AS narrow,
      ['a', 'b', 'c', 'ü "x"'][1 + floor(${u(21)} * (4 - side))::INTEGER] AS cat,
      CASE WHEN ${u(22)} < 0.1 THEN NULL ELSE 'k' || floor(${u(23)} * 50)::INTEGER END AS "with nulls",
      floor(${u(24)} * 40)::${side === 0 ? "INTEGER" : "DOUBLE"} AS mixed_whole,
      ${side === 0 ? `floor(${u(25)} * 40)::INTEGER` : `floor(${u(25)} * 80) / 2`} AS mixed_half
    FROM (SELECT range AS i, ${side} AS side FROM range(${ROWS}))`;
}

let native: NodeEngine;
let wasm: WasmEngine;
let wasmQuery: QueryFn;
let exact: Map<string, DriftColumnResult>;
let reference: StreamedProfile;
let current: StreamedProfile;

async function profileOf(query: QueryFn, name: string, batchRows: number) {
  return (await profileStream(query, await tableBatches(query, name, batchRows))).profile;
}

beforeAll(async () => {
  native = await createNodeEngine();
  wasm = await openWasmEngine();
  wasmQuery = async (sql) => wasm.query(sql);
  for (const [name, side] of [
    ["ref", 0],
    ["cur", 1],
  ] as const) {
    await native.exec(table(name, side));
    wasm.query(table(name, side));
  }
  exact = new Map(
    (await runDrift(native.query, { reference: "ref", current: "cur" })).columns.map((c) => [c.column, c]),
  );
  reference = await profileOf(native.query, "ref", 4096);
  current = await profileOf(native.query, "cur", 7000);
});
afterAll(async () => {
  await native.close();
  wasm.close();
});

const numericNames = [
  "f ä",
  'heavy "q"',
  "skewed",
  "small_int",
  "wide_int",
  "flag",
  "zeros_and_negatives",
  "narrow",
  "mixed_whole",
  "mixed_half",
];

describe("streamed profiles", () => {
  it("count every row, null, NaN and infinity once, whatever the batch size", async () => {
    const one = await profileOf(native.query, "ref", ROWS);
    expect(one.batches).toBe(1);
    expect(reference.batches).toBe(Math.ceil(ROWS / 4096));
    expect(reference.rows).toBe(ROWS);
    const [truth] = await queryRows(
      native.query,
      `SELECT count(*) FILTER (WHERE skewed IS NULL) AS nulls, count(*) FILTER (WHERE isnan(skewed)) AS nan,
         count(*) FILTER (WHERE skewed = 'inf'::DOUBLE) AS inf, min(skewed) FILTER (WHERE isfinite(skewed)) AS lo,
         var_pop(skewed) FILTER (WHERE isfinite(skewed)) AS var, avg(skewed) FILTER (WHERE isfinite(skewed)) AS mean FROM ref`,
    );
    const skewed = reference.columns.find((c) => c.column === "skewed") as StreamedNumericColumn;
    expect([skewed.nulls, skewed.nan, skewed.posInf, skewed.negInf]).toEqual([
      num(truth?.nulls),
      num(truth?.nan),
      num(truth?.inf),
      0,
    ]);
    expect(skewed.min).toBe(num(truth?.lo));
    expect(skewed.mean).toBeCloseTo(num(truth?.mean) as number, 12);
    expect(skewed.m2 / skewed.n).toBeCloseTo(num(truth?.var) as number, 10);
    for (const column of one.columns) {
      const batched = reference.columns.find((c) => c.column === column.column);
      if (column.kind === "numeric" && batched?.kind === "numeric") {
        expect(batched.bins).toEqual(column.bins);
        expect(batched.counts).toEqual(column.counts);
        expect([batched.n, batched.min, batched.max]).toEqual([column.n, column.min, column.max]);
        expect(batched.mean).toBeCloseTo(column.mean, 10);
        expect(batched.m2).toBeCloseTo(column.m2, Math.max(0, 8 - Math.ceil(Math.log10(Math.abs(column.m2) + 1))));
      } else expect(batched).toEqual(column);
    }
  });

  it("are the same on DuckDB-WASM as on native DuckDB", async () => {
    const fromWasm = await profileOf(wasmQuery, "ref", 4096);
    expect(fromWasm.columns.map((c) => c.column)).toEqual(reference.columns.map((c) => c.column));
    for (const [i, column] of fromWasm.columns.entries()) {
      const other = reference.columns[i];
      if (column.kind === "numeric" && other?.kind === "numeric") {
        expect({ ...column, mean: 0, m2: 0 }).toEqual({ ...other, mean: 0, m2: 0 });
        expect(column.mean).toBeCloseTo(other.mean, 12);
      } else expect(column).toEqual(other);
    }
  });

  it("read back from JSON, and reject what is not one", () => {
    expect(parseStreamedProfile(JSON.parse(JSON.stringify(reference)))).toEqual(reference);
    expect(() => parseStreamedProfile({ format: "something else" })).toThrow(/not an Assay streamed profile/);
    expect(() => parseStreamedProfile({ ...reference, gridSubBits: 6 })).toThrow(/Profile the data again/);
  });
});

describe("streamed drift against the table path", () => {
  it("holds every exact KS D and Wasserstein distance inside its bounds", () => {
    const result = streamedDrift(reference, current);
    for (const name of numericNames) {
      const s = result.columns.find((c) => c.column === name);
      const t = exact.get(name);
      expect(s, name).toBeDefined();
      expect(t, name).toBeDefined();
      if (!s || !t) throw new Error(`${name} is missing`);
      expect([s.nReference, s.nCurrent, s.droppedReference, s.droppedCurrent], name).toEqual([
        t.nReference,
        t.nCurrent,
        t.droppedReference,
        t.droppedCurrent,
      ]);
      const d = t.ks?.statistic as number;
      const ksBound = s.errorBounds?.ks ?? 0;
      const wBound = s.errorBounds?.wasserstein ?? 0;
      const slack = 1e-12;
      expect(d, `${name} KS`).toBeGreaterThanOrEqual((s.ks?.statistic as number) - slack);
      expect(d, `${name} KS`).toBeLessThanOrEqual((s.ks?.statistic as number) + ksBound + slack);
      expect(Math.abs((t.wasserstein as number) - (s.wasserstein as number)), `${name} W1`).toBeLessThanOrEqual(
        wBound + 1e-9 * (t.wasserstein as number) + slack,
      );
    }
  });

  it("is exact for integer columns in single-value bins and for categories", () => {
    const result = streamedDrift(reference, current);
    // mixed_whole: INTEGER in the reference, whole DOUBLEs in the current.
    for (const name of ["small_int", "flag", "mixed_whole", "cat", "with nulls"]) {
      const s = result.columns.find((c) => c.column === name) as DriftColumnResult;
      const t = exact.get(name) as DriftColumnResult;
      expect(s.errorBounds, name).toBeUndefined();
      expect(s.method, name).toBe(t.method);
      expect(s.drifted, name).toBe(t.drifted);
      expect(s.statistic, name).toBeCloseTo(t.statistic, 12);
      expect(s.psi, name).toBeCloseTo(t.psi, 12);
      expect(s.jensenShannon, name).toBeCloseTo(t.jensenShannon, 12);
      expect(s.bins.psi.labels, name).toEqual(t.bins.psi.labels);
    }
    // A narrow error bound where wide integers share bins of width 2 to 16.
    const wide = result.columns.find((c) => c.column === "wide_int") as DriftColumnResult;
    expect(wide.errorBounds?.wasserstein ?? 0).toBeLessThan(0.01);
  });

  it("moves each decile up to the end of its grid bin, and counts both sides on those edges exactly", async () => {
    const result = streamedDrift(reference, current);
    for (const name of ["f ä", 'heavy "q"', "skewed", "narrow", "mixed_half"]) {
      const s = result.columns.find((c) => c.column === name) as DriftColumnResult;
      const t = exact.get(name) as DriftColumnResult;
      const edges = s.bins.psi.edges as number[];
      const truth = t.bins.psi.edges as number[];
      const q = quoteIdentifier(name);
      // Each exact decile moves up to the end of the grid bin of its upper order statistic; deciles
      // whose order statistics share a bin share an edge.
      const [count] = await queryRows(native.query, `SELECT count(*) AS n FROM ref WHERE isfinite(${q})`);
      const n = num(count?.n) as number;
      const moved = new Set<number>();
      for (const [k, decile] of truth.entries()) {
        const rank = Math.ceil((n - 1) * ((k + 1) / 10));
        const [upper] = await queryRows(
          native.query,
          `SELECT x FROM (SELECT ${q}::DOUBLE AS x, row_number() OVER (ORDER BY ${q}) - 1 AS rn FROM ref WHERE isfinite(${q})) WHERE rn = ${rank}`,
        );
        const e = edges.find((x) => x >= decile) as number;
        if (e > decile) expect(gridBinOf(num(upper?.x) as number), name).toBe(gridBinOf(e));
        moved.add(e);
      }
      expect([...moved], name).toEqual(edges);
      if (edges.length < truth.length)
        expect(
          s.trace.some((line) => line.includes("share a grid bin")),
          name,
        ).toBe(true);
      const bins = edges.map((e, k) => `WHEN ${q} <= ${e} THEN ${k}`).join(" ");
      for (const [table, counts] of [
        ["ref", s.bins.psi.reference],
        ["cur", s.bins.psi.current],
      ] as const) {
        const rows = await queryRows(
          native.query,
          `SELECT CASE ${bins} ELSE ${edges.length} END AS b, count(*) AS n FROM ${table} WHERE isfinite(${q}) GROUP BY b ORDER BY b`,
        );
        const sql = new Array(edges.length + 1).fill(0);
        for (const r of rows) sql[num(r.b) as number] = num(r.n);
        expect(counts, `${name} ${table}`).toEqual(sql);
      }
    }
  });

  it("marks a verdict that could change within its bounds as undetermined", () => {
    // `narrow`: values near 1000 with std 10 sit in bins 2 wide, and the shift is about the threshold.
    const result = streamedDrift(reference, current);
    const narrow = result.columns.find((c) => c.column === "narrow") as DriftColumnResult;
    const t = exact.get("narrow") as DriftColumnResult;
    expect(narrow.method).toBe("wasserstein");
    const low = (narrow.wasserstein as number) - (narrow.errorBounds?.wasserstein as number);
    const high = (narrow.wasserstein as number) + (narrow.errorBounds?.wasserstein as number);
    expect(low).toBeLessThan(0.1);
    expect(high).toBeGreaterThanOrEqual(0.1);
    expect(narrow.undetermined).toBe(true);
    expect(narrow.trace.some((line) => line.includes("COULD CHANGE"))).toBe(true);
    expect(t.wasserstein as number).toBeGreaterThanOrEqual(low);
    // Columns far from their threshold are decided.
    const f = result.columns.find((c) => c.column === 'heavy "q"') as DriftColumnResult;
    expect(f.undetermined).toBeUndefined();
  });
});

describe("bad input", () => {
  it("an empty table gives an empty profile, and drift against it says there is nothing to test", async () => {
    await native.exec(`CREATE OR REPLACE TABLE empty AS SELECT * FROM ref LIMIT 0`);
    const empty = await profileOf(native.query, "empty", 1000);
    expect([empty.rows, empty.batches]).toEqual([0, 0]);
    expect(() => streamedDrift(reference, empty)).toThrow(AuditInputError);
  });

  it("columns of other types are skipped with a warning, or rejected when named", async () => {
    await native.exec(
      `CREATE OR REPLACE TABLE odd AS SELECT range AS x, DATE '2020-01-01' + range::INTEGER AS day FROM range(10)`,
    );
    const { profile, warnings } = await profileStream(native.query, await tableBatches(native.query, "odd", 3));
    expect(profile.columns.map((c) => c.column)).toEqual(["x"]);
    expect(warnings.items.map((w) => w.code)).toEqual(["column-skipped"]);
    await expect(
      profileStream(native.query, await tableBatches(native.query, "odd", 3), { columns: ["day"] }),
    ).rejects.toThrow(/is DATE/);
  });

  it("leaves out a categorical column with too many values, by name", async () => {
    const { profile, warnings } = await profileStream(native.query, await tableBatches(native.query, "ref", 5000), {
      columns: ["cat", "with nulls"],
      maxCategories: 10,
    });
    expect(profile.columns.map((c) => c.column)).toEqual(["cat"]);
    expect(warnings.items[0]?.message).toMatch(/"with nulls" has more than 10 distinct values/);
  });

  it("names a column that one profile lacks, or holds as another kind", async () => {
    const asCategories = (
      await profileStream(native.query, await tableBatches(native.query, "cur", 9000), {
        categorical: ["flag"],
        columns: ["flag"],
      })
    ).profile;
    expect(() => streamedDrift(reference, asCategories, { columns: ["flag"] })).toThrow(
      /as numeric in "ref" but as categorical/,
    );
    expect(() => streamedDrift(reference, asCategories, { columns: ["cat"] })).toThrow(
      /"cat" is not in the current profile/,
    );
  });
});

describe("the quality profile of a streamed dataset", () => {
  it("gives the table's counts, range and moments, and quantiles and distinct counts within their bounds", async () => {
    const streamed = qualityFromStreamedProfile(reference);
    const exact = await runQualityProfile(native.query, { source: "ref", exactUpTo: Number.POSITIVE_INFINITY });
    expect(streamed.rows).toBe(exact.rows);
    for (const s of streamed.columns) {
      const t = exact.columns.find((c) => c.column === s.column);
      if (!t) throw new Error(`${s.column} is missing from the table profile`);
      expect([s.nullCount, s.nanCount, s.posInfCount, s.negInfCount], s.column).toEqual([
        t.nullCount,
        t.nanCount,
        t.posInfCount,
        t.negInfCount,
      ]);
      if (s.kind === "numeric") {
        expect([s.min, s.max], s.column).toEqual([t.min, t.max]);
        expect(s.mean as number, s.column).toBeCloseTo(t.mean as number, 9);
        expect(s.std as number, s.column).toBeCloseTo(t.std as number, 9);
        for (const [name, value] of Object.entries(t.quantiles ?? {})) {
          const got = s.quantiles?.[name as keyof typeof s.quantiles] as number;
          expect(Math.abs(got - (value as number)), `${s.column} ${name}`).toBeLessThanOrEqual(
            s.quantileBound + 1e-12 * Math.abs(value as number),
          );
        }
        if (s.distinctInterval) {
          expect(t.distinctCount, s.column).toBeGreaterThanOrEqual(s.distinctInterval[0]);
          expect(t.distinctCount, s.column).toBeLessThanOrEqual(s.distinctInterval[1]);
        } else expect(s.distinctCount, s.column).toBe(t.distinctCount);
      } else {
        expect([s.distinctCount, s.min, s.max, s.topValues], s.column).toEqual([
          t.distinctCount,
          t.min,
          t.max,
          t.topValues,
        ]);
      }
    }
    // Whole numbers in single-value bins: exact quantiles and distinct counts.
    const small = streamed.columns.find((c) => c.column === "small_int");
    expect(small?.quantilesApproximate).toBe(false);
    expect(small?.distinctApproximate).toBe(false);
  });
});

describe("latency and error rate of a streamed dataset", () => {
  it("gives exact error counts for a 0/1 column, and refuses NaN latencies and other error columns", async () => {
    const result = operationalFromStreamedProfile(reference, { latency: "narrow", error: "flag" });
    const [truth] = await queryRows(
      native.query,
      `SELECT count_if(flag = 1) AS errors, count(flag) AS n, quantile_cont(narrow, 0.99) AS p99 FROM ref`,
    );
    expect(result.errorRate?.errors).toBe(num(truth?.errors));
    expect(result.errorRate?.n).toBe(num(truth?.n));
    const bound = result.latencyBounds?.p99 ?? 0;
    expect(Math.abs((result.latency?.p99 as number) - (num(truth?.p99) as number))).toBeLessThanOrEqual(bound + 1e-9);
    expect(() => operationalFromStreamedProfile(reference, { latency: "skewed" })).toThrow(/NaN or infinite values/);
    expect(() => operationalFromStreamedProfile(reference, { error: "small_int" })).toThrow(
      /must be BOOLEAN or hold only 0 and 1/,
    );
  });
});
