/**
 * SQL run once on every new DuckDB connection, in the browser and in the CLI alike,
 * so that both engines give the same numbers and neither reaches the network.
 */
export const SESSION_SETTINGS: readonly string[] = [
  // Never download extensions: DuckDB-WASM would fetch them from the internet, which breaks
  // offline use and can leave the instance half-initialised when the fetch fails.
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
];

/**
 * Native DuckDB ships ICU and would render TIMESTAMPTZ in the machine's zone; DuckDB-WASM has
 * no ICU and always uses UTC. Pinning native to UTC makes both engines agree.
 */
export const NATIVE_ONLY_SETTINGS: readonly string[] = ["SET TimeZone = 'UTC'"];

/** The DuckDB release both engines must run; a test fails when they drift apart. */
export const EXPECTED_DUCKDB_VERSION = "v1.4.3";
