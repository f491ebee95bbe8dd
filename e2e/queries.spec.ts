import { addSqlCell, cell, expect, openEmptyNotebook, resultValue, runCell, test } from "./fixtures";

test("a long query can be cancelled and the next cell still runs", async ({ page }) => {
  await openEmptyNotebook(page);
  await addSqlCell(page, "slow", "SELECT sum(hash(a.range * b.range)) AS h FROM range(200000) a, range(200000) b");
  await runCell(page, "slow");
  await expect(cell(page, "slow")).toHaveAttribute("data-status", "running");
  await expect(cell(page, "slow").getByTestId("cell-status")).toContainText(/running/);
  await page.waitForTimeout(500);
  await cell(page, "slow").getByTestId("cancel-cell").click();
  await expect(cell(page, "slow")).toHaveAttribute("data-status", "cancelled", { timeout: 15_000 });
  await expect(cell(page, "slow").getByTestId("cell-error")).toContainText(/cancelled/i);
  await addSqlCell(page, "after", "SELECT 40 + 2 AS answer");
  await runCell(page, "after");
  expect(await resultValue(page, "after", 0, 0)).toBe("42");
});

test("a SQL error shows DuckDB's message inline, in that cell only", async ({ page }) => {
  await openEmptyNotebook(page);
  await addSqlCell(page, "ok", "SELECT 1 AS one");
  await runCell(page, "ok");
  await addSqlCell(page, "broken", "SELECT no_such_column FROM range(3)");
  await runCell(page, "broken");
  await expect(cell(page, "broken").getByTestId("cell-error")).toContainText(/no_such_column/);
  await expect(cell(page, "ok")).toHaveAttribute("data-status", "done");
  expect(await resultValue(page, "ok", 0, 0)).toBe("1");
});

test("Shift+Enter runs a cell and moves to the next; Ctrl+Enter runs in place", async ({ page }) => {
  await openEmptyNotebook(page);
  await addSqlCell(page, "first", "SELECT 7 AS seven");
  await page.keyboard.press("Control+Enter");
  await expect(cell(page, "first")).toHaveAttribute("data-status", "done");
  await expect(page.getByTestId("cell")).toHaveCount(1);
  await page.keyboard.press("Shift+Enter");
  // A new cell is added after the last one and takes the focus.
  await expect(page.getByTestId("cell")).toHaveCount(2);
  await page.keyboard.insertText("SELECT seven * 6 AS answer FROM first");
  await page.keyboard.press("Shift+Enter");
  const second = page.getByTestId("cell").nth(1);
  await expect(second).toHaveAttribute("data-status", "done");
  await expect(second.locator("table.result tbody tr td").nth(1)).toHaveText("42");
});

test("multi-statement cells run every statement and keep the last result", async ({ page }) => {
  await openEmptyNotebook(page);
  await addSqlCell(
    page,
    "multi",
    "CREATE TABLE scratch AS SELECT range AS x FROM range(5); SELECT sum(x) AS total FROM scratch",
  );
  await runCell(page, "multi");
  expect(await resultValue(page, "multi", 0, 0)).toBe("10");
  await addSqlCell(page, "describe", "DESCRIBE scratch");
  await runCell(page, "describe");
  await expect(cell(page, "describe").getByTestId("result-row-count")).toHaveAttribute("data-rows", "1");
});
