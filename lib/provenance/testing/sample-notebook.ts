/** A small but complete notebook file for tests: three cell kinds, a dataset, results, evidence. */
import { buildNotebookFile } from "../../notebook/format/build";
import type { AssayNotebookFile, CellResultRecord } from "../../notebook/format/types";
import type { DatasetRef } from "../../notebook/types";
import { appendEvidence } from "../evidence-log";

export const SAMPLE_SHA = "a".repeat(64);
const HASH_1 = "1".repeat(64);
const HASH_2 = "2".repeat(64);

export const SAMPLE_DATASET: DatasetRef = {
  name: "preds",
  fileName: "predictions 2025.csv",
  format: "csv",
  sizeBytes: 123456,
  rows: 1000,
  columns: [
    { name: "label", type: "BIGINT" },
    { name: "score é", type: "DOUBLE" },
  ],
  sha256: SAMPLE_SHA,
};

function result(resultHash: string, summary: CellResultRecord["summary"], extra: Partial<CellResultRecord> = {}) {
  return {
    resultHash,
    ordered: false,
    rowCount: summary.length,
    columns: [
      { name: "k", type: "VARCHAR" },
      { name: "v", type: "DOUBLE" },
    ],
    summary,
    ranAt: "2025-03-01T10:00:00.000Z",
    engineVersion: "v1.4.3",
    ...extra,
  } satisfies CellResultRecord;
}

export async function sampleNotebook(): Promise<AssayNotebookFile> {
  let evidence = await appendEvidence([], {
    at: "2025-03-01T10:00:01.000Z",
    cellId: "c3",
    cellName: "auc_check",
    inputs: [{ name: "preds", sha256: SAMPLE_SHA }],
    verdict: "pass",
    resultHash: HASH_2,
  });
  evidence = await appendEvidence(evidence, {
    at: "2025-03-01T11:00:01.000Z",
    cellId: "c3",
    cellName: "auc_check",
    inputs: [{ name: "preds", sha256: SAMPLE_SHA }],
    verdict: "fail",
    resultHash: HASH_1,
  });
  return buildNotebookFile({
    document: {
      title: "Credit model audit — Q1",
      cells: [
        { id: "c1", kind: "sql", name: "q1", source: 'SELECT label, avg("score é")\r\nFROM preds\r\nGROUP BY 1' },
        { id: "c2", kind: "markdown", name: "md1", source: "# Notes\n\n* ünïcode ✓ 🚀" },
        {
          id: "c3",
          kind: "check",
          name: "auc_check",
          source: "",
          params: { metric: "auc", threshold: 0.8, columns: ["label", "score é"], nested: { a: null, b: [1, 2.5] } },
        },
      ],
      datasets: [SAMPLE_DATASET],
    },
    results: {
      c1: result(HASH_1, [
        ["0", 0.123456789],
        ["1", { $float: "NaN" }],
      ]),
      c3: result(HASH_2, [["auc", 0.91]], {
        verdicts: [{ label: "AUC ≥ 0.8", status: "pass", detail: { value: 0.91 } }],
      }),
    },
    evidence,
    app: { name: "assay", version: "0.1.0" },
    engine: { version: "v1.4.3", nativeVersion: "v1.4.3" },
    createdAt: "2025-03-01T12:00:00.000Z",
  });
}
