// Copies the engine's WebAssembly and worker bundles from node_modules into public/engine,
// so the app serves them from its own origin (never a CDN). Runs before every build.
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const duckdbDist = dirname(require.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm"));
const parquetEsm = dirname(require.resolve("parquet-wasm/esm/parquet_wasm_bg.wasm"));

// Only the `eh` bundle ships: every current browser supports Wasm exceptions, and each
// bundle is ~34 MB. The threaded `coi` bundle needs cross-origin isolation (see docs/performance.md).
const assets = [
  [join(duckdbDist, "duckdb-eh.wasm"), "duckdb-eh.wasm"],
  [join(duckdbDist, "duckdb-browser-eh.worker.js"), "duckdb-browser-eh.worker.js"],
  [join(parquetEsm, "parquet_wasm_bg.wasm"), "parquet_wasm_bg.wasm"],
];

const out = join(root, "public", "engine");
mkdirSync(out, { recursive: true });
for (const [from, name] of assets) {
  const to = join(out, name);
  let fresh = false;
  try {
    fresh = statSync(to).size === statSync(from).size && statSync(to).mtimeMs >= statSync(from).mtimeMs;
  } catch {}
  if (!fresh) copyFileSync(from, to);
}
console.log(`engine assets ready in public/engine (${assets.length} files)`);
