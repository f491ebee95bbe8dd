/**
 * Shared e2e fixtures: every test records the requests its pages (and their workers) make,
 * and fails if any goes to a host other than the local server. Helpers drive the notebook
 * the way a person does.
 */
import { join } from "node:path";
import { test as base, expect, type Page } from "@playwright/test";

export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ context, baseURL }, use) => {
      const local = new URL(baseURL as string);
      const foreign: string[] = [];
      const isLocal = (url: string) => {
        if (/^(data|blob|about|chrome-extension|chrome):/.test(url)) return true;
        try {
          const u = new URL(url);
          return u.host === local.host;
        } catch {
          return false;
        }
      };
      context.on("request", (request) => {
        if (!isLocal(request.url())) foreign.push(request.url());
      });
      // Block anything foreign outright, so a leak fails loudly instead of hanging on the network.
      await context.route(
        (url) => !isLocal(url.href),
        (route) => {
          foreign.push(route.request().url());
          return route.abort("blockedbyclient");
        },
      );
      await use(foreign);
      expect(foreign, "requests to hosts other than the local server").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until DuckDB has started in the worker. */
export async function waitForEngineReady(page: Page): Promise<void> {
  await expect(page.getByTestId("engine-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
}

/** Opens an empty notebook with the engine ready. */
export async function openEmptyNotebook(page: Page): Promise<void> {
  await page.goto("./?new");
  await waitForEngineReady(page);
}

/** Opens the demo notebook and waits for both sample datasets to load. */
export async function openDemo(page: Page): Promise<void> {
  await page.goto("./");
  await waitForEngineReady(page);
  await expect(page.locator('[data-testid="dataset"][data-name="reference"]')).toBeVisible();
  await expect(page.locator('[data-testid="dataset"][data-name="production"]')).toBeVisible();
}

export function cell(page: Page, name: string) {
  return page.locator(`[data-testid="cell"][data-cell-name="${name}"]`);
}

/** Replaces a cell's source as typed text (works with Monaco or the plain fallback). */
export async function setCellSource(page: Page, name: string, source: string): Promise<void> {
  const editor = cell(page, name).getByTestId("editor");
  await expect(editor).toHaveAttribute("data-editor-ready", "true");
  await editor.locator(".monaco-editor").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(source);
}

/** Adds a SQL cell, names it, sets its source, and runs it with Ctrl+Enter. */
export async function addSqlCell(page: Page, name: string, source: string): Promise<void> {
  const before = await page.getByTestId("cell").count();
  await page.getByTestId("add-sql").click();
  const added = page.getByTestId("cell").nth(before);
  const nameInput = added.getByTestId("cell-name");
  await nameInput.fill(name);
  await nameInput.press("Enter");
  await expect(cell(page, name)).toHaveCount(1);
  await setCellSource(page, name, source);
}

export async function runCell(page: Page, name: string): Promise<void> {
  await cell(page, name).getByTestId("run-cell").click();
}

/** The text of one result cell (row and column are 0-based; column counts after the row number). */
export async function resultValue(page: Page, name: string, row: number, column: number): Promise<string> {
  return (
    (
      await cell(page, name)
        .locator("table.result tbody tr")
        .nth(row)
        .locator("td")
        .nth(column + 1)
        .textContent()
    )?.trim() ?? ""
  );
}

/** The bundled sample files (public/samples). */
export const SAMPLES = join(process.cwd(), "public", "samples");

/**
 * Opens an empty notebook and adds both sample files through `input` (`file-input` loads them,
 * `stream-input` streams them); resolves when each card shows its SHA-256.
 */
export async function openWithSamples(page: Page, input: "file-input" | "stream-input"): Promise<void> {
  await openEmptyNotebook(page);
  await page
    .getByTestId(input)
    .setInputFiles([join(SAMPLES, "reference.parquet"), join(SAMPLES, "production.parquet")]);
  for (const name of ["reference", "production"]) {
    await expect(
      page.locator(`[data-testid="dataset"][data-name="${name}"] [data-testid="dataset-sha256"]`),
    ).toBeVisible({ timeout: 60_000 });
  }
}

/** Adds an audit check of `family` on dataset `source`, runs it and waits until it is done. */
export async function runCheckOn(page: Page, family: string, source: string) {
  await page.getByTestId("add-check").selectOption(family);
  const check = cell(page, family);
  await check.getByTestId("field-source").selectOption(source);
  await check.getByTestId("run-cell").click();
  await expect(check).toHaveAttribute("data-status", "done", { timeout: 60_000 });
  return check;
}

/** New audit of the samples: reference against production, with the guessed label and score. */
export async function createAuditFromTemplate(page: Page, options: { canary?: boolean } = {}): Promise<void> {
  await page.getByTestId("new-audit").click();
  const dialog = page.getByTestId("new-audit-dialog");
  await dialog.getByTestId("audit-reference").selectOption("reference");
  await dialog.getByTestId("audit-current").selectOption("production");
  await expect(dialog.getByTestId("audit-label")).toHaveValue("label");
  await expect(dialog.getByTestId("audit-score")).toHaveValue("score");
  // The canary pair is offered once the version column's values have been listed.
  if (options.canary) await expect(dialog.locator(".check-note", { hasText: "Canary" })).toBeVisible();
  await dialog.getByTestId("create-audit").click();
}
