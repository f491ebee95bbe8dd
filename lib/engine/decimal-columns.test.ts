import {
  Decimal,
  Field,
  FixedSizeList,
  Float64,
  Int32,
  List,
  makeData,
  makeVector,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Type,
} from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertDecimalWords, decimalIpcToDoubles, decimalsToDoubles, decimalToDouble } from "./decimal-columns";
import { createNodeEngine, type NodeEngine } from "./node-engine";

/** `unscaled` / 10^scale as DuckDB's decimal text, e.g. (-12345n, 2) → "-123.45". */
function decimalText(unscaled: bigint, scale: number): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const sign = unscaled < 0n ? "-" : "";
  return scale === 0 ? `${sign}${digits}` : `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Deterministic unscaled values for DECIMAL(width, ·): extremes, the 2^53 boundary, and spread digits. */
function unscaledValues(width: number, count: number): bigint[] {
  const max = 10n ** BigInt(width) - 1n;
  const edges = [0n, 1n, -1n, max, -max, max / 2n, -(max / 3n)];
  for (const near of [2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 3n, 2n ** 64n + 12345n]) {
    if (near <= max) edges.push(near, -near);
  }
  let state = 0x9e3779b97f4a7c15n + BigInt(width);
  const values = [...edges];
  for (let i = 0; i < count; i++) {
    state = (state * 6364136223846793005n + 1442695040888963407n) & (2n ** 128n - 1n);
    // Values of every magnitude: take a random number of digits.
    const digits = 1 + Number(state % BigInt(width));
    const v = (state >> 7n) % 10n ** BigInt(digits);
    values.push(i % 2 === 0 ? v : -v);
  }
  return values;
}

/** The 4 little-endian words of each value's 128-bit two's complement, as Arrow stores a Decimal128. */
function decimalWords(values: readonly bigint[]): Uint32Array {
  const words = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    const u = BigInt.asUintN(128, v);
    for (let w = 0; w < 4; w++) words[i * 4 + w] = Number((u >> BigInt(32 * w)) & 0xffffffffn);
  });
  return words;
}

const TYPES: [number, number][] = [
  [4, 1],
  [4, 0],
  [9, 2],
  [9, 9],
  [15, 2],
  [18, 0],
  [18, 3],
  [18, 1],
  [18, 18],
  [20, 0],
  [25, 5],
  [38, 0],
  [38, 10],
  [38, 20],
  [38, 38],
];

describe("decimalToDouble", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(() => engine.close());

  for (const [width, scale] of TYPES) {
    it(`matches DuckDB's CAST(d AS DOUBLE) for DECIMAL(${width},${scale}), bit for bit`, async () => {
      const values = unscaledValues(width, 400);
      const rows = values.map((v, i) => `(${i}, '${decimalText(v, scale)}'::DECIMAL(${width},${scale}))`);
      const sql = `SELECT i, CAST(d AS DOUBLE) AS cast, d, d::VARCHAR AS text
        FROM (VALUES ${rows.join(", ")}, (${values.length}, NULL)) t(i, d) ORDER BY i`;
      const table = await engine.query(sql);
      const cast = table.getChild("cast")?.toArray() as Float64Array;
      const fromEngine = table.getChild("d");
      const text = table.getChild("text");
      const words = decimalWords(values);
      const converted = new Float64Array(values.length);
      convertDecimalWords(words, width, scale, converted);
      const mismatches: string[] = [];
      values.forEach((v, i) => {
        // DuckDB writes DECIMAL(s, s) without the leading zero: ".5".
        expect(text?.get(i)).toBe(decimalText(v, scale).replace(width === scale ? /^(-?)0\./ : /^$/, "$1."));
        const expected = cast[i] as number;
        const got = [decimalToDouble(v, width, scale), converted[i], fromEngine?.get(i)];
        if (!got.every((g) => Object.is(g, expected))) mismatches.push(`${text?.get(i)}: ${expected} vs ${got}`);
      });
      expect(mismatches).toEqual([]);
      expect(fromEngine?.get(values.length)).toBeNull();
    });
  }

  it("converts HUGEINT as DuckDB's CAST(h AS DOUBLE) does", async () => {
    const values = ["-170141183460469231731687303715884105727", "-9007199254740995", "-18446744073709551617", "12"];
    const rows = values.map((v) => `(${v}::HUGEINT)`).join(", ");
    const table = await engine.query(`SELECT h, CAST(h AS DOUBLE) AS cast FROM (VALUES ${rows}) t(h)`);
    values.forEach((_, i) => {
      expect(Object.is(table.getChild("h")?.get(i), table.getChild("cast")?.get(i))).toBe(true);
      expect(decimalToDouble(BigInt(values[i] as string), 38, 0)).toBe(table.getChild("cast")?.get(i));
    });
  });
});

