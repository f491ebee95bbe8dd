/**
 * DuckDB-WASM reads `http(s)://` paths (`read_csv('https://…')`) with XMLHttpRequest from its
 * worker, which would send a request to another host. The DuckDB worker is started behind this
 * guard: a classic worker script that refuses any XHR or fetch outside the app's own origin,
 * then loads the real DuckDB worker. SQL cells and TypeScript cells' `sql` both go through it.
 */

/** The message a refused read carries into DuckDB's error. */
export const NETWORK_REFUSED = "Reading from the network is not allowed in Assay";

const GUARD = `
const origin = new URL(__DUCKDB_WORKER__).origin;
const allowed = (u) => { try { return new URL(String(u), origin).origin === origin; } catch { return false; } };
const refuse = (u) => ${JSON.stringify(NETWORK_REFUSED)} + ": " + String(u) + " is on another host. Load the file in the data panel instead.";
const open = XMLHttpRequest.prototype.open;
XMLHttpRequest.prototype.open = function (method, url, ...rest) {
  if (!allowed(url)) throw new Error(refuse(url));
  return open.call(this, method, url, ...rest);
};
const realFetch = self.fetch.bind(self);
self.fetch = (input, init) => {
  const url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
  return allowed(url) ? realFetch(input, init) : Promise.reject(new TypeError(refuse(url)));
};
importScripts(__DUCKDB_WORKER__);
`;

/** A blob: URL for a worker that installs the guard, then runs DuckDB's worker at `workerUrl`. */
export function guardedWorkerUrl(workerUrl: string): string {
  const source = GUARD.replaceAll("__DUCKDB_WORKER__", JSON.stringify(workerUrl));
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}
