import { describe, expect, it } from "vitest";
import type { CellResultRecord } from "../notebook/format/types";
import { compareRuns } from "./compare-runs";

const stored = (resultHash: string, summary: CellResultRecord["summary"]): CellResultRecord => ({
  resultHash,
  ordered: false,
  rowCount: summary.length,
  columns: [
    { name: "group", type: "VARCHAR" },
    { name: "rate", type: "DOUBLE" },
  ],
  summary,
  ranAt: "2025-03-01T10:00:00.000Z",
  engineVersion: "v1.4.3",
});

describe("compareRuns", () => {
  it("reports same, different (values side by side), missing and new, in notebook order", () => {
    const before = {
      c1: stored("1".repeat(64), [["a", 0.5]]),
      c2: stored("2".repeat(64), [
        ["a", 0.5],
        ["b", { $float: "NaN" }],
      ]),
      c3: stored("3".repeat(64), []),
    };
    const after = {
      c2: {
        resultHash: "9".repeat(64),
        rowCount: 2,
        summary: [
          ["a", 0.5],
          ["b", 0.25],
        ],
      },
      c1: { resultHash: "1".repeat(64), summary: [["a", 0.5]] },
      c4: { resultHash: "4".repeat(64), summary: [] },
    };
    const result = compareRuns(before, after, ["c1", "c2", "c3", "c4"]);
    expect(result.map((r) => [r.cellId, r.status])).toEqual([
      ["c1", "same"],
      ["c2", "different"],
      ["c3", "missing"],
      ["c4", "new"],
    ]);
    expect(result[1]?.differences).toEqual([
      { row: 1, column: 1, name: "rate", before: { $float: "NaN" }, after: 0.25 },
    ]);
    expect(result[1]?.message).toBe("Different result hash. 1 of the first 2 rows' values differ.");
  });

  it("says when the difference lies beyond the summary", () => {
    const before = { c1: { ...stored("1".repeat(64), [["a", 1]]), rowCount: 100 } };
    const after = { c1: { resultHash: "2".repeat(64), rowCount: 101, summary: [["a", 1]] } };
    const [r] = compareRuns(before, after);
    expect(r?.differences).toEqual([]);
    expect(r?.message).toBe(
      "Different result hash. Row count 100 → 101. The first rows agree; the difference is further down.",
    );
  });
});
