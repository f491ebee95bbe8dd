import { readFileSync } from "node:fs";
import { join } from "node:path";
import { addSqlCell, cell, expect, openEmptyNotebook, resultValue, runCell, test } from "./fixtures";
import { MILLION_ROWS } from "./global-setup";

const SAMPLE = join(process.cwd(), "public", "samples", "reference.parquet");

test("a Parquet file chosen with the file input becomes a queryable table", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles(SAMPLE);
  const card = page.locator('[data-testid="dataset"][data-name="reference"]');
  await expect(card.getByTestId("dataset-rows")).toHaveText("6,000");
  await expect(card.getByTestId("dataset-sha256")).toContainText(/SHA-256 [0-9a-f]{64}/);
  // The hash shown is the file's SHA-256.
  const { createHash } = await import("node:crypto");
  const expected = createHash("sha256").update(readFileSync(SAMPLE)).digest("hex");
  await expect(card.getByTestId("dataset-sha256")).toContainText(expected);

  await addSqlCell(
    page,
    "by_sex",
    "SELECT sex, count(*) AS n, round(avg(label), 6) AS rate FROM reference GROUP BY sex ORDER BY sex",
  );
  await runCell(page, "by_sex");
  await expect(cell(page, "by_sex").getByTestId("result-row-count")).toHaveAttribute("data-rows", "2");
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const native = await (await DuckDBInstance.create(":memory:")).connect();
  const truth = (
    await native.runAndReadAll(`SELECT round(avg(label), 6) AS rate FROM '${SAMPLE}' WHERE sex = 'female'`)
  ).getRowsJS()[0]?.[0];
  expect(await resultValue(page, "by_sex", 0, 0)).toBe("female");
  expect(Number(await resultValue(page, "by_sex", 0, 2))).toBeCloseTo(Number(truth), 9);
});

test("a dataset can be renamed and queried under its new name", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles({
    name: "Prédictions (Q3) — ünïcode.csv",
    mimeType: "text/csv",
    buffer: Buffer.from('"user id","score ✓","it\'s ""quoted"""\n1,0.5,a\n2,0.25,b\n3,0.75,c\n'),
  });
  const card = page.locator('[data-testid="dataset"][data-name="predictions_q3_unicode"]');
  await expect(card.getByTestId("dataset-rows")).toHaveText("3");
  await card.getByTestId("dataset-name").fill("preds");
  await card.getByTestId("dataset-name").press("Enter");
  await expect(page.locator('[data-testid="dataset"][data-name="preds"]')).toBeVisible();
  await addSqlCell(page, "total", `SELECT sum("score ✓") AS s, max("it's ""quoted""") AS q FROM preds`);
  await runCell(page, "total");
  expect(await resultValue(page, "total", 0, 0)).toBe("1.5");
  expect(await resultValue(page, "total", 0, 1)).toBe("c");
});

