/**
 * Decoding merges rows that repeat a GROUP BY key (a key split across threads), so no count is lost
 * or overwritten whichever way DuckDB hands the groups back.
 */
import { tableFromArrays } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { binTransform, decodeFineHistogram, decodeRefinement } from "./fine-histogram-sql";

const transform = binTransform(0, 10, 5, 2);
const spec = { reference: "r", current: "c", columns: [{ column: "x", transform }] };

describe("fine histogram decoding", () => {
  it("merges a (bin, side) group that comes back in two rows", () => {
    const table = tableFromArrays({
      col: Int32Array.from([0, 0, 0]),
      bin: Int32Array.from([7, 7, 7]),
      side: Int32Array.from([0, 0, 1]),
      n: Float64Array.from([3, 2, 4]),
      lo: Float64Array.from([1.5, 1.2, 1.3]),
      hi: Float64Array.from([1.6, 1.9, 1.4]),
      dev: Float64Array.from([-10, -7, -14]),
    });
    const [h] = decodeFineHistogram(spec, table);
    expect(h?.reference.n[7]).toBe(5);
    expect(h?.reference.lo[7]).toBe(1.2);
    expect(h?.reference.hi[7]).toBe(1.9);
    expect(h?.reference.dev[7]).toBe(-17);
    expect(h?.current.n[7]).toBe(4);
  });

  it("merges a refined value that comes back in two rows", () => {
    const table = tableFromArrays({
      col: Int32Array.from([0, 0, 0, 0]),
      bin: Int32Array.from([7, 7, 7, 8]),
      v: Float64Array.from([1.2, 1.5, 1.5, 2]),
      r: Float64Array.from([1, 2, 1, 0]),
      c: Float64Array.from([0, 1, 3, 2]),
    });
    const [values] = decodeRefinement({ ...spec, columns: [{ column: "x", transform, bins: [7, 8] }] }, table);
    expect(Array.from(values?.value ?? [])).toEqual([1.2, 1.5, 2]);
    expect(Array.from(values?.reference ?? [])).toEqual([1, 3, 0]);
    expect(Array.from(values?.current ?? [])).toEqual([0, 4, 2]);
  });
});
