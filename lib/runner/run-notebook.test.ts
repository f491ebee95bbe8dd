import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSampleEngine } from "../audit/testing/sample-data";
import type { NodeEngine } from "../engine/node-engine";
import { buildNotebookFile } from "../notebook/format/build";
import type { AssayNotebookFile } from "../notebook/format/types";
import { defaultCheckParams } from "../audit/checks/defaults";
import { runCheck } from "../audit/checks/run-check";
import { describeRelation } from "../audit/validate";
import { computeManifest, verifyManifest } from "../provenance/manifest";
import { resultRecord } from "../provenance/result-record";
import { checkResultTable } from "./check-record";
import { runNotebook } from "./run-notebook";
import { runSqlCell } from "./sql-cell";
import { CALIBRATION_PARAMS, recordedNotebook, sampleCells } from "./testing/recorded-notebook";

let engine: NodeEngine;
let file: AssayNotebookFile;

beforeAll(async () => {
  engine = await openSampleEngine();
  file = await recordedNotebook(engine.query);
}, 60_000);
afterAll(() => engine.close());

describe("runSqlCell", () => {
  it("materialises the last query under the cell's name after running the others", async () => {
    const t = await runSqlCell(
      engine.query,
      "CREATE OR REPLACE TEMP TABLE t1 AS SELECT 1 AS a; -- a comment; with a semicolon\nSELECT a + 1 AS b FROM t1;",
      "cell out",
    );
    expect(t.toArray().map((r) => r.toJSON())).toEqual([{ b: 2 }]);
    const again = await engine.query(`SELECT * FROM "cell out"`);
    expect(again.numRows).toBe(1);
  });

  it("returns a non-query last statement's own output and creates nothing", async () => {
    const t = await runSqlCell(engine.query, "DESCRIBE SELECT 1 AS x", "not_made");
    expect(t.getChild("column_name")?.get(0)).toBe("x");
    await expect(engine.query(`SELECT * FROM not_made`)).rejects.toThrow();
  });

  it("refuses to replace a dataset and an empty cell", async () => {
    await expect(
      runSqlCell(engine.query, "SELECT 1", "production", { datasets: new Set(["production"]) }),
    ).rejects.toThrow(/is a dataset/);
    await expect(runSqlCell(engine.query, "-- nothing", "x")).rejects.toThrow(/no SQL/);
  });
});

