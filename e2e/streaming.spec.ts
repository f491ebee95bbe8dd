/**
 * Streaming a Parquet file: the file is profiled row group by row group in the worker,
 * never loaded as a table; a drift check reads the two profiles and gives the library's verdicts;
 * SQL and other checks on a streamed dataset say why they cannot run; bad files give a message.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { defaultCheckParams } from "../lib/audit/checks/defaults";
import { guessColumns } from "../lib/audit/checks/guess-columns";
import { CHECK_FAMILIES, type CheckParams } from "../lib/audit/checks/types";
import { runCheck } from "../lib/audit/checks/run-check";
import { openSampleEngine } from "../lib/audit/testing/sample-data";
import { createNodeEngine, type NodeEngine } from "../lib/engine/node-engine";
import { describeRelation } from "../lib/audit/validate";
import { profileStream, streamedDrift, wholeRelation } from "../lib/audit/streaming";
import {
  addSqlCell,
  cell,
  expect,
  openEmptyNotebook,
  openWithSamples,
  runCell,
  runCheckOn,
  SAMPLES,
  test,
  createAuditFromTemplate,
} from "./fixtures";

/**
 * Writes `select` with native DuckDB as `<name>.parquet` in row groups of `rowGroup` rows (DuckDB
 * rounds them up to its 2 048-row vectors), in a temporary folder; opens an empty notebook, streams
 * the file and waits until it is profiled. `remove` deletes the folder.
 */
async function streamWrittenParquet(
  page: Page,
  engine: NodeEngine,
  file: { name: string; select: string; rowGroup: number },
): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "assay-stream-"));
  const path = join(dir, `${file.name}.parquet`);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await engine.exec(`COPY (${file.select}) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE ${file.rowGroup})`);
    await openEmptyNotebook(page);
    await page.getByTestId("stream-input").setInputFiles(path);
    await expect(
      page.locator(`[data-testid="dataset"][data-name="${file.name}"] [data-testid="dataset-streamed"]`),
    ).toBeVisible({ timeout: 120_000 });
  } catch (error) {
    remove();
    throw error;
  }
  return { path, remove };
}

async function streamSamples(page: Page) {
  await openWithSamples(page, "stream-input");
  for (const name of ["reference", "production"]) {
    const card = page.locator(`[data-testid="dataset"][data-name="${name}"]`);
    await expect(card.getByTestId("dataset-streamed")).toBeVisible();
    // What streaming left out is said on the dataset.
    await expect(card.getByTestId("dataset-note")).toContainText(
      /"ts" \(TIMESTAMP\) is neither numeric nor categorical/,
    );
  }
}

test("a drift check on two streamed Parquet files gives the library's verdict per column", async ({ page }) => {
  await streamSamples(page);
  await expect(page.locator('[data-testid="dataset"][data-name="reference"] [data-testid="dataset-rows"]')).toHaveText(
    "6,000",
  );
  await page.getByTestId("add-check").selectOption("drift");
  const drift = cell(page, "drift");
  await drift.getByTestId("field-reference").selectOption("reference");
  await drift.getByTestId("field-current").selectOption("production");
  await drift.getByTestId("run-cell").click();
  await expect(drift).toHaveAttribute("data-status", "done", { timeout: 60_000 });

  // The same profiles on native DuckDB, through the same library code, over the check's columns.
  const rows = drift.locator('[data-testid="drift-table"] tbody tr');
  await expect(rows).not.toHaveCount(0);
  const columns = await rows.locator("td:first-child").allTextContents();
  expect(columns.length).toBeGreaterThan(3);
  const engine = await openSampleEngine();
  const profile = async (name: string) =>
    (await profileStream(engine.query, await wholeRelation(engine.query, name, `${name}.parquet`))).profile;
  const expected = streamedDrift(await profile("reference"), await profile("production"), { columns });
  await engine.close();

  await expect(rows).toHaveCount(expected.columns.length);
  for (const [i, c] of expected.columns.entries()) {
    const cells = rows.nth(i).locator("td");
    await expect(cells.nth(0)).toHaveText(c.column);
    await expect(cells.nth(2)).toHaveText(c.method);
    await expect(cells.nth(6)).toHaveText(new RegExp(`^${c.drifted ? "yes" : "no"}`));
    // Approximate statistics carry their bound.
    if (c.errorBounds && c.method === "wasserstein") await expect(cells.nth(3)).toContainText("±");
  }
  const flagged = expected.columns.filter((c) => c.drifted || c.undetermined).length;
  await expect(drift.getByTestId("verdict").first()).toHaveAttribute(
    "data-verdict",
    flagged / expected.columns.length < 0.05 ? "pass" : "fail",
  );
});

