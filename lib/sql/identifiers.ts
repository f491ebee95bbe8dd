/**
 * Quoting for SQL text that Assay generates. Every identifier goes through
 * `quoteIdentifier`; every value that cannot be a bound parameter goes through
 * `quoteString` or `numberLiteral`. Nothing else splices user input into SQL.
 */

/** Quotes a table or column name for DuckDB: `my "col"` → `"my ""col"""`. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new Error("An empty name cannot be used as a SQL identifier.");
  if (name.includes("\u0000")) throw new Error(`Name ${JSON.stringify(name)} contains a NUL character.`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string value as a SQL literal: `it's` → `'it''s'`. */
export function quoteString(value: string): string {
  if (value.includes("\u0000")) throw new Error(`Value ${JSON.stringify(value)} contains a NUL character.`);
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Renders a finite number as a DOUBLE literal that round-trips exactly.
 * Throws on NaN and ±Inf, which would otherwise turn into identifiers.
 */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Expected a finite number, got ${value}.`);
  // Exponent notation: DuckDB reads `0.1` as a DECIMAL, whose cast to DOUBLE can land one ulp
  // off for 16–17 significant digits; `1e-1` is parsed straight to a correctly rounded DOUBLE.
  return `CAST(${value.toExponential()} AS DOUBLE)`;
}

/** Renders a non-negative integer literal (limits, bin counts). */
export function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Expected an integer, got ${value}.`);
  return String(value);
}

const SQL_KEYWORDS = new Set([
  "all",
  "and",
  "as",
  "by",
  "case",
  "cast",
  "create",
  "default",
  "desc",
  "distinct",
  "drop",
  "else",
  "end",
  "from",
  "group",
  "having",
  "in",
  "is",
  "join",
  "limit",
  "not",
  "null",
  "on",
  "or",
  "order",
  "select",
  "table",
  "then",
  "to",
  "union",
  "using",
  "view",
  "when",
  "where",
  "with",
]);

/**
 * Derives a readable, unquoted-safe table name from a file name:
 * `Prediction Logs (Q3).parquet` → `prediction_logs_q3`. The result is still quoted
 * wherever it is used; this only keeps names easy to type in SQL cells.
 */
export function tableNameFromFileName(fileName: string): string {
  const stem = fileName.replace(/\.(parquet|arrow|feather|ipc|csv|tsv|txt|json|ndjson|jsonl)(\.gz)?$/i, "");
  let name = stem
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_");
  if (name === "") name = "dataset";
  if (/^[0-9]/.test(name)) name = `t_${name}`;
  if (SQL_KEYWORDS.has(name)) name = `${name}_data`;
  return name.slice(0, 63);
}

/** Returns `base`, or `base_2`, `base_3`… — the first that `taken` does not hold. */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
