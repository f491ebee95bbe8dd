/**
 * Numeric columns profiled from Arrow buffers against the SQL statements they replace, on
 * DuckDB-WASM (the app's engine, whose Arrow output the app's streams hold): the same counts,
 * ranges and grid bins exactly, moments to rounding, for every column type the module reads and
 * for values at the edges of the double range.
 */
import { Dictionary, Float64, Int32, vectorFromArray } from "apache-arrow";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueryFn } from "../../engine/types";
import { openWasmEngine, type WasmEngine } from "../../provenance/testing/wasm-engine";
import { quoteIdentifier } from "../../sql/identifiers";
import { numericStatsOfVector } from "./arrow-numeric";
import { gridBinOf } from "./grid";
import { type BatchStream, parseStreamedProfile, profileStream, type StreamedNumericColumn } from "./profile";
import { streamedDrift } from "./streamed-drift";
import { qualityFromStreamedProfile } from "./streamed-quality";
import { tableBatches } from "./table-batches";

let wasm: WasmEngine;
let query: QueryFn;
beforeAll(async () => {
  wasm = await openWasmEngine();
  query = async (sql) => wasm.query(sql);
});
afterAll(() => wasm.close());

/** `tableBatches`, and when `withArrow` each batch as Arrow too (as the app's row groups are). */
async function batches(table: string, size: number, withArrow: boolean): Promise<BatchStream> {
  const inner = await tableBatches(query, table, size);
  let current: string | null = null;
  return {
    ...inner,
    next: async () => {
      current = await inner.next();
      return current;
    },
    ...(withArrow
      ? { arrow: async () => (current ? wasm.query(`SELECT * FROM ${quoteIdentifier(current)}`) : null) }
      : {}),
  };
}

const EDGES = [
  "0.0",
  "-0.0",
  "5e-324",
  "-5e-324",
  "2.2250738585072014e-308",
  "2.225073858507201e-308",
  "1.5e150",
  "-1e150",
  "1.0",
  "1.00390625",
  "1.0039062499999998",
  "-2.0",
  "0.1",
  "1e140",
  "'nan'::DOUBLE",
  "'inf'::DOUBLE",
  "'-inf'::DOUBLE",
  "NULL",
];

function expectSameColumn(got: StreamedNumericColumn, want: StreamedNumericColumn): void {
  const { mean, m2, ...rest } = got;
  const { mean: wantMean, m2: wantM2, ...wantRest } = want;
  expect(rest, got.column).toEqual(wantRest);
  expect(Math.abs(mean - wantMean), `${got.column} mean`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(wantMean)));
  expect(Math.abs(m2 - wantM2), `${got.column} m2`).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(wantM2)));
}

