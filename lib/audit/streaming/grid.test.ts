import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";
import { openWasmEngine, type WasmEngine } from "../../provenance/testing/wasm-engine";
import { numberLiteral } from "../../sql/identifiers";
import { compileGridBins, gridBinInteger, gridBinOf, gridBinRange, gridBinUpperEdge, previousDouble } from "./grid";

let native: NodeEngine;
let wasm: WasmEngine;

beforeAll(async () => {
  native = await createNodeEngine();
  wasm = await openWasmEngine();
});
afterAll(async () => {
  await native.close();
  wasm.close();
});

/** Values where a bin changes, and the doubles next to them. */
const HARD: number[] = [
  0,
  -0,
  1,
  2,
  0.5,
  1 + 1 / 256,
  previousDouble(1 + 1 / 256),
  previousDouble(2),
  previousDouble(1),
  2 ** 1023,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  3 * Number.MIN_VALUE,
  2 ** -1022,
  previousDouble(2 ** -1022),
  2 ** -1060 * 1.7,
  1e-300,
  1e300,
  0.1,
  0.3,
  255,
  256,
  257,
  511.5,
  1e6 + 0.5,
];
const values = [...HARD, ...HARD.map((x) => -x).filter((x) => x !== 0)];

describe("the streaming grid", () => {
  it("puts every value inside the range of its bin", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const bin = gridBinOf(x);
        const { lo, hi } = gridBinRange(bin);
        if (bin === 0) return x === 0;
        return bin > 0 ? lo <= x && x < hi : lo < x && x <= hi;
      }),
      { numRuns: 20_000 },
    );
  });

  it("orders bins like values, and bins are at most 1/256 of their values wide", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (a, b) => {
          const [x, y] = a <= b ? [a, b] : [b, a];
          return gridBinOf(x) <= gridBinOf(y);
        },
      ),
      { numRuns: 20_000 },
    );
    for (const x of [1, 3.7, 1e-200, 1e200, 2 ** -1022]) {
      const { lo, hi } = gridBinRange(gridBinOf(x));
      expect((hi - lo) / lo).toBeLessThanOrEqual(1 / 256);
    }
  });

  it("gives the upper edge that counts a bin in and the next one out", () => {
    for (const x of values) {
      const bin = gridBinOf(x);
      const edge = gridBinUpperEdge(bin);
      expect(gridBinOf(edge)).toBe(bin);
      if (edge < Number.MAX_VALUE) {
        const above = -previousDouble(-edge);
        expect(gridBinOf(above)).toBeGreaterThan(bin);
      }
    }
  });

  it("finds the one integer of a narrow bin", () => {
    expect(gridBinInteger(gridBinOf(300))).toBe(300);
    expect(gridBinInteger(gridBinOf(-7))).toBe(-7);
    expect(gridBinInteger(gridBinOf(0))).toBe(0);
    expect(gridBinInteger(gridBinOf(1.5))).toBeNull();
    expect(gridBinInteger(gridBinOf(-1.5))).toBeNull();
  });

  it("is computed identically by JavaScript, native DuckDB and DuckDB-WASM", async () => {
    const random = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 3000);
    const spread = Array.from({ length: 2000 }, (_, i) => Math.exp((i - 1000) / 3) * (i % 2 ? 1 : -1));
    const xs = [...values, ...random, ...spread];
    const expected = xs.map(gridBinOf);
    const nativeRows = (await native.query(sqlBinsSql(xs))).toArray().map((r) => Number(r.bin));
    const wasmRows = wasm
      .query(sqlBinsSql(xs))
      .toArray()
      .map((r) => Number(r.bin));
    expect(nativeRows).toEqual(expected);
    expect(wasmRows).toEqual(expected);
  });
});

function sqlBinsSql(xs: readonly number[]): string {
  const rows = xs.map((x, i) => `(${i}, ${numberLiteral(x)}::DOUBLE)`).join(", ");
  return `${compileGridBins(`SELECT i, x FROM (VALUES ${rows}) t(i, x)`, ["i"])} ORDER BY i`;
}
