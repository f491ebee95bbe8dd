import type { Page } from "@playwright/test";
import { defaultCheckParams } from "../lib/audit/checks/defaults";
import { runCheck } from "../lib/audit/checks/run-check";
import type { CheckParams } from "../lib/audit/checks/types";
import { openSampleEngine } from "../lib/audit/testing/sample-data";
import { describeRelation } from "../lib/audit/validate";
import {
  addSqlCell,
  createAuditFromTemplate,
  cell,
  expect,
  openEmptyNotebook,
  openWithSamples,
  runCell,
  test,
} from "./fixtures";

async function loadSamples(page: Page) {
  await openWithSamples(page, "file-input");
}

function check(page: Page, name: string) {
  return cell(page, name);
}

test("an audit built from the template gives a verdict per check, matching the library's numbers", async ({ page }) => {
  await loadSamples(page);
  await createAuditFromTemplate(page);
  const summary = page.getByTestId("audit-summary");
  const families = ["quality", "drift", "performance", "calibration", "fairness", "slices", "operational", "canary"];
  for (const name of families) {
    await expect(check(page, name)).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  }
  await expect(summary.getByTestId("summary-count")).toContainText(
    `${families.length} of ${families.length} checks ran`,
  );
  await expect(summary).toHaveAttribute("data-overall", "fail");
  // Each check shows its verdict beside the value and the threshold.
  const verdicts: Record<string, string | null> = {};
  for (const name of families) {
    verdicts[name] = await summary
      .locator(`[data-testid="summary-row"][data-cell-name="${name}"]`)
      .getAttribute("data-verdict");
    expect(["pass", "warn", "fail"]).toContain(verdicts[name]);
  }
  expect(verdicts.drift).toBe("fail");
  expect(verdicts.fairness).toBe("fail");
  expect(verdicts.quality).toBe("pass");

  // The same checks, run by lib/audit on native DuckDB over the same files, give the same numbers.
  const engine = await openSampleEngine();
  try {
    const current = { name: "production", columns: await describeRelation(engine.query, "production") };
    const reference = { name: "reference", columns: await describeRelation(engine.query, "reference") };
    for (const family of ["drift", "performance", "calibration", "fairness", "operational"] as const) {
      // The template's checks are the defaults for these columns.
      const params: CheckParams = defaultCheckParams(family, { current, reference });
      const expected = await runCheck(engine.query, params);
      const shown = check(page, family).getByTestId("measurement");
      await expect(shown).toHaveCount(expected.measurements.length);
      for (const [i, m] of expected.measurements.entries()) {
        const value = Number(await shown.nth(i).getAttribute("data-value"));
        expect(value, `${family}: ${m.label}`).toBeCloseTo(m.value as number, 9);
        expect(await shown.nth(i).getAttribute("data-verdict")).toBe(m.verdict);
      }
    }
  } finally {
    await engine.close();
  }

  // A failing check's plot is drawn.
  await expect(check(page, "fairness").getByTestId("chart-fairness-sex").locator("svg")).toBeVisible();
  await expect(check(page, "drift").getByTestId("chart-drift-scores").locator("svg")).toBeVisible();
  await expect(check(page, "performance").getByTestId("chart-roc").locator("svg")).toBeVisible();
  await expect(check(page, "calibration").getByTestId("chart-reliability").locator("svg")).toBeVisible();
});

test("changing a threshold marks the check stale, and re-running changes its verdict", async ({ page }) => {
  await loadSamples(page);
  await createAuditFromTemplate(page);
  const fairness = check(page, "fairness");
  await expect(fairness).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await expect(fairness.getByTestId("verdict").first()).toHaveAttribute("data-verdict", "fail");
  await fairness.locator("summary", { hasText: "Settings" }).click();
  await fairness.getByTestId("field-minParityRatio").fill("0.3");
  await expect(fairness.getByTestId("verdict").first()).toHaveAttribute("data-stale", "true");
  await expect(page.getByTestId("summary-count")).toContainText("stale");
  await fairness.getByTestId("run-cell").click();
  await expect(fairness.getByTestId("verdict").first()).toHaveAttribute("data-stale", "false");
  await expect(fairness.getByTestId("verdict").first()).toHaveAttribute("data-verdict", "pass");
  await expect(fairness.locator('[data-testid="measurement"][data-id="parity-sex"]')).toHaveAttribute(
    "data-verdict",
    "pass",
  );
});

