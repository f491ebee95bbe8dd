import { describe, expect, it } from "vitest";
import {
  addCell,
  cellNameProblem,
  emptyNotebook,
  moveCell,
  removeCell,
  renameCell,
  updateCellSource,
} from "./document";

describe("notebook document", () => {
  it("adds cells with unique names, after a given cell", () => {
    let doc = emptyNotebook();
    const a = addCell(doc, "sql");
    doc = a.doc;
    const b = addCell(doc, "sql");
    doc = b.doc;
    const c = addCell(doc, "markdown", { after: a.cell.id });
    doc = c.doc;
    expect(doc.cells.map((x) => x.name)).toEqual(["q1", "md1", "q2"]);
  });

  it("refuses duplicate, dataset-clashing and malformed names", () => {
    let doc = addCell(emptyNotebook(), "sql", { name: "summary" }).doc;
    doc = {
      ...doc,
      datasets: [{ name: "reference", fileName: "r.parquet", format: "parquet", sizeBytes: 1, rows: 1, columns: [] }],
    };
    const other = addCell(doc, "sql").cell;
    doc = addCell(doc, "sql", { id: other.id, name: other.name }).doc;
    expect(cellNameProblem("Summary", doc, other.id)).toMatch(/already named/);
    expect(cellNameProblem("reference", doc, other.id)).toMatch(/dataset/);
    expect(cellNameProblem("my result", doc, other.id)).toMatch(/letters, digits/);
    expect(() => renameCell(doc, other.id, "1abc")).toThrow();
    expect(renameCell(doc, other.id, "by_group").cells.at(-1)?.name).toBe("by_group");
  });

  it("keeps the same document when nothing changes", () => {
    const { doc, cell } = addCell(emptyNotebook(), "sql", { source: "SELECT 1" });
    expect(updateCellSource(doc, cell.id, "SELECT 1")).toBe(doc);
    expect(updateCellSource(doc, cell.id, "SELECT 2").cells[0]?.source).toBe("SELECT 2");
    expect(moveCell(doc, cell.id, -1)).toBe(doc);
    expect(removeCell(doc, cell.id).cells).toHaveLength(0);
  });

  it("carries references along when a SQL cell is renamed", () => {
    let doc = addCell(emptyNotebook(), "sql", { name: "q1", source: "SELECT 1 AS x" }).doc;
    doc = addCell(doc, "sql", { name: "q2", source: "SELECT x FROM q1 WHERE 'q1' <> ''" }).doc;
    doc = addCell(doc, "check", {
      name: "perf",
      params: { family: "performance", source: "q1", label: "y", score: "x", threshold: 0.5, minRocAuc: 0.7 },
    }).doc;
    const q1 = doc.cells[0]!;
    const renamed = renameCell(doc, q1.id, "base");
    expect(renamed.cells[1]?.source).toBe("SELECT x FROM base WHERE 'q1' <> ''");
    expect(renamed.cells[2]?.params).toMatchObject({ source: "base" });
  });
});
