import { Float64, Table, Utf8, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { buildNotebookFile } from "../notebook/format/build";
import { parseNotebook } from "../notebook/format/parse";
import { serializeNotebook } from "../notebook/format/serialize";
import { compareRuns } from "./compare-runs";
import { recomputedResult, resultRecord } from "./result-record";

const table = (values: number[]) =>
  new Table({
    group: vectorFromArray(["a", "b", "c"].slice(0, values.length), new Utf8()),
    rate: vectorFromArray(values, new Float64()),
  });

describe("resultRecord", () => {
  it("stores a result that survives export and compares with a re-run", async () => {
    const record = await resultRecord(table([0.5, Number.NaN, 0.25]), {
      ranAt: "2025-03-01T10:00:00.000Z",
      engineVersion: "v1.4.3",
      columns: [
        { name: "group", type: "VARCHAR" },
        { name: "rate", type: "DOUBLE" },
      ],
      verdicts: [{ label: "rate ≤ 0.6", status: "pass" }],
    });
    expect(record).toMatchObject({ rowCount: 3, ordered: false, columns: [{ type: "VARCHAR" }, { type: "DOUBLE" }] });
    expect(record.summary[1]).toEqual(["b", { $float: "NaN" }]);

    const file = await buildNotebookFile({
      document: { title: "t", cells: [{ id: "c1", kind: "sql", name: "q1", source: "SELECT 1" }], datasets: [] },
      results: { c1: record, gone: record },
      app: { name: "assay", version: "0.1.0" },
      engine: { version: "v1.4.3" },
    });
    expect(Object.keys(file.results)).toEqual(["c1"]);
    const parsed = parseNotebook(serializeNotebook(file));
    expect(parsed.ok && parsed.file.results.c1).toEqual(record);

    const same = await recomputedResult(table([0.5, Number.NaN, 0.25]), record.ordered);
    const changed = await recomputedResult(table([0.5, 0.3, 0.25]), record.ordered);
    expect(compareRuns({ c1: record }, { c1: same })[0]?.status).toBe("same");
    expect(compareRuns({ c1: record }, { c1: changed })[0]?.differences).toEqual([
      { row: 1, column: 1, name: "rate", before: { $float: "NaN" }, after: 0.3 },
    ]);
  });
});