test("show SQL opens the check's query in a SQL cell that runs", async ({ page }) => {
  await loadSamples(page);
  await createAuditFromTemplate(page);
  const perf = check(page, "performance");
  await expect(perf).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await perf.getByTestId("show-sql").click();
  await expect(perf.getByTestId("check-sql")).toContainText("SELECT");
  const before = await page.getByTestId("cell").count();
  await perf.getByTestId("sql-to-cell").click();
  await expect(page.getByTestId("cell")).toHaveCount(before + 1);
  const added = page.locator('[data-testid="cell"][data-cell-kind="sql"]').first();
  await added.getByTestId("run-cell").click();
  await expect(added).toHaveAttribute("data-status", "done");
});

test("conventions side by side show every tool's verdict", async ({ page }) => {
  await loadSamples(page);
  await createAuditFromTemplate(page);
  const drift = check(page, "drift");
  await expect(drift).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  await drift.getByTestId("show-conventions").click();
  const table = drift.getByTestId("conventions");
  await expect(table).toContainText("Evidently");
  await expect(table).toContainText("NannyML");
  await expect(table).toContainText("Alibi Detect");
  const fairness = check(page, "fairness");
  await fairness.getByTestId("show-conventions").click();
  await expect(fairness.getByTestId("conventions")).toContainText("Fairlearn");
  await expect(fairness.getByTestId("conventions")).toContainText("Aequitas");
});

test("a check over a missing column or a non-binary label fails in that cell only", async ({ page }) => {
  await openEmptyNotebook(page);
  await page.getByTestId("file-input").setInputFiles({
    name: "multiclass.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(
      `label,score\n${Array.from({ length: 60 }, (_, i) => `${i % 3},${((i % 10) / 10).toFixed(1)}`).join("\n")}\n`,
    ),
  });
  await expect(page.locator('[data-testid="dataset"][data-name="multiclass"]')).toBeVisible();
  await page.getByTestId("add-check").selectOption("performance");
  const perf = check(page, "performance");
  await perf.getByTestId("run-cell").click();
  await expect(perf.getByTestId("cell-error")).toContainText(/label column "label" must hold only 0 and 1/);

  // A check on a SQL cell's result, whose column disappears when the cell is edited.
  await addSqlCell(page, "scored", "SELECT score, (label = 1)::INTEGER AS outcome FROM multiclass");
  await runCell(page, "scored");
  await page.getByTestId("add-check").selectOption("calibration");
  const calib = check(page, "calibration");
  await calib.getByTestId("field-source").selectOption("scored");
  await calib.getByTestId("field-label").selectOption("outcome");
  await calib.getByTestId("field-score").selectOption("score");
  await calib.getByTestId("run-cell").click();
  await expect(calib).toHaveAttribute("data-status", "done");
  await addSqlCell(page, "unused", "SELECT 1");
  await page.locator('[data-testid="cell"][data-cell-name="scored"] .monaco-editor').click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText("SELECT score FROM multiclass");
  await runCell(page, "scored");
  await expect(cell(page, "scored")).toHaveAttribute("data-status", "done");
  await expect(calib.getByTestId("verdict").first()).toHaveAttribute("data-stale", "true");
  await calib.getByTestId("run-cell").click();
  await expect(calib.getByTestId("cell-error")).toContainText(/Column "outcome" does not exist in "scored"/);
  await expect(calib.getByTestId("cell-error")).toHaveAttribute("data-column", "outcome");
  // The other cells are untouched.
  await expect(cell(page, "scored")).toHaveAttribute("data-status", "done");
  await expect(perf.getByTestId("cell-error")).toBeVisible();
});