describe("numeric columns profiled from Arrow", () => {
  it("equal the SQL profile for every numeric type, edge values and batch sizes", async () => {
    await query(`CREATE OR REPLACE TABLE typed AS SELECT
        CASE WHEN i % 23 < 18 THEN [${EDGES.join(", ")}][1 + i % 23] ELSE (hash(i) % 100000)::DOUBLE / 7 END AS d,
        ((hash(i, 1) % 2000)::FLOAT / 3 - 300)::FLOAT AS f,
        CASE WHEN i % 11 = 0 THEN 'nan'::FLOAT WHEN i % 13 = 0 THEN NULL ELSE (i % 50)::FLOAT END AS f_special,
        ((hash(i, 2) % 100000)::INTEGER - 50000)::INTEGER AS i32,
        CASE WHEN i % 5 = 0 THEN 9223372036854775807 WHEN i % 7 = 0 THEN -9223372036854775808
          WHEN i % 3 = 0 THEN 9007199254740993 ELSE (hash(i, 3) % 1000)::BIGINT END AS i64,
        (i % 256)::UTINYINT AS u8,
        (i % 300 - 150)::SMALLINT AS i16,
        (hash(i, 4))::UBIGINT AS u64,
        ((hash(i, 5) % 100000)::DECIMAL(12, 2) / 100)::DECIMAL(12, 2) AS dec,
        CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS mostly_null,
        'x' || (i % 3) AS cat
      FROM range(5000) t(i)`);
    const sqlStatements: string[] = [];
    const logged: QueryFn = async (sql) => {
      sqlStatements.push(sql);
      return query(sql);
    };
    const want = (await profileStream(query, await batches("typed", 5000, false))).profile;
    for (const size of [700, 5000]) {
      sqlStatements.length = 0;
      const got = (await profileStream(logged, await batches("typed", size, true))).profile;
      expect(got.rows).toBe(want.rows);
      expect(got.columns.map((c) => c.column)).toEqual(want.columns.map((c) => c.column));
      for (const [i, column] of got.columns.entries()) {
        const expected = want.columns[i];
        if (column.kind === "numeric" && expected?.kind === "numeric") expectSameColumn(column, expected);
        else expect(column).toEqual(expected);
      }
      // Every numeric column came from Arrow: no grid, summary or deviation statement ran.
      expect(sqlStatements.filter((s) => / AS (bin|pinf0|m20)\b/.test(s))).toEqual([]);
    }
  });

  it("take means near the largest double by scaling, and say when m2 leaves the double range", async () => {
    await query(`CREATE OR REPLACE TABLE huge AS SELECT
        CASE WHEN i % 3 = 0 THEN 1.7e308 WHEN i % 3 = 1 THEN -1.6e308 ELSE i::DOUBLE END AS x,
        CASE WHEN i % 3 = 0 THEN 1.5e308 WHEN i % 3 = 1 THEN -1.6e308 ELSE i::DOUBLE END AS y
      FROM range(300) t(i)`);
    // The exact mean, from values scaled by 2^-600 (exact) and summed in order (exact here).
    let scaled = 0;
    for (let i = 0; i < 300; i++) scaled += (i % 3 === 0 ? 1.7e308 : i % 3 === 1 ? -1.6e308 : i) * 2 ** -600;
    const exact = (scaled / 300) * 2 ** 600;
    for (const withArrow of [false, true]) {
      const { profile } = await profileStream(query, await batches("huge", 70, withArrow));
      const x = profile.columns[0] as StreamedNumericColumn;
      expect(Math.abs(x.mean - exact), `arrow ${withArrow}`).toBeLessThanOrEqual(1e-12 * Math.abs(exact));
      expect(x.m2).toBe(Number.POSITIVE_INFINITY);
      // Saved as JSON (null) and read back: Infinity again; quality gives no std; drift normalises
      // W1 by a std from the histogram and says so.
      const saved = parseStreamedProfile(JSON.parse(JSON.stringify(profile)));
      expect((saved.columns[0] as StreamedNumericColumn).m2).toBe(Number.POSITIVE_INFINITY);
      expect(qualityFromStreamedProfile(saved).columns[0]?.std).toBeNull();
      const drift = streamedDrift(saved, saved, { columns: ["x"] });
      expect(drift.columns[0]?.drifted).toBe(false);
      expect(drift.columns[0]?.trace.join(" ")).toMatch(/std from its grid histogram/);
    }
  });

  it("keep drift's W1 normalisation and quality's quantiles finite for values in the grid's last bin", async () => {
    const max = "1.7976931348623157e308";
    const column = (k: number) =>
      `CASE WHEN i % ${k} = 0 THEN ${max} WHEN i % ${k} = 1 THEN -1e308 ELSE i::DOUBLE END AS z`;
    await query(`CREATE OR REPLACE TABLE top_ref AS SELECT ${column(3)} FROM range(300) t(i)`);
    await query(`CREATE OR REPLACE TABLE top_cur AS SELECT ${column(4)} FROM range(300) t(i)`);
    const ref = (await profileStream(query, await batches("top_ref", 100, true))).profile;
    const cur = (await profileStream(query, await batches("top_cur", 100, true))).profile;
    // The reference's population std, from values scaled by 2^-600 (exact).
    const values = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? Number.MAX_VALUE : i % 3 === 1 ? -1e308 : i));
    const scaled = values.map((v) => v * 2 ** -600);
    const mean = scaled.reduce((a, b) => a + b, 0) / 300;
    const std = Math.sqrt(scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / 300) * 2 ** 600;
    const z = streamedDrift(ref, cur, { columns: ["z"] }).columns[0];
    expect(Number.isFinite(z?.wasserstein)).toBe(true);
    const implied = (z?.wassersteinRaw as number) / (z?.wasserstein as number);
    expect(Math.abs(implied - std) / std).toBeLessThan(0.004);
    // Quality's quantiles of a column whose quartiles sit in the last bin stay finite.
    const quantiles = qualityFromStreamedProfile(ref).columns[0]?.quantiles ?? {};
    for (const [q, v] of Object.entries(quantiles)) expect(Number.isFinite(v), q).toBe(true);
  });

  it("count every double in the bin gridBinOf gives it", () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 200 }), (xs) => {
        const stats = numericStatsOfVector(vectorFromArray(Float64Array.from(xs)));
        const want = new Map<number, number>();
        for (const x of xs) if (Number.isFinite(x)) want.set(gridBinOf(x), (want.get(gridBinOf(x)) ?? 0) + 1);
        expect(stats?.bins).toEqual(want);
        expect(stats?.n).toBe(xs.filter(Number.isFinite).length);
        expect(stats?.nan).toBe(xs.filter(Number.isNaN).length);
      }),
      { numRuns: 300 },
    );
  });

  it("read nulls from the validity bitmap, also of a sliced vector", () => {
    const vector = vectorFromArray([1.5, null, -2, null, 3, 1e308], new Float64());
    const stats = numericStatsOfVector(vector);
    expect(stats).toMatchObject({ n: 4, nulls: 2, min: -2, max: 1e308, whole: 3 });
    const sliced = numericStatsOfVector(vector.slice(1, 5));
    expect(sliced).toMatchObject({ n: 2, nulls: 2, min: -2, max: 3, whole: 2, mean: 0.5 });
  });

  it("leave types they do not read to SQL", () => {
    const dictionary = vectorFromArray([1, 2, 1], new Dictionary(new Float64(), new Int32()));
    expect(numericStatsOfVector(dictionary)).toBeNull();
  });
});