test("fairness, performance, calibration and slices checks on a streamed file add up their counts row group by row group", async ({
  page,
}) => {
  // The production sample (4 000 rows) rewritten in small row groups, so the check adds up two batches.
  const engine = await openSampleEngine();
  let written: { remove(): void } | undefined;
  try {
    written = await streamWrittenParquet(page, engine, {
      name: "production",
      select: "SELECT * FROM production",
      rowGroup: 500,
    });
    const fairness = await runCheckOn(page, "fairness", "production");
    await expect(fairness.getByTestId("check-trace")).toContainText('added up over 2 batches of "production"');
    // The same check on native DuckDB over the whole table gives the same measurements.
    const current = { name: "production", columns: await describeRelation(engine.query, "production") };
    const expected = await runCheck(engine.query, defaultCheckParams("fairness", { current }));
    const shown = fairness.getByTestId("measurement");
    await expect(shown).toHaveCount(expected.measurements.length);
    for (const [i, m] of expected.measurements.entries()) {
      expect(Number(await shown.nth(i).getAttribute("data-value")), m.label).toBeCloseTo(m.value as number, 9);
      expect(await shown.nth(i).getAttribute("data-verdict")).toBe(m.verdict);
    }

    // Performance: counts and per-score-bin ranges; the gate reads ROC AUC's lower end. The
    // native CLI path reads the table as one batch: the same bins, so the same measurement.
    const performance = await runCheckOn(page, "performance", "production");
    const auc = await runCheck(engine.query, defaultCheckParams("performance", { current }), {
      streamed: new Set(["production"]),
    });
    expect(Number(await performance.getByTestId("measurement").first().getAttribute("data-value"))).toBeCloseTo(
      auc.measurements[0]?.value as number,
      9,
    );

    // Calibration's uniform bins add up the same way.
    const calibration = await runCheckOn(page, "calibration", "production");
    await expect(calibration.getByTestId("check-trace")).toContainText('added up over 2 batches of "production"');
    const ece = await runCheck(engine.query, defaultCheckParams("calibration", { current }));
    const shownEce = calibration.getByTestId("measurement");
    await expect(shownEce).toHaveCount(ece.measurements.length);
    expect(Number(await shownEce.first().getAttribute("data-value"))).toBeCloseTo(
      ece.measurements[0]?.value as number,
      9,
    );

    // Worst slices: two passes over the row groups give the native one-batch search's slices.
    const slices = await runCheckOn(page, "slices", "production");
    await expect(slices.getByTestId("check-trace")).toContainText("(2 batches per pass)");
    const worst = await runCheck(engine.query, defaultCheckParams("slices", { current }), {
      streamed: new Set(["production"]),
    });
    const shownGap = slices.getByTestId("measurement");
    await expect(shownGap).toHaveCount(worst.measurements.length);
    expect(Number(await shownGap.first().getAttribute("data-value"))).toBeCloseTo(
      worst.measurements[0]?.value as number,
      12,
    );
    await expect(shownGap.first()).toHaveAttribute("data-verdict", worst.measurements[0]?.verdict as string);
    if (worst.result.family !== "slices") throw new Error("not slices");
    const described = worst.result.slices.slices[0]?.description as string;
    await expect(slices).toContainText(described);
  } finally {
    await engine.close();
    written?.remove();
  }
});

test("a new audit on streamed files runs every check, canary included, and says how they read the files", async ({
  page,
}) => {
  await streamSamples(page);
  await createAuditFromTemplate(page, { canary: true });
  const checks = page.locator('[data-testid="cell"][data-cell-kind="check"]');
  // One check of every family.
  await expect(checks).toHaveCount(8);
  for (const name of CHECK_FAMILIES) {
    await expect(cell(page, name)).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  }
  await expect(page.getByText(/were streamed \(read row group by row group, not loaded\)/)).toBeVisible();
  // The canary check gives the native one-batch measurement (the CLI's path for a streamed dataset).
  const engine = await openSampleEngine();
  try {
    const current = { name: "production", columns: await describeRelation(engine.query, "production") };
    const version = guessColumns(current.columns).version as string;
    const values = (
      await engine.query(`SELECT DISTINCT CAST("${version}" AS VARCHAR) AS v FROM production ORDER BY v`)
    ).toArray();
    const params = {
      ...defaultCheckParams("canary", { current }),
      versionColumn: version,
      baseline: String(values[0]?.v),
      candidate: String(values[1]?.v),
      label: "label",
      score: "score",
    } as CheckParams;
    const expected = await runCheck(engine.query, params, { streamed: new Set(["production"]) });
    const shown = cell(page, "canary").getByTestId("measurement").first();
    expect(Number(await shown.getAttribute("data-value"))).toBeCloseTo(expected.measurements[0]?.value as number, 9);
    await expect(shown).toHaveAttribute("data-verdict", expected.measurements[0]?.verdict as string);
  } finally {
    await engine.close();
  }
});

