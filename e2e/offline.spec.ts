import { addSqlCell, expect, openEmptyNotebook, resultValue, runCell, test, waitForEngineReady } from "./fixtures";

test("after one visit the app opens and works with the network gone", async ({ page, context }) => {
  await openEmptyNotebook(page);
  // The service worker has installed and precached the app, engine and samples.
  await page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    const keys = await caches.keys();
    return registration.active !== null && keys.some((k) => k.startsWith("assay-"));
  });
  await page.waitForFunction(async () => {
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith("assay-")) as string);
    return (await cache.match("./engine/duckdb-eh.wasm")) !== undefined;
  });
  await context.setOffline(true);
  await page.reload();
  await waitForEngineReady(page);
  await addSqlCell(page, "offline", "SELECT 6 * 7 AS answer");
  await runCell(page, "offline");
  expect(await resultValue(page, "offline", 0, 0)).toBe("42");
  await context.setOffline(false);
});
