import { describe, expect, it } from "vitest";
import { addAuditTemplate } from "./audit-template";
import { emptyNotebook } from "./document";
import type { NotebookDocument } from "./types";

const columns = [
  { name: "age", type: "INTEGER" },
  { name: "sex", type: "VARCHAR" },
  { name: "score", type: "DOUBLE" },
  { name: "prediction", type: "INTEGER" },
  { name: "label", type: "INTEGER" },
  { name: "latency_ms", type: "DOUBLE" },
];

/** A notebook with datasets `ref` and `cur` of the columns above. */
/** The families the template adds, in its order (canary last, when a version pair is chosen). */
const TEMPLATE_ORDER = ["quality", "drift", "performance", "calibration", "fairness", "slices", "operational"];

/** The audit's datasets and columns in `twoDatasets`. */
const CHOICES = { reference: "ref", current: "cur", label: "label", score: "score", groups: ["sex"] };

function twoDatasets(options: { streamedReference?: boolean } = {}): NotebookDocument {
  return {
    ...emptyNotebook(),
    datasets: [
      {
        name: "ref",
        fileName: "r.parquet",
        format: "parquet",
        sizeBytes: 1,
        rows: 1,
        columns,
        ...(options.streamedReference ? { streamed: true as const } : {}),
      },
      { name: "cur", fileName: "c.parquet", format: "parquet", sizeBytes: 1, rows: 1, columns },
    ],
  };
}

describe("audit template", () => {
  it("adds the standard checks in order, with the chosen columns", () => {
    const doc = twoDatasets();
    const out = addAuditTemplate(doc, CHOICES);
    expect(out.title).toBe("Audit: cur vs ref");
    expect(out.cells.map((c) => c.params?.family ?? c.kind)).toEqual(["markdown", ...TEMPLATE_ORDER]);
    const drift = out.cells.find((c) => c.params?.family === "drift")?.params;
    expect(drift?.family === "drift" && drift.columns).toEqual(["age"]);
    const fairness = out.cells.find((c) => c.params?.family === "fairness")?.params;
    expect(fairness?.family === "fairness" && fairness.attributes).toEqual(["sex"]);
    expect(new Set(out.cells.map((c) => c.name)).size).toBe(out.cells.length);
  });

  it("offers every family on a streamed dataset, and says how they read it", () => {
    const doc = twoDatasets({ streamedReference: true });
    const out = addAuditTemplate(doc, { ...CHOICES, canary: { column: "sex", baseline: "f", candidate: "m" } });
    expect(out.cells.filter((c) => c.kind === "check").map((c) => c.params?.family)).toEqual([
      ...TEMPLATE_ORDER,
      "canary",
    ]);
    expect(out.cells[0]?.source).toMatch(
      /`ref` was streamed \(read row group by row group, not loaded\): the checks read/,
    );
    expect(out.cells[0]?.source).not.toMatch(/left out/);
  });
});
