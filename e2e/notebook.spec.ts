import { addSqlCell, cell, expect, openDemo, resultValue, runCell, test } from "./fixtures";

test("the demo opens as a complete audit of the bundled samples, with failing checks explained", async ({ page }) => {
  await openDemo(page);
  await expect(page.locator('[data-name="reference"] [data-testid="dataset-rows"]')).toHaveText("6,000");
  await expect(page.locator('[data-name="production"] [data-testid="dataset-rows"]')).toHaveText("4,000");
  await expect(page.locator('[data-name="reference"] [data-testid="dataset-sha256"]')).toContainText(/[0-9a-f]{64}/);
  // It runs by itself: every check gets a verdict, and the notebook's overall verdict is a failure.
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const summary = page.getByTestId("audit-summary");
  await expect(summary).toHaveAttribute("data-overall", "fail");
  await expect(summary.getByTestId("summary-count")).toContainText("8 of 8 checks ran");
  await expect(summary.locator('[data-testid="summary-row"][data-cell-name="drift"]')).toHaveAttribute(
    "data-verdict",
    "fail",
  );
  await expect(cell(page, "drift").getByTestId("chart-drift-scores").locator("svg")).toBeVisible();
  await expect(cell(page, "drift").getByTestId("chart-drift-histogram").locator("svg").last()).toBeVisible();
  // SQL cells read earlier cells' results by name.
  await expect(cell(page, "volume").getByTestId("result-row-count")).toHaveAttribute("data-rows", "2");
  await expect(cell(page, "parity").getByTestId("result-row-count")).toHaveAttribute("data-rows", "1");
  await addSqlCell(page, "check_parity", "SELECT count(*) AS groups FROM selection_by_sex");
  await runCell(page, "check_parity");
  await expect(cell(page, "check_parity")).toHaveAttribute("data-status", "done");
  expect(await resultValue(page, "check_parity", 0, 0)).toBe("2");
  // Run all again re-runs everything to the same verdicts.
  await page.getByTestId("run-all").click();
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(summary).toHaveAttribute("data-overall", "fail");
});
