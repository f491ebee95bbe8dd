/**
 * Input checks shared by every metric family. Each throws an `AuditInputError` whose
 * message names the column, what was found and what to do. They only read the data.
 */
import type { ColumnInfo, QueryFn } from "../engine/types";
import { quoteIdentifier } from "../sql/identifiers";
import { AuditInputError } from "./errors";
import { num, queryRows } from "./rows";
import { finiteMagnitudeSql, HUGE_MAGNITUDE } from "./stats/scaled-moments";

/** The columns of a table or view, as DuckDB types them. */
export async function describeRelation(query: QueryFn, source: string): Promise<ColumnInfo[]> {
  const rows = await queryRows(query, `DESCRIBE SELECT * FROM ${quoteIdentifier(source)}`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*)$/;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type.toUpperCase());
}

/** Whether a column type holds integers only (its values, cast to DOUBLE, are integers). */
export function isIntegerType(type: string): boolean {
  return INTEGER.test(type.trim().toUpperCase());
}

export function isFloatingType(type: string): boolean {
  return /^(FLOAT|DOUBLE|REAL)$/.test(type.toUpperCase());
}

/** Throws `missing-column` naming the first absent column and the columns that exist. */
export function requireColumns(columns: ColumnInfo[], names: readonly string[], source: string): void {
  const present = new Set(columns.map((c) => c.name));
  for (const name of names) {
    if (present.has(name)) continue;
    const near = columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const hint = near
      ? ` Did you mean "${near.name}"? Names are case-sensitive.`
      : ` Available columns: ${columns.map((c) => `"${c.name}"`).join(", ") || "none"}.`;
    throw new AuditInputError("missing-column", `Column "${name}" does not exist in "${source}".${hint}`, name);
  }
}

/** Throws `wrong-type` unless the column is numeric. */
export function requireNumeric(columns: ColumnInfo[], name: string, role: string): void {
  const column = columns.find((c) => c.name === name);
  if (column && !isNumericType(column.type)) {
    throw new AuditInputError(
      "wrong-type",
      `The ${role} column "${name}" has type ${column.type}; a numeric column is needed. Cast it in a SQL cell first.`,
      name,
    );
  }
}

