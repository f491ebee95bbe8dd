import type { Page } from "@playwright/test";
import { addSqlCell, cell, expect, openEmptyNotebook, runCell, setCellSource, test } from "./fixtures";

/** Adds a TypeScript cell, names it and sets its source. */
async function addTsCell(page: Page, name: string, source: string): Promise<void> {
  const before = await page.getByTestId("cell").count();
  await page.getByTestId("add-ts").click();
  const added = page.getByTestId("cell").nth(before);
  const nameInput = added.getByTestId("cell-name");
  await nameInput.fill(name);
  await nameInput.press("Enter");
  await expect(cell(page, name)).toHaveCount(1);
  await setCellSource(page, name, source);
}

const texts = (page: Page, name: string) => cell(page, name).getByTestId("ts-text");

test("a TypeScript cell bootstraps a confidence interval over a SQL result and plots it", async ({ page }) => {
  await openEmptyNotebook(page);
  await addSqlCell(page, "scores", "SELECT range AS i, (hash(range) % 1000) / 1000.0 AS score FROM range(500)");
  await runCell(page, "scores");
  await expect(cell(page, "scores")).toHaveAttribute("data-status", "done");
  await addTsCell(
    page,
    "boot",
    `const minScore: number = 0;
const rows = await sql.rows\`SELECT score FROM scores WHERE score >= \${minScore}\`;
const xs = rows.map((r) => Number(r.score));
let seed = 42;
const rand = () => ((seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296);
const means: number[] = [];
for (let b = 0; b < 500; b++) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[Math.floor(rand() * xs.length)];
  means.push(s / xs.length);
}
means.sort((a, b) => a - b);
const lo = means[12], hi = means[487];
const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
display(\`n=\${xs.length} mean=\${mean.toFixed(3)} ci=[\${lo.toFixed(3)}, \${hi.toFixed(3)}]\`);
display(Plot.plot({ marks: [Plot.rectY(means.map((m) => ({ m })), Plot.binX({ y: "count" }, { x: "m" })), Plot.ruleX([lo, hi], { stroke: "red" })] }));
check("CI width", hi - lo, 0.1, "<");
return means.map((m, i) => ({ i, m }));`,
  );
  await runCell(page, "boot");
  await expect(cell(page, "boot")).toHaveAttribute("data-status", "done", { timeout: 30_000 });
  await expect(texts(page, "boot").first()).toContainText(/^n=500 mean=0\.\d{3} ci=\[0\.\d{3}, 0\.\d{3}\]$/);
  const [lo, hi] = ((await texts(page, "boot").first().textContent()) ?? "")
    .match(/ci=\[([\d.]+), ([\d.]+)\]/)
    ?.slice(1)
    .map(Number) ?? [NaN, NaN];
  expect(Number(lo)).toBeLessThan(Number(hi));
  const plot = cell(page, "boot").getByTestId("ts-plot-svg");
  await expect(plot).toBeVisible();
  expect(await plot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(cell(page, "boot").getByTestId("ts-check")).toHaveAttribute("data-verdict", "pass");
  // The check is listed in the audit summary.
  await expect(page.locator('[data-testid="summary-row"][data-cell-name="boot"]')).toHaveAttribute(
    "data-verdict",
    "pass",
  );
  // The returned rows became a table named after the cell.
  await expect(cell(page, "boot").getByTestId("ts-result-table")).toContainText("500 rows");
  await addSqlCell(page, "after", "SELECT count(*) AS n FROM boot");
  await runCell(page, "after");
  await expect(cell(page, "after").locator("table.result tbody tr td").nth(1)).toHaveText("500");
});

test("sql`` binds interpolated values as literals", async ({ page }) => {
  await openEmptyNotebook(page);
  await addTsCell(
    page,
    "inject",
    `const evil = "x' OR 1=1 --";
const t = await sql\`SELECT \${evil} AS s, \${2.5} * 2 AS d\`;
display(t.get(0)!.s === evil && t.get(0)!.d === 5 ? "bound" : "broken");`,
  );
  await runCell(page, "inject");
  await expect(texts(page, "inject").first()).toHaveText("bound");
});

test("a TypeScript cell cannot reach another origin or the app's storage", async ({ page, foreignRequests }) => {
  await openEmptyNotebook(page);
  const probe = (name: string, attempt: string) =>
    `try { await (async () => { ${attempt} })(); display("${name}: allowed"); } catch { display("${name}: refused"); }`;
  await addTsCell(
    page,
    "net",
    [
      probe("fetch", 'await fetch("https://example.com/x");'),
      probe("fetch-local", 'await fetch(new URL("/", "http://127.0.0.1:4391").href);'),
      probe("xhr", 'const x = new XMLHttpRequest(); x.open("GET", "https://example.com/x", false); x.send();'),
      probe(
        "websocket",
        'await new Promise((ok, no) => { const w = new WebSocket("wss://example.com/x"); w.onopen = ok; w.onerror = no; });',
      ),
      probe("importScripts", '(self as any).importScripts("https://example.com/x.js");'),
      probe(
        "worker",
        'await new Promise((ok, no) => { const w = new Worker("https://example.com/w.js"); w.onerror = no; setTimeout(ok, 2000); });',
      ),
      probe("import", 'await import("https://example.com/m.js");'),
      probe("eval-import", 'await Function("return import(\\"https://example.com/m.js\\")")();'),
    ].join("\n"),
  );
  await runCell(page, "net");
  await expect(cell(page, "net")).toHaveAttribute("data-status", "done");
  const lines = await texts(page, "net").allTextContents();
  expect(lines).toEqual([
    "fetch: refused",
    "fetch-local: refused",
    "xhr: refused",
    "websocket: refused",
    "importScripts: refused",
    "worker: refused",
    "import: refused",
    "eval-import: refused",
  ]);
  // Refused inside the sandbox: the request never left the page.
  expect(foreignRequests).toEqual([]);

  await addTsCell(
    page,
    "storage",
    [
      probe(
        "indexedDB",
        'await new Promise((ok, no) => { const r = indexedDB.open("assay"); r.onsuccess = ok; r.onerror = no; });',
      ),
      probe("caches", "await caches.keys();"),
      probe("parent", "(self as any).parent.document.title;"),
    ].join("\n"),
  );
  await runCell(page, "storage");
  await expect(cell(page, "storage")).toHaveAttribute("data-status", "done");
  expect(await texts(page, "storage").allTextContents()).toEqual([
    "indexedDB: refused",
    "caches: refused",
    "parent: refused",
  ]);
});

test("an infinite loop is interrupted and the next cell still runs", async ({ page }) => {
  await openEmptyNotebook(page);
  await addTsCell(page, "spin", "while (true) {}");
  await runCell(page, "spin");
  await expect(cell(page, "spin")).toHaveAttribute("data-status", "running");
  await page.waitForTimeout(1000);
  // The app stays responsive while the loop runs.
  await expect(page.getByTestId("add-sql")).toBeEnabled();
  await cell(page, "spin").getByTestId("cancel-cell").click();
  await expect(cell(page, "spin")).toHaveAttribute("data-status", "cancelled", { timeout: 10_000 });
  await expect(cell(page, "spin").getByTestId("cell-error")).toContainText(/Interrupted/);
  await addTsCell(page, "next", "display(6 * 7);");
  await runCell(page, "next");
  await expect(texts(page, "next").first()).toHaveText("42");
});

test("a SQL cell cannot read a URL", async ({ page, foreignRequests }) => {
  await openEmptyNotebook(page);
  await addSqlCell(page, "remote", "SELECT * FROM read_csv('https://example.com/data.csv')");
  await runCell(page, "remote");
  await expect(cell(page, "remote")).toHaveAttribute("data-status", "error");
  await expect(cell(page, "remote").getByTestId("cell-error")).toContainText(/network|external|disabled|not allowed/i);
  expect(foreignRequests).toEqual([]);
});

test("an imported notebook's TypeScript cells wait until the notebook is trusted", async ({ page }) => {
  await openEmptyNotebook(page);
  await addTsCell(page, "hello", 'display("ran");');
  await addSqlCell(page, "plain", "SELECT 1 AS one");
  // Mark the saved notebook as imported and untrusted, as the import does.
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          new Promise<boolean>((resolve) => {
            const open = indexedDB.open("assay");
            open.onsuccess = () => {
              const db = open.result;
              const meta = db.transaction("meta").objectStore("meta").get("last");
              meta.onsuccess = () => {
                const store = db.transaction("notebooks", "readwrite").objectStore("notebooks");
                const get = store.get(meta.result as string);
                get.onsuccess = () => {
                  const saved = get.result;
                  const cells: { kind: string; name: string; source: string }[] = saved?.doc.cells ?? [];
                  if (
                    !cells.some((c) => c.kind === "ts" && c.source) ||
                    !cells.some((c) => c.name === "plain" && c.source)
                  ) {
                    resolve(false);
                    return;
                  }
                  saved.doc.trusted = false;
                  store.put(saved).onsuccess = () => resolve(true);
                };
              };
            };
          }),
      ),
    )
    .toBe(true);
  await page.goto("./");
  await expect(page.getByTestId("engine-status")).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
  await expect(page.getByTestId("trust-banner")).toBeVisible();
  await runCell(page, "hello");
  await expect(cell(page, "hello")).toHaveAttribute("data-status", "error");
  await expect(cell(page, "hello").getByTestId("cell-error")).toContainText(/Trust this notebook/);
  await expect(texts(page, "hello")).toHaveCount(0);
  // SQL still runs before trust.
  await runCell(page, "plain");
  await expect(cell(page, "plain")).toHaveAttribute("data-status", "done");
  await page.getByTestId("trust-notebook").click();
  await expect(page.getByTestId("trust-banner")).toHaveCount(0);
  await runCell(page, "hello");
  await expect(texts(page, "hello").first()).toHaveText("ran");
});
