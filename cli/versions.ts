/**
 * Versions recorded in every export: Assay's own, the native DuckDB the CLI ran, and the
 * browser's DuckDB-WASM with the DuckDB release both must run (`EXPECTED_DUCKDB_VERSION`).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXPECTED_DUCKDB_VERSION } from "../lib/engine/session-settings";

/** The versions written into every export. */
export interface Versions {
  assay: string | null;
  /** `SELECT version()` of the native engine that computed the numbers. */
  duckdb: string;
  /** The @duckdb/node-api package. */
  duckdbNodeApi: string | null;
  /** The @duckdb/duckdb-wasm package the app ships, and the DuckDB release it runs. */
  duckdbWasm: string | null;
  browserDuckdb: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The `version` of an installed package, found by walking up from its entry point. */
function packageVersion(name: string): string | null {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    while (dir !== dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? null;
      } catch {
        // no package.json at this level
      }
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return null;
}

function ownVersion(): string | null {
  try {
    return (JSON.parse(readFileSync(join(here, "..", "package.json"), "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** Versions, given the running engine's `SELECT version()`. */
export function collectVersions(duckdb: string): Versions {
  return {
    assay: ownVersion(),
    duckdb,
    duckdbNodeApi: packageVersion("@duckdb/node-api"),
    duckdbWasm: packageVersion("@duckdb/duckdb-wasm"),
    browserDuckdb: EXPECTED_DUCKDB_VERSION,
  };
}
