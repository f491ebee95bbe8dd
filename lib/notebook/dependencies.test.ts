import { describe, expect, it } from "vitest";
import { cellInputsKey, downstreamOf, runOrder, upstreamOf } from "./dependencies";
import { addCell, emptyNotebook } from "./document";
import type { NotebookDocument } from "./types";

function notebook(): NotebookDocument {
  let doc: NotebookDocument = {
    ...emptyNotebook(),
    datasets: [
      { name: "logs", fileName: "logs.parquet", format: "parquet", sizeBytes: 1, rows: 10, columns: [], sha256: "aa" },
    ],
  };
  doc = addCell(doc, "sql", { name: "c_uses_b", source: "SELECT * FROM b_uses_a" }).doc;
  doc = addCell(doc, "sql", { name: "a_base", source: "SELECT * FROM Logs" }).doc;
  doc = addCell(doc, "sql", { name: "b_uses_a", source: "SELECT * FROM \"a_base\" WHERE note = 'c_uses_b'" }).doc;
  doc = addCell(doc, "check", {
    name: "perf",
    params: { family: "performance", source: "b_uses_a", label: "y", score: "s", threshold: 0.5, minRocAuc: 0.7 },
  }).doc;
  return doc;
}

const byName = (doc: NotebookDocument, name: string) => doc.cells.find((c) => c.name === name)!;

describe("cell dependencies", () => {
  it("finds upstream cells and datasets by name, ignoring strings", () => {
    const doc = notebook();
    expect(upstreamOf(doc, byName(doc, "a_base"))).toEqual({ cells: [], datasets: ["logs"] });
    expect(upstreamOf(doc, byName(doc, "b_uses_a")).cells.map((c) => c.name)).toEqual(["a_base"]);
    expect(upstreamOf(doc, byName(doc, "perf")).cells.map((c) => c.name)).toEqual(["b_uses_a"]);
  });

  it("finds everything downstream, transitively", () => {
    const doc = notebook();
    expect(downstreamOf(doc, byName(doc, "a_base").id).map((c) => c.name)).toEqual(["c_uses_b", "b_uses_a", "perf"]);
  });

  it("orders a run so readers come after what they read", () => {
    const doc = notebook();
    expect(
      runOrder(
        doc,
        doc.cells.map((c) => c.id),
      ).map((c) => c.name),
    ).toEqual(["a_base", "b_uses_a", "c_uses_b", "perf"]);
  });

  it("changes a cell's inputs key when its source, an upstream run or a dataset changes", () => {
    const doc = notebook();
    const b = byName(doc, "b_uses_a");
    const a = byName(doc, "a_base");
    const key = cellInputsKey(doc, { [a.id]: 1 }, b);
    expect(cellInputsKey(doc, { [a.id]: 1 }, b)).toBe(key);
    expect(cellInputsKey(doc, { [a.id]: 2 }, b)).not.toBe(key);
    expect(cellInputsKey(doc, { [a.id]: 1 }, { ...b, source: `${b.source} LIMIT 1` })).not.toBe(key);
    const aKey = cellInputsKey(doc, {}, a);
    const rehashed = { ...doc, datasets: doc.datasets.map((d) => ({ ...d, sha256: "bb" })) };
    expect(cellInputsKey(rehashed, {}, a)).not.toBe(aKey);
  });
});