describe("runNotebook", () => {
  it("runs drift through profiles when the notebook streamed its data, and seals the flag", async () => {
    const columns = async (name: string) => ({ name, columns: await describeRelation(engine.query, name) });
    const drift = defaultCheckParams("drift", {
      current: await columns("production"),
      reference: await columns("reference"),
    });
    const datasets = file.notebook.datasets.map((d) => ({ ...d, streamed: true as const }));
    const streamedFile = await buildNotebookFile({
      document: {
        title: "Streamed",
        cells: [{ id: "d1", kind: "check", name: "drift", source: "", params: { ...drift } }],
        datasets,
      },
      app: { name: "assay", version: "0.1.0" },
      engine: { version: "v1.4.3" },
      createdAt: "2026-03-02T10:00:00.000Z",
    });
    expect(streamedFile.notebook.datasets.every((d) => d.streamed === true)).toBe(true);
    const report = await runNotebook(engine.query, streamedFile, { engineVersion: "v1.4.3" });
    const outcome = await runCheck(engine.query, drift, { streamed: new Set(["reference", "production"]) });
    const expected = await resultRecord(checkResultTable(outcome), {
      ordered: true,
      ranAt: "",
      engineVersion: "v1.4.3",
    });
    expect(report.cells[0]?.hash).toBe(expected.resultHash);
    if (outcome.result.family !== "drift") throw new Error("not drift");
    expect(outcome.result.drift.trace.some((line) => line.includes("streamed profile"))).toBe(true);

    // The flag is part of the sealed content: removing it is detected; files without it keep their digest.
    const { streamed: _, ...plain } = streamedFile.notebook.datasets[0] as (typeof datasets)[number];
    const altered = {
      ...streamedFile,
      notebook: { ...streamedFile.notebook, datasets: [plain, ...streamedFile.notebook.datasets.slice(1)] },
    };
    expect((await verifyManifest(streamedFile)).valid).toBe(true);
    expect((await verifyManifest(altered)).valid).toBe(false);
    expect((await computeManifest(file)).digest).toBe(file.manifest.digest);
  });

  it("reproduces every recorded hash; skips markdown silently and the TypeScript cell with a reason", async () => {
    const events: string[] = [];
    const report = await runNotebook(engine.query, file, {
      onProgress: (e) => events.push(`${e.phase}:${e.cell.name}`),
    });
    expect(report.cells.map((c) => [c.name, c.status])).toEqual([
      ["by_band", "same"],
      ["recent", "same"],
      ["bands_again", "same"],
      ["fairness", "same"],
      ["calibration", "same"],
      ["plot", "skipped"],
    ]);
    expect(report.cells.at(-1)?.message).toMatch(/TypeScript cells run only in the browser sandbox/);
    expect(report.mismatch).toBe(false);
    expect(report.failedChecks).toBe(0);
    expect(report.counts).toMatchObject({ same: 5, skipped: 1, different: 0, error: 0 });
    expect(events).toHaveLength(12);
    const fairness = report.cells.find((c) => c.name === "fairness");
    expect(fairness?.verdicts[0]).toMatchObject({ label: "Demographic parity ratio (sex)" });
    expect(fairness?.hash).toBe(file.results.k1?.resultHash);
    // SQL records carry DuckDB's types, as the app's do.
    expect(file.results.s1?.columns.map((c) => c.type)).toEqual(["VARCHAR", "BIGINT", "DOUBLE"]);
  });

  it("a stricter threshold fails the check and changes its hash", async () => {
    const cells = sampleCells({ k2: { ...CALIBRATION_PARAMS, maxEce: 0.0001 } as typeof CALIBRATION_PARAMS });
    const changed = await buildNotebookFile({
      document: { title: file.notebook.title, cells, datasets: file.notebook.datasets },
      results: file.results,
      app: file.app,
      engine: file.engine,
    });
    const report = await runNotebook(engine.query, changed);
    const calibration = report.cells.find((c) => c.name === "calibration");
    expect(calibration).toMatchObject({ status: "different", verdict: "fail" });
    expect(report.failedChecks).toBe(1);
    expect(report.verdict).toBe("fail");
    expect(report.mismatch).toBe(true);
  });

  it("a failing cell is an error and later cells that use it fail too; new cells are 'new'", async () => {
    const cells = sampleCells().map((c) => (c.id === "s1" ? { ...c, source: "SELECT nope FROM production" } : c));
    cells.push({ id: "s9", kind: "sql", name: "extra", source: "SELECT 42 AS answer" });
    const changed = await buildNotebookFile({
      document: { title: "x", cells, datasets: file.notebook.datasets },
      results: file.results,
      app: file.app,
      engine: file.engine,
    });
    await engine.exec("DROP TABLE IF EXISTS by_band");
    const report = await runNotebook(engine.query, changed);
    const by = Object.fromEntries(report.cells.map((c) => [c.name, c]));
    expect(by.by_band?.status).toBe("error");
    expect(by.by_band?.error?.message).toMatch(/nope/);
    expect(by.bands_again?.status).toBe("error");
    expect(by.extra?.status).toBe("new");
    expect(by.fairness?.status).toBe("same");
  });

  it("reports a check with invalid params as an error", async () => {
    const cells = sampleCells().map((c) => (c.id === "k1" ? { ...c, params: { family: "astrology" } } : c));
    const changed = await buildNotebookFile({
      document: { title: "x", cells, datasets: file.notebook.datasets },
      app: file.app,
      engine: file.engine,
    });
    const report = await runNotebook(engine.query, changed);
    expect(report.cells.find((c) => c.cellId === "k1")).toMatchObject({ status: "error", verdict: "error" });
    expect(report.verdict).toBe("error");
  });
});
