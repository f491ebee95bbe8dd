import { addSqlCell, cell, expect, openDemo, resultValue, runCell, test } from "./fixtures";

test("the demo notebook runs end to end on the bundled samples", async ({ page }) => {
  await openDemo(page);
  await expect(page.locator('[data-name="reference"] [data-testid="dataset-rows"]')).toHaveText("6,000");
  await expect(page.locator('[data-name="production"] [data-testid="dataset-rows"]')).toHaveText("4,000");
  await expect(page.locator('[data-name="reference"] [data-testid="dataset-sha256"]')).toContainText(/[0-9a-f]{64}/);
  await page.getByTestId("run-all").click();
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done");
  await expect(cell(page, "volume").getByTestId("result-row-count")).toHaveAttribute("data-rows", "2");
  // `parity` reads the result of `selection_by_sex`, a previous cell.
  await expect(cell(page, "parity").getByTestId("result-row-count")).toHaveAttribute("data-rows", "1");
  await addSqlCell(page, "check_parity", "SELECT count(*) AS groups FROM selection_by_sex");
  await runCell(page, "check_parity");
  await expect(cell(page, "check_parity")).toHaveAttribute("data-status", "done");
  expect(await resultValue(page, "check_parity", 0, 0)).toBe("2");
});
