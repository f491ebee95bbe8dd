import { describe, expect, it } from "vitest";
import { distinctEdges, doaneEdges, linspace, quantileLabels, sturgesEdges } from "./histogram-edges";
import cases from "./testdata/edges.json";

describe("histogram edges", () => {
  it("reproduce numpy histogram_bin_edges('sturges' | 'doane') bit for bit", () => {
    for (const c of cases) {
      expect(sturgesEdges(c.min, c.max, c.n), `sturges n=${c.n}`).toEqual(c.sturges);
      // g1 comes from NumPy here; Assay computes it in SQL (differences of a few ulps only move an edge
      // when 1 + log2 n + log2(1 + |g1|/σ) sits on an integer).
      expect(doaneEdges(c.min, c.max, c.n, c.std, c.g1), `doane n=${c.n}`).toEqual(c.doane);
    }
  });

  it("linspace ends exactly on stop", () => {
    expect(linspace(0, 1, 4)).toEqual([0, 1 / 3, 2 / 3, 1]);
    expect(linspace(0.1, 0.3, 3).at(-1)).toBe(0.3);
  });

  it("collapses tied deciles and labels right-closed bins with open ends", () => {
    expect(distinctEdges([1, 1, 1, 2, 2, 3, 3, 3, 3])).toEqual([1, 2, 3]);
    expect(quantileLabels([1, 2])).toEqual(["(-inf, 1]", "(1, 2]", "(2, +inf)"]);
  });
});