test("SQL and other checks on a streamed dataset say why they cannot run, and bad files are refused", async ({
  page,
}) => {
  await streamSamples(page);
  await addSqlCell(page, "q", "SELECT count(*) FROM reference");
  await runCell(page, "q");
  await expect(cell(page, "q").getByTestId("cell-error")).toContainText(
    /"reference" was streamed .* SQL cannot read it/,
  );

  // Calibration bins that need the order of every score cannot be counted row group by row group.
  await page.getByTestId("add-check").selectOption("calibration");
  const calibration = cell(page, "calibration");
  await calibration.getByTestId("field-strategy").selectOption("quantile");
  await calibration.getByTestId("run-cell").click();
  await expect(calibration.getByTestId("cell-error")).toContainText(/use the uniform strategy/);

  await page.getByTestId("stream-input").setInputFiles({
    name: "rows.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("a,b\n1,2\n"),
  });
  await expect(page.getByTestId("load-error").last()).toContainText(/streaming reads Parquet files/);

  const bytes = readFileSync(join(SAMPLES, "reference.parquet"));
  await page.getByTestId("stream-input").setInputFiles({
    name: "truncated.parquet",
    mimeType: "application/octet-stream",
    buffer: bytes.subarray(0, Math.floor(bytes.length / 2)),
  });
  await expect(page.getByTestId("load-error").last()).toContainText(/Could not stream "truncated.parquet"/);
  // The notebook keeps working.
  await addSqlCell(page, "one", "SELECT 41 + 1 AS answer");
  await runCell(page, "one");
  await expect(cell(page, "one")).toHaveAttribute("data-status", "done");
});

test("cancelling a check that reads a streamed file stops it, and the next streamed check runs", async ({ page }) => {
  // 3M rows in row groups of ~120k: long enough for each re-read to be cancelled halfway.
  const engine = await createNodeEngine({ threads: 2 });
  let written: { remove(): void } | undefined;
  try {
    written = await streamWrittenParquet(page, engine, {
      name: "big",
      select: `SELECT (hash(i) % 100 < 40)::INTEGER AS label, (hash(i, 1) % 1000) / 1000.0 AS score,
        ['a', 'b', 'c'][1 + (i % 3)::INTEGER] AS grp, (hash(i, 2) % 10000)::DOUBLE AS x
      FROM range(3000000) t(i)`,
      rowGroup: 122880,
    });
    await page.getByTestId("add-check").selectOption("slices");
    const slices = cell(page, "slices");
    await slices.getByTestId("field-source").selectOption("big");
    await slices.getByTestId("run-cell").click();
    await expect(slices).toHaveAttribute("data-status", "running");
    await slices.getByTestId("cancel-cell").click();
    await expect(slices).toHaveAttribute("data-status", "cancelled", { timeout: 15_000 });
    // The file's re-read was released: another check on the same streamed file runs to the end.
    const calibration = await runCheckOn(page, "calibration", "big");
    await expect(calibration).toHaveAttribute("data-status", "done");
    await expect(calibration.getByTestId("check-trace")).toContainText("added up over 25 batches");
  } finally {
    await engine.close();
    written?.remove();
  }
});

test("checks on a streamed file whose non-ASCII column names begin other names still run", async ({ page }) => {
  // parquet-wasm 0.8 cannot decode such a column alone: the re-read decodes the whole row group.
  const engine = await createNodeEngine({ threads: 1 });
  let written: { path: string; remove(): void } | undefined;
  try {
    written = await streamWrittenParquet(page, engine, {
      name: "names",
      select: `SELECT (hash(i) % 100 < 40)::INTEGER AS label, (hash(i, 1) % 1000) / 1000.0 AS score,
        ['a', 'b'][1 + (i % 2)::INTEGER] AS "温度", ['x', 'y', 'z'][1 + (i % 3)::INTEGER] AS "温度差"
      FROM range(5000) t(i)`,
      rowGroup: 2048,
    });
    const slices = await runCheckOn(page, "slices", "names");
    const current = { name: "names", columns: [] as { name: string; type: string }[] };
    await engine.exec(`CREATE VIEW names AS SELECT * FROM read_parquet('${written.path}')`);
    current.columns = await describeRelation(engine.query, "names");
    const expected = await runCheck(engine.query, defaultCheckParams("slices", { current }), {
      streamed: new Set(["names"]),
    });
    expect(Number(await slices.getByTestId("measurement").first().getAttribute("data-value"))).toBeCloseTo(
      expected.measurements[0]?.value as number,
      12,
    );
  } finally {
    await engine.close();
    written?.remove();
  }
});