test("bad files get a clear message and the app keeps working", async ({ page }) => {
  await openEmptyNotebook(page);
  const good = readFileSync(SAMPLE);
  // A Parquet file cut in half: its footer is gone.
  await page.getByTestId("file-input").setInputFiles({
    name: "truncated.parquet",
    mimeType: "application/octet-stream",
    buffer: good.subarray(0, Math.floor(good.length / 2)),
  });
  await expect(page.getByTestId("load-error").filter({ hasText: "truncated.parquet" })).toContainText(
    /Could not load "truncated.parquet" as Parquet/,
  );
  // A CSV whose third data row has an extra field.
  await page.getByTestId("file-input").setInputFiles({
    name: "malformed.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("id,score,label\n1,0.5,1\n2,0.4,0\n3,0.9,1,EXTRA\n4,0.1,0\n"),
  });
  const csvError = page.getByTestId("load-error").filter({ hasText: "malformed.csv" });
  await expect(csvError).toContainText(/Could not load "malformed.csv" as CSV/);
  await expect(csvError).toContainText(/ignore_errors/);
  // An empty file and a file of an unknown kind.
  await page
    .getByTestId("file-input")
    .setInputFiles({ name: "empty.parquet", mimeType: "application/octet-stream", buffer: Buffer.alloc(0) });
  await expect(page.getByTestId("load-error").filter({ hasText: "empty.parquet" })).toContainText(
    /is empty \(0 bytes\)/,
  );
  await page
    .getByTestId("file-input")
    .setInputFiles({ name: "notes.docx", mimeType: "application/octet-stream", buffer: Buffer.from("PK\u0003\u0004") });
  await expect(page.getByTestId("load-error").filter({ hasText: "notes.docx" })).toContainText(
    /not a format Assay reads/,
  );
  // No half-loaded tables are left behind, and a good file still loads and queries.
  await expect(page.getByTestId("dataset")).toHaveCount(0);
  await page.getByTestId("file-input").setInputFiles(SAMPLE);
  await expect(page.locator('[data-testid="dataset"][data-name="reference"] [data-testid="dataset-rows"]')).toHaveText(
    "6,000",
  );
  await addSqlCell(page, "n", "SELECT count(*) AS n FROM reference");
  await runCell(page, "n");
  expect(await resultValue(page, "n", 0, 0)).toBe("6000");
  // The lenient re-read the message suggests works on the registered file.
  await addSqlCell(page, "lenient", "SELECT count(*) AS n FROM read_csv('malformed.csv', ignore_errors = true)");
  await runCell(page, "lenient");
  expect(await resultValue(page, "lenient", 0, 0)).toBe("3");
});

test("JSON and NDJSON files load", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles([
    {
      name: "events.ndjson",
      mimeType: "application/x-ndjson",
      buffer: Buffer.from('{"id":1,"score":0.2}\n{"id":2,"score":0.9}\n'),
    },
    {
      name: "rows.json",
      mimeType: "application/json",
      buffer: Buffer.from('[{"a":"x","b":1},{"a":"y","b":2},{"a":"z","b":3}]'),
    },
  ]);
  await expect(page.locator('[data-testid="dataset"][data-name="events"] [data-testid="dataset-rows"]')).toHaveText(
    "2",
  );
  await expect(page.locator('[data-testid="dataset"][data-name="rows"] [data-testid="dataset-rows"]')).toHaveText("3");
});

test("a million-row Parquet file loads and a GROUP BY over it returns", async ({ page }) => {
  await openEmptyNotebook(page);
  const started = Date.now();
  await page.getByTestId("file-input").setInputFiles(MILLION_ROWS);
  const card = page.locator('[data-testid="dataset"][data-name="million"]');
  await expect(card.getByTestId("dataset-rows")).toHaveText("1,000,000", { timeout: 60_000 });
  const loadedMs = Date.now() - started;
  await addSqlCell(
    page,
    "groups",
    "SELECT grp, count(*) AS n, avg(score) AS mean_score FROM million GROUP BY grp ORDER BY grp",
  );
  await runCell(page, "groups");
  await expect(cell(page, "groups").getByTestId("result-row-count")).toHaveAttribute("data-rows", "10");
  expect(await resultValue(page, "groups", 0, 1)).toBe("100000");
  const elapsed = await cell(page, "groups").getByTestId("result-elapsed").textContent();
  test
    .info()
    .annotations.push({ type: "timing", description: `1M-row Parquet: loaded in ${loadedMs} ms; GROUP BY ${elapsed}` });
  console.log(`1M-row Parquet: loaded in ${loadedMs} ms (as seen by the test); GROUP BY took ${elapsed}`);
  // Paging through all of it goes through DuckDB, not the DOM.
  await addSqlCell(page, "everything", "SELECT * FROM million");
  await runCell(page, "everything");
  await expect(cell(page, "everything").getByTestId("result-row-count")).toHaveAttribute("data-rows", "1000000");
  await expect(cell(page, "everything").locator("table.result tbody tr")).toHaveCount(100);
  await cell(page, "everything").getByRole("button", { name: "Last page" }).click();
  await expect(cell(page, "everything").getByTestId("result-range")).toHaveText("999,901–1,000,000");
  await expect(cell(page, "everything").locator("table.result tbody tr").last().locator("td").first()).toHaveText(
    "1000000",
  );
});
