/**
 * Registers the offline service worker (public/sw.js, written at build time with the list of
 * files to cache). Skipped in development, where files change under it.
 */
export function registerServiceWorker(): void {
  if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
  const url = new URL("sw.js", document.baseURI);
  navigator.serviceWorker.register(url, { scope: new URL(".", document.baseURI).pathname }).catch((error: unknown) => {
    console.warn("Offline support is unavailable:", error);
  });
}