describe("decimalsToDoubles", () => {
  const decimalData = (values: readonly (bigint | null)[], precision: number, scale: number) => {
    const nullBitmap = new Uint8Array((values.length + 7) >> 3);
    values.forEach((v, i) => {
      if (v !== null) nullBitmap[i >> 3] = (nullBitmap[i >> 3] ?? 0) | (1 << (i & 7));
    });
    return makeData({
      type: new Decimal(scale, precision, 128),
      length: values.length,
      nullCount: values.filter((v) => v === null).length,
      nullBitmap,
      data: decimalWords(values.map((v) => v ?? 0n)),
    });
  };

  it("converts top-level and nested decimals (struct, list, fixed-size list) and keeps nulls", () => {
    const top = decimalData([1500n, null, -2500n], 18, 3);
    const inner = decimalData([125n, null, -7n, 99n], 9, 2);
    const listType = new List(new Field("item", inner.type, true));
    const list = makeData({ type: listType, length: 3, valueOffsets: new Int32Array([0, 2, 2, 4]), child: inner });
    const structChild = decimalData([15n, 25n, 35n], 38, 1);
    const ints = makeData({ type: new Int32(), length: 3, data: new Int32Array([1, 2, 3]) });
    const structType = new Struct([new Field("h", structChild.type, true), new Field("n", ints.type, true)]);
    const struct = makeData({ type: structType, length: 3, children: [structChild, ints] });
    const fixedChild = decimalData([11n, 22n, 33n, 44n, 55n, 66n], 4, 1);
    const fixedType = new FixedSizeList(2, new Field("item", fixedChild.type, true));
    const fixed = makeData({ type: fixedType, length: 3, child: fixedChild });
    const table = new Table({
      d: makeVector(top),
      l: makeVector(list),
      s: makeVector(struct),
      f: makeVector(fixed),
    });

    const converted = tableFromIPC(decimalIpcToDoubles(tableToIPC(table, "stream")));
    const types = converted.schema.fields.map((f) => String(f.type));
    expect(types).toEqual(["Float64", "List<Float64>", "Struct<{h:Float64, n:Int32}>", "FixedSizeList[2]<Float64>"]);
    const rows = converted.toArray().map((r) => r.toJSON());
    const plain = rows.map((r) => ({
      d: r.d,
      l: r.l ? Array.from(r.l) : null,
      s: r.s?.toJSON(),
      f: Array.from(r.f),
    }));
    expect(plain).toEqual([
      { d: 1.5, l: [1.25, null], s: { h: 1.5, n: 1 }, f: [1.1, 2.2] },
      { d: null, l: [], s: { h: 2.5, n: 2 }, f: [3.3, 4.4] },
      { d: -2.5, l: [-0.07, 0.99], s: { h: 3.5, n: 3 }, f: [5.5, 6.6] },
    ]);
  });

  it("converts a slice (a non-zero offset) and an empty result's schema", () => {
    const table = new Table({ d: makeVector(decimalData([10n, 20n, 30n, 40n], 9, 1)) });
    const sliced = decimalsToDoubles(table.slice(1, 3));
    expect(sliced.getChild("d")?.toArray()).toEqual(new Float64Array([2, 3]));
    const empty = tableFromIPC(decimalIpcToDoubles(tableToIPC(table.slice(0, 0), "stream")));
    expect(empty.schema.fields[0]?.type.typeId).toBe(Type.Float);
    expect(empty.numRows).toBe(0);
  });

  it("returns a result without decimals as the very same bytes", () => {
    const ipc = tableToIPC(
      new Table({ x: makeVector(makeData({ type: new Float64(), length: 1, data: new Float64Array([1]) })) }),
      "stream",
    );
    expect(decimalIpcToDoubles(ipc)).toBe(ipc);
  });

  it("converts a million top-level decimals quickly", () => {
    const n = 1_000_000;
    const words = new Uint32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const v = ((i * 7919) % 100_000) - 50_000;
      words[i * 4] = v >>> 0;
      const ext = v < 0 ? 0xffffffff : 0;
      words[i * 4 + 1] = ext;
      words[i * 4 + 2] = ext;
      words[i * 4 + 3] = ext;
    }
    const table = new Table({
      d: makeVector(makeData({ type: new Decimal(3, 18, 128), length: n, data: words })),
    });
    const ipc = tableToIPC(table, "stream");
    const started = performance.now();
    const converted = tableFromIPC(decimalIpcToDoubles(ipc));
    const elapsed = performance.now() - started;
    expect(converted.getChild("d")?.get(n - 1)).toBe(((((n - 1) * 7919) % 100_000) - 50_000) / 1000);
    expect(elapsed).toBeLessThan(1000);
  });
});
