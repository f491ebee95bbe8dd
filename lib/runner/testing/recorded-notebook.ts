/**
 * Test helper: a notebook over the bundled sample logs (public/samples/*.parquet) with SQL
 * cells, check cells, a markdown cell and a TypeScript cell, whose results were recorded by
 * running the runner once — the file a browser session would have exported.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CheckParams } from "../../audit/checks/types";
import { describeRelation } from "../../audit/validate";
import type { QueryFn } from "../../engine/types";
import { type BuildCell, buildNotebookFile } from "../../notebook/format/build";
import type { AssayNotebookFile, EvidenceEntry } from "../../notebook/format/types";
import type { DatasetRef } from "../../notebook/types";
import { appendEvidence } from "../../provenance/evidence-log";
import { quoteIdentifier, quoteString } from "../../sql/identifiers";
import { recordsOf, runNotebook } from "../run-notebook";

export const SAMPLES_DIR = join(process.cwd(), "public", "samples");
export const SAMPLE_FILES = {
  reference: join(SAMPLES_DIR, "reference.parquet"),
  production: join(SAMPLES_DIR, "production.parquet"),
} as const;

export const FAIRNESS_PARAMS: CheckParams = {
  family: "fairness",
  source: "production",
  label: "label",
  score: "score",
  prediction: "prediction",
  threshold: 0.5,
  attributes: ["sex"],
  minParityRatio: 0.3,
  minGroupSize: 30,
};

export const CALIBRATION_PARAMS: CheckParams = {
  family: "calibration",
  source: "production",
  label: "label",
  score: "score",
  bins: 10,
  strategy: "uniform",
  maxEce: 0.5,
};

/** The notebook's cells; `overrides` replaces params by cell id (e.g. a stricter threshold). */
export function sampleCells(overrides: Record<string, CheckParams> = {}): BuildCell[] {
  return [
    { id: "m1", kind: "markdown", name: "intro", source: "# Sample audit\nRe-run headlessly." },
    {
      id: "s1",
      kind: "sql",
      name: "by_band",
      source:
        "SELECT age_band, count(*) AS n, avg(score) AS mean_score\nFROM production\nGROUP BY age_band\nORDER BY age_band",
    },
    {
      id: "s2",
      kind: "sql",
      name: "recent",
      source:
        "CREATE OR REPLACE TEMP TABLE scratch AS SELECT * FROM production WHERE label = 1;\nSELECT sex, count(*) AS positives FROM scratch GROUP BY sex",
    },
    { id: "s3", kind: "sql", name: "bands_again", source: "SELECT * FROM by_band WHERE n > 0" },
    { id: "k1", kind: "check", name: "fairness", source: "", params: { ...(overrides.k1 ?? FAIRNESS_PARAMS) } },
    { id: "k2", kind: "check", name: "calibration", source: "", params: { ...(overrides.k2 ?? CALIBRATION_PARAMS) } },
    { id: "t1", kind: "ts", name: "plot", source: "export default 1;" },
  ];
}

function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Creates the sample views `reference` and `production` on `query`. */
export async function loadSampleViews(exec: (sql: string) => Promise<unknown>): Promise<void> {
  for (const [name, path] of Object.entries(SAMPLE_FILES)) {
    await exec(`CREATE OR REPLACE VIEW ${quoteIdentifier(name)} AS SELECT * FROM read_parquet(${quoteString(path)})`);
  }
}

async function datasetRefs(query: QueryFn): Promise<DatasetRef[]> {
  const refs: DatasetRef[] = [];
  for (const [name, path] of Object.entries(SAMPLE_FILES)) {
    const count = await query(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`);
    refs.push({
      name,
      fileName: `${name}.parquet`,
      format: "parquet",
      sizeBytes: statSync(path).size,
      rows: Number(count.getChildAt(0)?.get(0)),
      columns: await describeRelation(query, name),
      sha256: sha256(path),
    });
  }
  return refs;
}

/**
 * Builds the sample notebook, runs it once on `query` (which must hold the sample views) and
 * returns the sealed file with those results and one evidence entry per check.
 */
export async function recordedNotebook(query: QueryFn, cells = sampleCells()): Promise<AssayNotebookFile> {
  const datasets = await datasetRefs(query);
  const document = { title: "Sample audit", cells, datasets };
  const draft = await buildNotebookFile({
    document,
    app: { name: "assay", version: "0.1.0" },
    engine: { version: "v1.4.3" },
    createdAt: "2026-03-02T10:00:00.000Z",
  });
  const now = () => new Date("2026-03-02T10:00:00.000Z");
  const report = await runNotebook(query, draft, { engineVersion: "v1.4.3", now });
  let evidence: EvidenceEntry[] = [];
  for (const c of report.cells) {
    if (c.kind !== "check" || !c.hash) continue;
    evidence = await appendEvidence(evidence, {
      at: now().toISOString(),
      cellId: c.cellId,
      cellName: c.name,
      inputs: [{ name: "production", sha256: datasets[1]?.sha256 as string }],
      verdict: c.verdict,
      resultHash: c.hash,
    });
  }
  return buildNotebookFile({
    document,
    results: recordsOf(report),
    evidence,
    app: { name: "assay", version: "0.1.0" },
    engine: { version: "v1.4.3" },
    createdAt: "2026-03-02T10:00:00.000Z",
  });
}
