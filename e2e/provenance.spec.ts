import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Download, Page } from "@playwright/test";
import { cell, expect, openDemo, test, waitForEngineReady } from "./fixtures";

async function saved(download: Download): Promise<string> {
  return readFileSync((await download.path()) as string, "utf8");
}

async function exportNotebook(page: Page, testId = "export-notebook"): Promise<string> {
  await page.getByTestId("share-button").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
  return saved(download);
}

async function importText(page: Page, name: string, text: string) {
  await page.getByTestId("share-button").click();
  await page
    .getByTestId("import-input")
    .setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(text) });
}

test("export, import and re-run: the notebook round-trips and every result hash reproduces", async ({ page }) => {
  await openDemo(page);
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const text = await exportNotebook(page, "export-signed");
  const file = JSON.parse(text);
  expect(file.format).toBe("assay-notebook");
  expect(file.signature.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  expect(file.notebook.cells.length).toBeGreaterThan(10);
  expect(Object.keys(file.results).length).toBeGreaterThanOrEqual(13);
  // One entry per check run; Run all finishes checks side by side, and no append may be lost.
  const checks = file.notebook.cells.filter((c: { kind: string }) => c.kind === "check");
  expect(checks.length).toBeGreaterThanOrEqual(8);
  expect(file.evidence.map((e: { cellId: string }) => e.cellId).sort()).toEqual(
    checks.map((c: { id: string }) => c.id).sort(),
  );
  file.evidence.forEach((e: { prev: string }, i: number) => {
    if (i > 0) expect(e.prev).toBe(file.evidence[i - 1].hash);
  });
  expect(file.engine.version).toBe("v1.4.3");

  await importText(page, "demo.assay.json", text);
  const banner = page.getByTestId("import-banner");
  await expect(banner).toHaveAttribute("data-valid", "true");
  await expect(banner).toContainText("Signature: valid");
  // Same cells, same sources; recorded results shown until re-run.
  await expect(page.getByTestId("cell")).toHaveCount(file.notebook.cells.length);
  await expect(cell(page, "volume").getByTestId("restored-output")).toBeVisible();
  // The datasets are re-attached (this browser kept them) with their hashes checked.
  await expect(page.locator('[data-testid="dataset"][data-name="production"] [data-testid="dataset-rows"]')).toHaveText(
    "4,000",
  );
  // Export again: lossless.
  const again = JSON.parse(await exportNotebook(page));
  expect(again.notebook).toEqual(file.notebook);
  expect(again.evidence).toEqual(file.evidence);

  await page.getByTestId("share-button").click();
  await page.getByTestId("rerun-verify").click();
  const report = page.getByTestId("rerun-report");
  await expect(report).toBeVisible({ timeout: 60_000 });
  const rows = report.getByTestId("rerun-row");
  await expect(rows).toHaveCount(Object.keys(file.results).length);
  await expect(report.locator('[data-testid="rerun-row"]:not([data-status="same"])')).toHaveCount(0);
});

test("a tampered notebook is reported as altered, naming the part", async ({ page }) => {
  await openDemo(page);
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const text = await exportNotebook(page);
  // Change one word of one cell's SQL, as an edit after export would.
  const tampered = text.replace("-- Requests, mean score", "-- Requests, mean scorz");
  expect(tampered).not.toBe(text);
  await importText(page, "tampered.assay.json", tampered);
  const banner = page.getByTestId("import-banner");
  await expect(banner).toHaveAttribute("data-valid", "false");
  await expect(banner).toContainText("ALTERED");
  await expect(banner.getByTestId("verification")).toContainText(/notebook\.cells/);
  // A file that is not a notebook at all is refused with a message naming the problem.
  await importText(page, "broken.assay.json", text.slice(0, 200));
  await expect(page.getByTestId("share-message")).toContainText("is not a valid Assay notebook");
});

test("the HTML report opens with no network and shows every verdict", async ({ page, browser }) => {
  await openDemo(page);
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const verdicts = await page
    .getByTestId("summary-row")
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-cell-name"), r.getAttribute("data-verdict")]));
  await page.getByTestId("share-button").click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-report").click()]);
  const html = await saved(download);
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<script/i);
  const offline = await browser.newContext({ offline: true });
  const report = await offline.newPage();
  const requests: string[] = [];
  report.on("request", (r) => requests.push(r.url()));
  await report.setContent(html);
  for (const [name, verdict] of verdicts) {
    await expect(report.locator("body")).toContainText(name as string);
    expect(html.toUpperCase()).toContain((verdict as string).toUpperCase());
  }
  await expect(report.locator("svg").first()).toBeVisible();
  expect(requests.filter((u) => !u.startsWith("data:") && u !== "about:blank")).toEqual([]);
  await offline.close();
});

test("verification survives a reload: the imported notebook keeps its record", async ({ page }) => {
  await openDemo(page);
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const text = await exportNotebook(page);
  await importText(page, "demo.assay.json", text);
  await expect(page.getByTestId("import-banner")).toHaveAttribute("data-valid", "true");
  await page.waitForTimeout(800);
  await page.reload();
  await waitForEngineReady(page);
  await expect(page.getByTestId("import-banner")).toContainText("demo.assay.json");
});

test("the notebook exported by the browser runs in the CLI on native DuckDB with identical result hashes", async ({
  page,
}) => {
  await openDemo(page);
  await expect(cell(page, "latency")).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  const text = await exportNotebook(page);
  const dir = join(process.cwd(), "test-results", "cross-engine");
  mkdirSync(dir, { recursive: true });
  const notebook = join(dir, "demo.assay.json");
  const out = join(dir, "run.json");
  writeFileSync(notebook, text);
  const samples = join(process.cwd(), "public", "samples");
  const run = spawnSync(
    process.execPath,
    [
      "cli/assay.mjs",
      "run",
      notebook,
      "--data",
      `reference=${join(samples, "reference.parquet")}`,
      "--data",
      `production=${join(samples, "production.parquet")}`,
      "--json",
      out,
      "--quiet",
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  // The demo's checks fail by design (exit 1); a hash mismatch or bad input would show below.
  expect([0, 1], run.stderr).toContain(run.status);
  const report = JSON.parse(readFileSync(out, "utf8"));
  const cells = report.cells as { name: string; kind: string; status: string; storedHash: string; hash: string }[];
  const recorded = Object.keys(JSON.parse(text).results).length;
  expect(cells.filter((c) => c.status === "same")).toHaveLength(recorded);
  for (const c of cells) expect(c.status, `${c.kind} cell ${c.name}`).toBe("same");
});
