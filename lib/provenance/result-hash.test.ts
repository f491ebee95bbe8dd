import {
  DateDay,
  Decimal,
  Dictionary,
  Float32,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../engine/node-engine";
import { hashResult, summarizeResult } from "./result-hash";
import { canonicalNumber, isoFromMicros } from "./result-values";

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine({ threads: 4 });
});
afterAll(async () => {
  await engine.close();
});

const table = (columns: Record<string, Vector>) => new Table(columns);
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const SQL = `SELECT * FROM (VALUES
  (1::BIGINT, 0.1::DOUBLE + 0.2::DOUBLE, DATE '2024-01-02', 'é', NULL::DOUBLE),
  (2::BIGINT, -0.0::DOUBLE, DATE '1969-12-31', 'plain', 'NaN'::DOUBLE),
  (3::BIGINT, 'Infinity'::DOUBLE, DATE '2024-02-29', NULL, 2.5)
) AS t(id, x, d, s, y)`;

/** The same five columns as SQL, built with other Arrow types and rows in another order. */
function sameResultOtherwise(): Table {
  return table({
    id: vectorFromArray([3, 1, 2], new Float64()),
    x: vectorFromArray([Number.POSITIVE_INFINITY, 0.3, 0], new Float64()),
    d: vectorFromArray([day("2024-02-29"), day("2024-01-02"), day("1969-12-31")], new TimestampMillisecond()),
    s: vectorFromArray([null, "e\u0301", "plain"], new Dictionary(new Utf8(), new Int32())),
    y: vectorFromArray([2.5, null, Number.NaN], new Float32()),
  });
}