/** Number of rows in a relation; throws `empty-table` when there are none. */
export async function requireRows(query: QueryFn, source: string): Promise<number> {
  const [row] = await queryRows(query, `SELECT count(*) AS n FROM ${quoteIdentifier(source)}`);
  const n = num(row?.n) ?? 0;
  if (n === 0) {
    throw new AuditInputError("empty-table", `"${source}" has no rows. Load data or widen the filter, then run again.`);
  }
  return n;
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/**
 * Checks that a label column holds only 0/1 (or true/false) besides nulls.
 * Throws `label-not-binary` listing up to five of the values found.
 * One cheap aggregate first — the type, the non-null count, min and max — settles BOOLEAN
 * columns ("true"/"false") and integer columns with 0 ≤ min, max ≤ 1 ("0"/"1"). FLOAT/DOUBLE
 * columns within [0, 1] take one bounded count of the values equal to 0 or 1 ("0.0"/"1.0";
 * −0.0 prints "-0.0" and is not counted). Anything else (text, DECIMAL, which prints its
 * scale, other types, or values that are not 0/1) lists the distinct text values as before.
 */
export async function requireBinaryLabel(query: QueryFn, source: string, column: string): Promise<void> {
  const c = quoteIdentifier(column);
  const from = quoteIdentifier(source);
  let quick: Record<string, unknown> | undefined;
  try {
    [quick] = await queryRows(
      query,
      `SELECT count(${c}) AS present, typeof(any_value(${c})) AS type, min(${c}) AS lo, max(${c}) AS hi FROM ${from}`,
    );
  } catch {
    quick = undefined; // a type without min/max: the text listing below decides.
  }
  if (quick !== undefined) {
    const present = num(quick.present) ?? 0;
    if (present === 0) {
      throw new AuditInputError("all-null", `The label column "${column}" has no non-null values.`, column);
    }
    const type = String(quick.type).toUpperCase();
    const within = () => {
      const lo = num(quick?.lo);
      const hi = num(quick?.hi);
      return lo !== null && hi !== null && lo >= 0 && hi <= 1;
    };
    if (type === "BOOLEAN" || (INTEGER.test(type) && within())) return;
    if (isFloatingType(type) && within()) {
      const [row] = await queryRows(
        query,
        `SELECT count(CASE WHEN ${c} = 1 OR (${c} = 0 AND NOT signbit(${c})) THEN 1 END) AS binary FROM ${from}`,
      );
      if (num(row?.binary) === present) return;
    }
  }
  const rows = await queryRows(
    query,
    `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${from} WHERE ${c} IS NOT NULL ORDER BY v LIMIT 6`,
  );
  const values = rows.map((r) => String(r.v));
  const allowed = new Set(["0", "1", "0.0", "1.0", "true", "false"]);
  const bad = values.filter((v) => !allowed.has(v));
  if (bad.length > 0 || values.length > 2) {
    throw new AuditInputError(
      "label-not-binary",
      `The label column "${column}" must hold only 0 and 1 (or true/false); found ${values
        .slice(0, 5)
        .map((v) => JSON.stringify(v))
        .join(
          ", ",
        )}${values.length > 5 ? ", …" : ""}. Map it to 0/1 in a SQL cell, e.g. CASE WHEN … THEN 1 ELSE 0 END.`,
      column,
    );
  }
  if (values.length === 0) {
    throw new AuditInputError("all-null", `The label column "${column}" has no non-null values.`, column);
  }
}

/**
 * Checks that a score column is a probability: finite and within [0, 1].
 * Throws `non-finite-values` or `score-out-of-range` with counts and an example value.
 * First one min/max aggregate (DuckDB orders NaN above +Inf, so min ≥ 0 and max ≤ 1 also rule
 * out NaN and ±Inf); the counts for the message are only taken when that check fails.
 */
export async function requireProbabilities(query: QueryFn, source: string, column: string): Promise<void> {
  const c = quoteIdentifier(column);
  const [quick] = await queryRows(
    query,
    `SELECT count(${c}) AS present, min(${c}) >= 0 AND max(${c}) <= 1 AS ok FROM ${quoteIdentifier(source)}`,
  );
  if ((num(quick?.present) ?? 0) === 0) {
    throw new AuditInputError("all-null", `The score column "${column}" has no non-null values.`, column);
  }
  if (quick?.ok === true) return;
  const finite = `(isfinite(${c}::DOUBLE))`;
  const [row] = await queryRows(
    query,
    `SELECT count(CASE WHEN ${c} IS NOT NULL AND NOT ${finite} THEN 1 END) AS non_finite,
            count(CASE WHEN ${finite} AND (${c} < 0 OR ${c} > 1) THEN 1 END) AS outside,
            min(CASE WHEN ${finite} THEN ${c} END) AS lo, max(CASE WHEN ${finite} THEN ${c} END) AS hi,
            count(${c}) AS present
     FROM ${quoteIdentifier(source)}`,
  );
  const nonFinite = num(row?.non_finite) ?? 0;
  const outside = num(row?.outside) ?? 0;
  if ((num(row?.present) ?? 0) === 0) {
    throw new AuditInputError("all-null", `The score column "${column}" has no non-null values.`, column);
  }
  if (nonFinite > 0) {
    throw new AuditInputError(
      "non-finite-values",
      `The score column "${column}" has ${nonFinite} NaN or infinite values. Filter or replace them in a SQL cell first.`,
      column,
    );
  }
  if (outside > 0) {
    throw new AuditInputError(
      "score-out-of-range",
      `The score column "${column}" must lie in [0, 1]; ${outside} values are outside (min ${num(row?.lo)}, max ${num(
        row?.hi,
      )}). If these are logits, apply 1/(1+exp(-x)) in a SQL cell.`,
      column,
    );
  }
}

/**
 * Checks that a score column that need not be a probability is finite and well inside double
 * range, for a `metric` that sums it and takes its sample variance: NaN or ±Inf would make the
 * result NaN, and values reaching HUGE_MAGNITUDE (2^490) make DuckDB's `var_samp` fail ("VARSAMP
 * is out of range"). Throws `non-finite-values` or `score-out-of-range`. One scan.
 */
export async function requireModerateScores(
  query: QueryFn,
  source: string,
  column: string,
  metric: string,
): Promise<void> {
  const d = `CAST(${quoteIdentifier(column)} AS DOUBLE)`;
  const [row] = await queryRows(
    query,
    `SELECT count(CASE WHEN NOT isfinite(${d}) THEN 1 END) AS non_finite, ${finiteMagnitudeSql(d)} AS largest
     FROM ${quoteIdentifier(source)}`,
  );
  const nonFinite = num(row?.non_finite) ?? 0;
  if (nonFinite > 0) {
    throw new AuditInputError(
      "non-finite-values",
      `The score column "${column}" has ${nonFinite} NaN or infinite values; ${metric} needs finite scores. Filter or replace them in a SQL cell first.`,
      column,
    );
  }
  const largest = num(row?.largest) ?? 0;
  if (largest >= HUGE_MAGNITUDE) {
    throw new AuditInputError(
      "score-out-of-range",
      `The score column "${column}" reaches ${largest} in magnitude; ${metric}'s sums and variances would overflow double precision. Divide the column by a power of ten that brings it to ordinary magnitudes (by 1e300 for values near 1e308) in a SQL cell, then run the check again.`,
      column,
    );
  }
}
