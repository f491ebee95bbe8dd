import {
  addSqlCell,
  cell,
  expect,
  openEmptyNotebook,
  resultValue,
  runCell,
  test,
  waitForEngineReady,
} from "./fixtures";

const CSV = Buffer.from("id,score,label\n1,0.9,1\n2,0.2,0\n3,0.7,1\n4,0.4,0\n");

test("a notebook comes back after a reload: cells, outputs and data", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles({ name: "scores.csv", mimeType: "text/csv", buffer: CSV });
  await expect(
    page.locator('[data-testid="dataset"][data-name="scores"] [data-testid="dataset-sha256"]'),
  ).toBeVisible();
  await page.getByTestId("notebook-title").fill("Incident 4711");
  await page.getByTestId("notebook-title").press("Enter");
  await addSqlCell(page, "positives", "SELECT count(*) AS n FROM scores WHERE label = 1");
  await runCell(page, "positives");
  expect(await resultValue(page, "positives", 0, 0)).toBe("2");
  await page.getByTestId("add-check").selectOption("performance");
  await cell(page, "performance").getByTestId("run-cell").click();
  await expect(cell(page, "performance")).toHaveAttribute("data-status", "done");
  const auc = await cell(page, "performance").getByTestId("measurement").first().getAttribute("data-value");
  await page.waitForTimeout(800); // autosave is debounced

  await page.reload();
  await waitForEngineReady(page);
  await expect(page.getByTestId("notebook-title")).toHaveValue("Incident 4711");
  // The SQL cell's last output is shown from the saved summary until it runs again.
  await expect(cell(page, "positives").getByTestId("restored-output")).toContainText("Recorded");
  // The check's outcome is back as it was.
  await expect(cell(page, "performance").getByTestId("measurement").first()).toHaveAttribute(
    "data-value",
    auc as string,
  );
  // The dataset is re-attached from the browser's private copy, its hash checked.
  await expect(page.locator('[data-testid="dataset"][data-name="scores"] [data-testid="dataset-rows"]')).toHaveText(
    "4",
  );
  await expect(page.getByTestId("hash-mismatch")).toHaveCount(0);
  await runCell(page, "positives");
  expect(await resultValue(page, "positives", 0, 0)).toBe("2");
});

test("a deleted cell can be brought back", async ({ page }) => {
  await openEmptyNotebook(page);
  await addSqlCell(page, "keep_me", "SELECT 42 AS answer");
  await runCell(page, "keep_me");
  await addSqlCell(page, "other", "SELECT 1");
  await cell(page, "keep_me").getByTitle("Delete cell").click();
  await expect(cell(page, "keep_me")).toHaveCount(0);
  await page.getByTestId("undo-delete").click();
  await expect(cell(page, "keep_me")).toHaveCount(1);
  expect(await resultValue(page, "keep_me", 0, 0)).toBe("42");
  await expect(page.getByTestId("cell").first()).toHaveAttribute("data-cell-name", "keep_me");
});

test("several notebooks are kept and can be switched", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("notebook-title").fill("First notebook");
  await page.getByTestId("notebook-title").press("Enter");
  await addSqlCell(page, "in_first", "SELECT 1 AS x");
  await page.getByTestId("notebooks-button").click();
  await page.getByTestId("new-notebook").click();
  await expect(page.getByTestId("cell")).toHaveCount(0);
  await page.getByTestId("notebook-title").fill("Second notebook");
  await page.getByTestId("notebook-title").press("Enter");
  await page.waitForTimeout(800);
  await page.getByTestId("notebooks-button").click();
  await expect(page.getByTestId("notebook-entry")).toHaveCount(2);
  await page.getByTestId("notebook-entry").filter({ hasText: "First notebook" }).locator(".menu-item").click();
  await expect(page.getByTestId("notebook-title")).toHaveValue("First notebook");
  await expect(cell(page, "in_first")).toHaveCount(1);
});

test("re-attaching a different file than the one recorded is flagged", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles({ name: "scores.csv", mimeType: "text/csv", buffer: CSV });
  await expect(
    page.locator('[data-testid="dataset"][data-name="scores"] [data-testid="dataset-sha256"]'),
  ).toBeVisible();
  await page.waitForTimeout(800);
  // Forget the browser's copy, as another machine would not have it.
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry("datasets", { recursive: true });
  });
  await page.reload();
  await waitForEngineReady(page);
  const missing = page.locator('[data-testid="dataset-missing"][data-name="scores"]');
  await expect(missing).toContainText("scores.csv");
  await missing.getByTestId("reattach-input").setInputFiles({
    name: "scores.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("id,score,label\n1,0.9,1\n2,0.2,0\n3,0.7,0\n4,0.4,0\n"),
  });
  await expect(page.locator('[data-testid="dataset"][data-name="scores"] [data-testid="hash-mismatch"]')).toContainText(
    "not the one the notebook was made with",
  );
});

test("when the engine worker dies mid-query, the notebook stays intact and the engine restarts", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles({ name: "scores.csv", mimeType: "text/csv", buffer: CSV });
  await expect(page.locator('[data-testid="dataset"][data-name="scores"] [data-testid="dataset-rows"]')).toHaveText(
    "4",
  );
  await addSqlCell(page, "kept", "SELECT count(*) AS n FROM scores WHERE label = 1");
  await runCell(page, "kept");
  expect(await resultValue(page, "kept", 0, 0)).toBe("2");
  await addSqlCell(page, "heavy", "SELECT sum(hash(a.range * b.range)) AS h FROM range(300000) a, range(300000) b");
  await runCell(page, "heavy");
  await expect(cell(page, "heavy")).toHaveAttribute("data-status", "running");

  // Kill the engine worker, as an out-of-memory crash would.
  let engineWorker = null;
  for (const w of page.workers()) {
    if ((await w.evaluate(() => self.name).catch(() => "")) === "assay-engine") engineWorker = w;
  }
  expect(engineWorker, "the engine worker").not.toBeNull();
  void engineWorker?.evaluate(() => self.close()).catch(() => undefined);

  await expect(cell(page, "heavy").getByTestId("cell-error")).toContainText("The engine stopped while this cell ran", {
    timeout: 30_000,
  });
  await expect(page.getByTestId("engine-notice")).toContainText("while running heavy");
  await waitForEngineReady(page);
  // What was on screen is kept; the cells and their sources are all there.
  await expect(cell(page, "kept").getByTestId("restored-output")).toBeVisible();
  await expect(page.getByTestId("cell")).toHaveCount(2);
  // The datasets were reloaded into the new engine.
  await runCell(page, "kept");
  await expect(cell(page, "kept")).toHaveAttribute("data-status", "done");
  expect(await resultValue(page, "kept", 0, 0)).toBe("2");
});
