/**
 * SQL run once on every new DuckDB connection, in the browser and in the CLI alike,
 * so that both engines give the same numbers and neither reaches the network.
 */
export const SESSION_SETTINGS: readonly string[] = [
  // Never download extensions: DuckDB-WASM would fetch them from the internet, which breaks
  // offline use and can leave the instance half-initialised when the fetch fails.
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
  // Let a GROUP BY on one USMALLINT key (2^16 values + NULL: 17 bits) aggregate into a perfect hash
  // table, an array indexed by the key, instead of hashing (default: 12 bits). Drift's fine
  // histogram groups on such a key and got ~40% cheaper in DuckDB-WASM (lib/audit/drift/
  // fine-histogram-sql.ts). The table is sized by the keys' range (from their type or column
  // statistics): at most 2^17 slots of aggregate state, ~8 MB for drift's four aggregates; a query
  // with hundreds of aggregates over such a key would take more (2^17 × its state size).
  "SET perfect_ht_threshold = 17",
];

/**
 * The browser keeps its tables in a compressed in-memory database rather than DuckDB's default
 * one: a table takes about a third of the memory (1M rows × 27 columns of the bench data: 92 MB
 * instead of 278 MB), which is what lets two million-row files and an audit over them fit in
 * about 1.5 GB, and a WebAssembly heap (at most 4 GB) hold ten-million-row files at all. The
 * cost is paid once, while loading: DuckDB compresses each row group as it is appended (about
 * a third more CPU for a Parquet load). Compression is lossless, so results are unchanged.
 */
export const ATTACH_BROWSER_DATABASE = "ATTACH IF NOT EXISTS ':memory:' AS assay (COMPRESS)";

/** What every browser connection runs: the shared settings, then unqualified names go to `assay`. */
export const BROWSER_SESSION_SETTINGS: readonly string[] = [...SESSION_SETTINGS, "USE assay"];

/**
 * Native DuckDB ships ICU and would render TIMESTAMPTZ in the machine's zone; DuckDB-WASM has
 * no ICU and always uses UTC. Pinning native to UTC makes both engines agree.
 */
export const NATIVE_ONLY_SETTINGS: readonly string[] = ["SET TimeZone = 'UTC'"];

/** The DuckDB release both engines must run; a test fails when they drift apart. */
export const EXPECTED_DUCKDB_VERSION = "v1.4.3";