describe("hashResult", () => {
  it("gives native DuckDB's result and a differently typed, reordered Arrow table the same hash", async () => {
    const native = await hashResult(await engine.query(SQL));
    const other = await hashResult(sameResultOtherwise());
    expect(native.rowCount).toBe(3);
    expect(other.hash).toBe(native.hash);
    expect(native.canonical.columns.map((c) => c.name)).toEqual(["id", "x", "d", "s", "y"]);
  });

  it("changes when one value, a column name or the column order changes", async () => {
    const base = (await hashResult(sameResultOtherwise())).hash;
    const changed = sameResultOtherwise();
    const values = table({
      id: vectorFromArray([3, 1, 2], new Float64()),
      x: vectorFromArray([Number.POSITIVE_INFINITY, 0.3, 0], new Float64()),
      d: vectorFromArray([day("2024-02-29"), day("2024-01-02"), day("1969-12-31")], new TimestampMillisecond()),
      s: vectorFromArray([null, "e\u0301", "plain"], new Utf8()),
      y: vectorFromArray([2.5, null, 0.5], new Float64()),
    });
    expect((await hashResult(values)).hash).not.toBe(base);
    const renamed = table({
      ...Object.fromEntries(
        changed.schema.fields.map((f, i) => [f.name === "y" ? "z" : f.name, changed.getChildAt(i) as Vector]),
      ),
    });
    expect((await hashResult(renamed)).hash).not.toBe(base);
    const reordered = changed.select(["x", "id", "d", "s", "y"]);
    expect((await hashResult(reordered)).hash).not.toBe(base);
  });

  it("ignores row order unless told the order matters", async () => {
    const a = table({ k: vectorFromArray(["a", "b", "c"], new Utf8()), v: vectorFromArray([1, 2, 3], new Int32()) });
    const b = table({ k: vectorFromArray(["c", "a", "b"], new Utf8()), v: vectorFromArray([3, 1, 2], new Int32()) });
    expect((await hashResult(a)).hash).toBe((await hashResult(b)).hash);
    expect((await hashResult(a, { ordered: true })).hash).not.toBe((await hashResult(b, { ordered: true })).hash);
    expect((await hashResult(a, { ordered: true })).hash).not.toBe((await hashResult(a)).hash);
  });

  it("is the same across record batches and across native thread counts", async () => {
    const sql = "SELECT range % 7 AS g, sum(range * 0.1) AS s, count(*) AS n FROM range(200000) GROUP BY 1";
    const many = await hashResult(await engine.query(sql));
    const single = await createNodeEngine({ threads: 1 });
    try {
      expect((await hashResult(await single.query(sql))).hash).toBe(many.hash);
    } finally {
      await single.close();
    }
    const one = table({ k: vectorFromArray(["a", "b", "c", "d"], new Utf8()) });
    const split = table({ k: vectorFromArray(["c", "d"], new Utf8()) }).concat(
      table({ k: vectorFromArray(["b", "a"], new Utf8()) }),
    );
    expect(split.batches.length).toBe(2);
    expect((await hashResult(split)).hash).toBe((await hashResult(one)).hash);
  });

  it("treats BIGINT and DOUBLE, DATE and TIMESTAMP, DECIMAL and DOUBLE alike when the values are equal", async () => {
    const ints = await engine.query("SELECT 42::BIGINT AS v UNION ALL SELECT 9007199254740993::BIGINT");
    const doubles = table({ v: vectorFromArray([42, 9007199254740992], new Float64()) });
    expect((await hashResult(ints)).hash).toBe((await hashResult(doubles)).hash);
    const big = table({ v: vectorFromArray([42n, 9007199254740993n], new Int64()) });
    expect((await hashResult(big)).hash).toBe((await hashResult(doubles)).hash);

    const dates = table({ d: vectorFromArray([day("2024-01-02")], new DateDay()) });
    const stamps = await engine.query("SELECT TIMESTAMP '2024-01-02 00:00:00' AS d");
    expect((await hashResult(dates)).hash).toBe((await hashResult(stamps)).hash);

    const decimals = table({
      v: makeVector(makeData({ type: new Decimal(2, 10, 128), length: 1, data: new Uint32Array([1234, 0, 0, 0]) })),
    });
    expect(summarizeResult(decimals)).toEqual([[12.34]]);
    expect((await hashResult(decimals)).hash).toBe(
      (await hashResult(table({ v: vectorFromArray([12.34], new Float64()) }))).hash,
    );
  });

  it("rounds numbers to 12 significant digits before hashing", async () => {
    const h = async (values: number[]) => (await hashResult(table({ v: vectorFromArray(values, new Float64()) }))).hash;
    expect(await h([0.1 + 0.2])).toBe(await h([0.3]));
    expect(await h([1 / 3])).toBe(await h([0.333333333333]));
    expect(await h([1.00000000001])).not.toBe(await h([1]));
    expect(await h([-0])).toBe(await h([0]));
    expect(canonicalNumber(123456789012345)).toBe("123456789012000");
    expect(canonicalNumber(1e-7 + 1e-20)).toBe("1e-7");
    expect(canonicalNumber(-2.5e300)).toBe("-2.5e+300");
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map(canonicalNumber)).toEqual([
      "NaN",
      "Infinity",
      "-Infinity",
    ]);
  });

  it("keeps microseconds and handles times before 1970", async () => {
    expect(isoFromMicros(1_704_067_200_123_456n)).toBe("2024-01-01T00:00:00.123456Z");
    expect(isoFromMicros(-1n)).toBe("1969-12-31T23:59:59.999999Z");
    // DuckDB's ±infinity and instants past a JS Date's range get a text instead of an exception.
    expect(isoFromMicros(9_223_372_036_854_775_807n)).toBe("infinity");
    expect(isoFromMicros(9_223_372_036_854_775_807n * 1_000_000n)).toBe("infinity");
    expect(isoFromMicros(-9_223_372_036_854_775_807n)).toBe("-infinity");
    expect(isoFromMicros(9_000_000_000_000_000_000n)).toBe("9000000000000000000µs");
    const micros = makeVector(
      makeData({ type: new TimestampMicrosecond(), length: 1, data: new BigInt64Array([1_704_067_200_123_456n]) }),
    );
    const nanos = makeVector(
      makeData({ type: new TimestampNanosecond(), length: 1, data: new BigInt64Array([1_704_067_200_123_456_789n]) }),
    );
    expect(summarizeResult(table({ t: micros }))).toEqual([["2024-01-01T00:00:00.123456Z"]]);
    expect((await hashResult(table({ t: nanos }))).hash).toBe((await hashResult(table({ t: micros }))).hash);
  });

  it("hashes lists and keeps their order", async () => {
    const a = await engine.query("SELECT [1, 2, 3] AS l, 'x' AS k");
    const b = await engine.query("SELECT [1.0, 2.0, 3.0]::DOUBLE[] AS l, 'x' AS k");
    const c = await engine.query("SELECT [3, 2, 1] AS l, 'x' AS k");
    expect((await hashResult(a)).hash).toBe((await hashResult(b)).hash);
    expect((await hashResult(a)).hash).not.toBe((await hashResult(c)).hash);
    expect(summarizeResult(a)).toEqual([[[1, 2, 3], "x"]]);
  });

  it("hashes an empty result by its columns", async () => {
    const empty = await engine.query("SELECT 1 AS a WHERE false");
    const other = await engine.query("SELECT 1 AS b WHERE false");
    const result = await hashResult(empty);
    expect(result.rowCount).toBe(0);
    expect(result.hash).not.toBe((await hashResult(other)).hash);
  });

  it("is invariant under any permutation of rows (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.double(), fc.option(fc.string())), { minLength: 1, maxLength: 30 }),
        fc.integer(),
        async (rows, seed) => {
          const shuffled = [...rows]
            .sort(() => 0)
            .map((r, i, all) => all[(i * 7 + Math.abs(seed)) % all.length] as typeof r);
          // Use a true permutation: rotate by seed.
          const k = Math.abs(seed) % rows.length;
          const rotated = [...rows.slice(k), ...rows.slice(0, k)];
          void shuffled;
          const build = (rs: typeof rows) =>
            table({
              x: vectorFromArray(
                rs.map((r) => r[0]),
                new Float64(),
              ),
              s: vectorFromArray(
                rs.map((r) => r[1]),
                new Utf8(),
              ),
            });
          expect((await hashResult(build(rotated))).hash).toBe((await hashResult(build(rows))).hash);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("summarizes the first rows as JSON-safe values", async () => {
    const summary = summarizeResult(await engine.query(SQL), 2);
    expect(summary).toEqual([
      [1, 0.30000000000000004, "2024-01-02T00:00:00.000000Z", "é", null],
      [2, 0, "1969-12-31T00:00:00.000000Z", "plain", { $float: "NaN" }],
    ]);
  });

  it("hashes a million rows in reasonable time", async () => {
    const big = await engine.query(
      "SELECT range AS id, range * 0.37 AS score, 'group ' || (range % 97) AS g, range % 2 = 0 AS flag FROM range(1000000)",
    );
    const t0 = performance.now();
    const ordered = await hashResult(big, { ordered: true });
    const t1 = performance.now();
    const unordered = await hashResult(big);
    const t2 = performance.now();
    console.info(
      `hashResult 1M rows × 4 columns: ordered ${(t1 - t0).toFixed(0)} ms, unordered ${(t2 - t1).toFixed(0)} ms`,
    );
    expect(unordered.rowCount).toBe(1_000_000);
    expect(ordered.hash).not.toBe(unordered.hash);
    expect(t2 - t1).toBeLessThan(30_000);
  }, 120_000);
});

describe("canonicalNumber", () => {
  it("equals String(Number(x.toPrecision(12))) for every double", () => {
    const reference = (x: number) => {
      const r = Number(x.toPrecision(12));
      return String(r === 0 ? 0 : r);
    };
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(canonicalNumber(x)).toBe(reference(x));
      }),
      { numRuns: 20_000 },
    );
    for (const x of [
      1e21, 9.99999999999949e20, 1e-6, 9.9999999999995e-7, 1e-7, 123456789012.5, 5e-324, 1.7976931348623157e308,
    ]) {
      expect(canonicalNumber(x)).toBe(reference(x));
      expect(canonicalNumber(-x)).toBe(reference(-x));
    }
  });
});

describe("hashResult against the written specification", () => {
  it("is SHA-256 of the header and the rows sorted by UTF-8 bytes (an independent re-implementation)", async () => {
    const { createHash } = await import("node:crypto");
    const keys = ["z", "é", "\uffff", "😀", 'q"uote', "tab\there", "e\u0301"];
    const values = [1.5, 0.1 + 0.2, -0, 2 ** 60, 1e-9, Number.NaN, 7];
    const result = await hashResult(
      table({ "k ey": vectorFromArray(keys, new Utf8()), v: vectorFromArray(values, new Float64()) }),
    );
    const tokens = ["1.5", "0.3", "0", "1152921504610000000", "1e-9", "NaN", "7"];
    const lines = keys.map((k, i) => Buffer.from(`[${JSON.stringify(k.normalize("NFC"))},${tokens[i]}]\n`, "utf8"));
    lines.sort(Buffer.compare);
    const expected = createHash("sha256")
      .update('assay-result-v1\n{"columns":["k ey","v"],"ordered":false}\n')
      .update(Buffer.concat(lines))
      .digest("hex");
    expect(result.hash).toBe(expected);
  });
});
