/**
 * A streamed profile: what drift needs from a table, computed batch by batch (a Parquet row group,
 * a range of rows) so that the table never has to be held whole. Every part merges exactly across
 * batches, in one pass:
 *   - numeric columns: counts of finite values, nulls, NaN and ±Inf; min and max; mean and the sum of
 *     squared deviations (Chan's pairwise update of each batch's own two-pass moments); a histogram
 *     on the fixed grid of grid.ts (bins at most 0.39% wide), which gives quantiles, KS and
 *     Wasserstein with stated bounds (streamed-drift.ts);
 *   - categorical columns: counts per value.
 * A profile is plain JSON: save the reference's once and compare every new batch of logs with it.
 */
import type { Table } from "apache-arrow";
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { columnKindOf } from "../drift/columns";
import {
  type CategoricalColumn,
  compileOneSideCategoryCounts,
  decodeOneSideCategoryCounts,
} from "../drift/categorical-counts-sql";
import { doubleOf, finiteOf, finiteValueOf } from "../drift/numeric-summary-sql";
import { compareCodePoints } from "../drift/profile-drift";
import type { ProfileCategoricalColumn } from "../drift/reference-profile-types";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import { isIntegerType, requireColumns } from "../validate";
import { WarningLog } from "../warnings";
import { type NumericBatchStats, numericStatsOfArrow } from "./arrow-numeric";
import { compileGridBins, GRID_SUB_BITS } from "./grid";
import { SCALE_EXPONENT } from "../stats/scaled-moments";

export const STREAMED_PROFILE_FORMAT = "assay-streamed-profile";

export interface StreamedNumericColumn {
  column: string;
  type: string;
  kind: "numeric";
  /** Finite values. */
  n: number;
  nulls: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Of the finite values; null when there are none. */
  min: number | null;
  max: number | null;
  mean: number;
  /**
   * Σ (x − mean)² over the finite values; +Infinity when it exceeds the double range (values near
   * ±1.8e308; saved as null in JSON).
   */
  m2: number;
  /**
   * Every finite value is a whole number (integer storage, or e.g. a 0/1 label stored as DOUBLE): a
   * grid bin at most 1 wide then holds one value, whose counts are exact.
   */
  integer: boolean;
  /** Occupied grid bins, ascending (ascending values), and their counts. */
  bins: number[];
  counts: number[];
}

/**
 * A categorical column: the same counts per value a saved reference profile holds (nulls, and
 * NaN / ±Inf of numeric columns profiled as categorical, in `dropped`; values in code-point order).
 */
export type StreamedCategoricalColumn = ProfileCategoricalColumn;

export type StreamedColumn = StreamedNumericColumn | StreamedCategoricalColumn;

export interface StreamedProfile {
  format: typeof STREAMED_PROFILE_FORMAT;
  version: 1;
  gridSubBits: number;
  /** What was read (a file name or a table). */
  source: string;
  rows: number;
  batches: number;
  columns: StreamedColumn[];
  /** Every column of the source with its type, profiled or not (absent in profiles saved before it). */
  schema?: ColumnInfo[];
}

/** A table read batch by batch. */
export interface BatchStream {
  /** What the batches come from, for messages and the profile's `source`. */
  source: string;
  /**
   * The source's columns. A stream opened for some columns only (`CheckContext.batchesOf`) still
   * lists them all, so that a missing name is reported against the whole source, but its batches
   * hold only the columns asked for.
   */
  columns: ColumnInfo[];
  /**
   * Makes the next batch queryable and resolves to the name of the relation holding it (the
   * previous batch may be gone by then), or to null after the last batch.
   */
  next(): Promise<string | null>;
  /** Runs SQL where the batches are visible, when that is not the caller's connection. */
  query?: QueryFn;
  /**
   * The current batch as Arrow, when the stream holds it (the app's decoded row group): its
   * numeric columns are then profiled from their buffers (arrow-numeric.ts) instead of by SQL.
   */
  arrow?(): Promise<Table | null>;
  /** Releases the stream when it is left before its last batch (idempotent). */
  close?(): Promise<void>;
}

export interface StreamedProfileOptions {
  /** Columns to profile; default every numeric and categorical column (others are skipped with a warning). */
  columns?: readonly string[];
  /** Columns to profile as categorical even when numeric. */
  categorical?: readonly string[];
  /** A categorical column with more distinct values than this is left out with a warning (default 100 000). */
  maxCategories?: number;
}

export const DEFAULT_MAX_CATEGORIES = 100_000;

interface NumericPlan {
  column: string;
  type: string;
  integer: boolean;
}

interface ProfilePlan {
  numeric: NumericPlan[];
  categorical: (CategoricalColumn & { type: string })[];
}

function planProfile(stream: BatchStream, options: StreamedProfileOptions, warnings: WarningLog): ProfilePlan {
  const names = options.columns ? [...options.columns] : stream.columns.map((c) => c.name);
  requireColumns(stream.columns, names, stream.source);
  const forced = new Set(options.categorical ?? []);
  for (const name of forced) {
    if (!names.includes(name)) {
      throw new AuditInputError("invalid-option", `"${name}" is listed as categorical but is not profiled.`, name);
    }
  }
  const plan: ProfilePlan = { numeric: [], categorical: [] };
  for (const name of names) {
    const type = stream.columns.find((c) => c.name === name)?.type ?? "";
    const kind = columnKindOf(type);
    if (forced.has(name)) plan.categorical.push({ column: name, numeric: kind === "numeric", type });
    else if (kind === "numeric") plan.numeric.push({ column: name, type, integer: isIntegerType(type) });
    else if (kind === "categorical") plan.categorical.push({ column: name, numeric: false, type });
    else if (options.columns) {
      throw new AuditInputError(
        "wrong-type",
        `Column "${name}" of "${stream.source}" is ${type}, which drift cannot compare. Cast it to a number or text in a SQL cell, or leave it out.`,
        name,
      );
    } else {
      warnings.warn(
        "column-skipped",
        `"${name}" (${type}) is neither numeric nor categorical; it was not profiled.`,
        name,
      );
    }
  }
  return plan;
}

/**
 * One row: the batch's rows, and per numeric column i n{i}, nulls{i}, nan{i}, pinf{i}, ninf{i},
 * whole{i} (finite values that are whole numbers), min{i}, max{i}, sum{i}.
 */
export function compileBatchSummary(relation: string, columns: readonly NumericPlan[]): string {
  const parts = [`count(*) AS rows`];
  columns.forEach(({ column }, i) => {
    const q = quoteIdentifier(column);
    const d = doubleOf(column);
    const v = finiteValueOf(column);
    // NaN = non-finite − ±Inf: one comparison less per value than isnan (CASE is cheaper than FILTER).
    parts.push(
      `count(${v}) AS n${i}`,
      `count(*) - count(${q}) AS nulls${i}`,
      `count(${q}) - count(${v}) - count(CASE WHEN ${d} = 'inf'::DOUBLE THEN 1 END) - count(CASE WHEN ${d} = '-inf'::DOUBLE THEN 1 END) AS nan${i}`,
      `count(CASE WHEN ${d} = 'inf'::DOUBLE THEN 1 END) AS pinf${i}`,
      `count(CASE WHEN ${d} = '-inf'::DOUBLE THEN 1 END) AS ninf${i}`,
      `count(CASE WHEN ${v} = floor(${v}) THEN 1 END) AS whole${i}`,
      `min(${v}) AS min${i}`,
      `max(${v}) AS max${i}`,
      `fsum(${v}) AS sum${i}`,
    );
  });
  return `SELECT ${parts.join(", ")} FROM ${quoteIdentifier(relation)}`;
}

/** One row: m2{i} = Σ (x − mean_i)² over column i's finite values, for the batch's own means. */
export function compileBatchDeviations(relation: string, columns: readonly { column: string; mean: number }[]): string {
  const parts = columns.map(({ column, mean }, i) => {
    const d = `(${finiteValueOf(column)} - ${numberLiteral(mean)})`;
    return `fsum(${d} * ${d}) AS m2${i}`;
  });
  return `SELECT ${parts.join(", ")} FROM ${quoteIdentifier(relation)}`;
}

/** Rows (col, bin, n): the grid histogram of every numeric column of the batch. */
export function compileBatchGrid(relation: string, columns: readonly { column: string }[]): string {
  return columns
    .map(
      ({ column }, i) =>
        `SELECT ${integerLiteral(i)} AS col, bin, count(*) AS n FROM (${compileGridBins(
          `SELECT ${doubleOf(column)} AS x FROM ${quoteIdentifier(relation)} WHERE ${finiteOf(column)}`,
        )}) GROUP BY bin`,
    )
    .join("\nUNION ALL\n");
}

/** A numeric column's running state. */
class NumericAccumulator {
  n = 0;
  nulls = 0;
  nan = 0;
  posInf = 0;
  negInf = 0;
  whole = 0;
  min: number | null = null;
  max: number | null = null;
  mean = 0;
  m2 = 0;
  readonly bins = new Map<number, number>();

  constructor(readonly plan: NumericPlan) {}

  /** Chan et al.'s update: merges a batch of nb values with mean mb and m2b. */
  addMoments(nb: number, mb: number, m2b: number): void {
    if (nb === 0) return;
    const n = this.n + nb;
    const delta = mb - this.mean;
    const mean = this.mean + (delta * nb) / n;
    // Means near ±1.8e308 of opposite signs overflow the difference: weigh them instead.
    this.mean = Number.isFinite(mean) ? mean : this.mean * (this.n / n) + mb * (nb / n);
    // Σ of squares is never NaN but from an overflow (Inf − Inf in a compensated sum): +Infinity.
    const m2 = this.m2 + m2b + ((delta * delta * this.n) / n) * nb;
    this.m2 = Number.isNaN(m2) ? Number.POSITIVE_INFINITY : m2;
    this.n = n;
  }

  toColumn(): StreamedNumericColumn {
    const bins = [...this.bins.keys()].sort((a, b) => a - b);
    return {
      column: this.plan.column,
      type: this.plan.type,
      kind: "numeric",
      n: this.n,
      nulls: this.nulls,
      nan: this.nan,
      posInf: this.posInf,
      negInf: this.negInf,
      min: this.min,
      max: this.max,
      mean: this.mean,
      m2: this.m2,
      integer: this.plan.integer || (this.n > 0 && this.whole === this.n),
      bins,
      counts: bins.map((b) => this.bins.get(b) ?? 0),
    };
  }
}

function count(row: Row, key: string): number {
  return num(row[key]) ?? 0;
}

/** Adds one batch's numbers of a column, computed from Arrow, to its accumulator. */
function addArrowStats(a: NumericAccumulator, s: NumericBatchStats): void {
  a.nulls += s.nulls;
  a.nan += s.nan;
  a.posInf += s.posInf;
  a.negInf += s.negInf;
  a.whole += s.whole;
  if (s.n === 0) return;
  a.min = a.min === null ? (s.min as number) : Math.min(a.min, s.min as number);
  a.max = a.max === null ? (s.max as number) : Math.max(a.max, s.max as number);
  a.addMoments(s.n, s.mean, s.m2);
  for (const [bin, k] of s.bins) a.bins.set(bin, (a.bins.get(bin) ?? 0) + k);
}

/**
 * Profiles a batch's numeric columns: from `table` (the batch as Arrow) where its column types
 * allow, by SQL otherwise. Returns the batch's row count.
 */
async function profileNumericBatch(
  query: QueryFn,
  relation: string,
  all: readonly NumericAccumulator[],
  table: Table | null,
): Promise<number> {
  const fromArrow = table
    ? numericStatsOfArrow(
        table,
        all.map((a) => a.plan.column),
      )
    : new Map();
  for (const a of all) {
    const stats = fromArrow.get(a.plan.column);
    if (stats) addArrowStats(a, stats);
  }
  const acc = all.filter((a) => !fromArrow.has(a.plan.column));
  if (acc.length === 0 && table) return table.numRows;
  const plans = acc.map((a) => a.plan);
  const [summary] = await queryRows(query, compileBatchSummary(relation, plans));
  if (!summary) return 0;
  const moments: { column: string; mean: number; n: number; i: number }[] = [];
  acc.forEach((a, i) => {
    const n = count(summary, `n${i}`);
    a.nulls += count(summary, `nulls${i}`);
    a.nan += count(summary, `nan${i}`);
    a.posInf += count(summary, `pinf${i}`);
    a.negInf += count(summary, `ninf${i}`);
    a.whole += count(summary, `whole${i}`);
    if (n === 0) return;
    const lo = num(summary[`min${i}`]) as number;
    const hi = num(summary[`max${i}`]) as number;
    a.min = a.min === null ? lo : Math.min(a.min, lo);
    a.max = a.max === null ? hi : Math.max(a.max, hi);
    moments.push({ column: a.plan.column, mean: (num(summary[`sum${i}`]) as number) / n, n, i });
  });
  // Values near the largest double overflow the sum although their mean is an ordinary double:
  // those columns' means are summed again over values scaled by 2^−600.
  const overflowed = moments.filter((m) => !Number.isFinite(m.mean));
  if (overflowed.length > 0) {
    const scale = numberLiteral(2 ** -SCALE_EXPONENT);
    const items = overflowed.map((m, k) => `fsum(${finiteValueOf(m.column)} * ${scale}) AS s${k}`);
    const [scaled] = await queryRows(query, `SELECT ${items.join(", ")} FROM ${quoteIdentifier(relation)}`);
    overflowed.forEach((m, k) => {
      m.mean = ((num(scaled?.[`s${k}`]) as number) / m.n) * 2 ** SCALE_EXPONENT;
    });
  }
  if (moments.length > 0) {
    const [dev] = await queryRows(query, compileBatchDeviations(relation, moments));
    moments.forEach((m, k) => {
      (acc[m.i] as NumericAccumulator).addMoments(m.n, m.mean, num(dev?.[`m2${k}`]) ?? 0);
    });
    const withValues = moments.map((m) => acc[m.i] as NumericAccumulator);
    const rows = await queryRows(
      query,
      compileBatchGrid(
        relation,
        withValues.map((a) => a.plan),
      ),
    );
    for (const row of rows) {
      const target = withValues[num(row.col) ?? -1];
      const bin = num(row.bin);
      if (!target || bin === null) continue;
      target.bins.set(bin, (target.bins.get(bin) ?? 0) + count(row, "n"));
    }
  }
  return count(summary, "rows");
}

/** Reads every batch of `stream` once and returns its profile. */
export async function profileStream(
  query: QueryFn,
  stream: BatchStream,
  options: StreamedProfileOptions = {},
): Promise<{ profile: StreamedProfile; warnings: WarningLog }> {
  const warnings = new WarningLog();
  const plan = planProfile(stream, options, warnings);
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const numeric = plan.numeric.map((p) => new NumericAccumulator(p));
  let categorical = plan.categorical.map((c) => ({ plan: c, n: 0, dropped: 0, counts: new Map<string, number>() }));
  let rows = 0;
  let batches = 0;
  const q = stream.query ?? query;
  for (let relation = await stream.next(); relation !== null; relation = await stream.next()) {
    batches += 1;
    rows +=
      numeric.length > 0
        ? await profileNumericBatch(q, relation, numeric, (await stream.arrow?.()) ?? null)
        : (num((await queryRows(q, `SELECT count(*) AS n FROM ${quoteIdentifier(relation)}`))[0]?.n) ?? 0);
    if (categorical.length > 0) {
      const spec = { source: relation, columns: categorical.map((c) => c.plan) };
      const counted = decodeOneSideCategoryCounts(spec, await queryRows(q, compileOneSideCategoryCounts(spec)));
      counted.forEach((c, i) => {
        const target = categorical[i];
        if (!target) return;
        target.n += c.n;
        target.dropped += c.dropped;
        for (const { value, count: k } of c.categories) target.counts.set(value, (target.counts.get(value) ?? 0) + k);
      });
      const kept = categorical.filter((c) => c.counts.size <= maxCategories);
      for (const c of categorical) {
        if (c.counts.size > maxCategories) {
          warnings.warn(
            "too-many-categories",
            `"${c.plan.column}" has more than ${maxCategories.toLocaleString("en-US")} distinct values, too many to compare as categories (an identifier?); it was not profiled. List the columns to profile, or raise \`maxCategories\`.`,
            c.plan.column,
          );
        }
      }
      categorical = kept;
    }
  }
  const columns: StreamedColumn[] = [];
  const byName = new Map<string, StreamedColumn>();
  for (const a of numeric) byName.set(a.plan.column, a.toColumn());
  for (const c of categorical) {
    byName.set(c.plan.column, {
      column: c.plan.column,
      type: c.plan.type,
      kind: "categorical",
      n: c.n,
      dropped: c.dropped,
      numericStorage: c.plan.numeric,
      categories: [...c.counts.entries()]
        .sort(([a], [b]) => compareCodePoints(a, b))
        .map(([value, k]) => ({ value, count: k })),
    });
  }
  // Columns in the stream's order.
  for (const { name } of stream.columns) {
    const column = byName.get(name);
    if (column) columns.push(column);
  }
  return {
    profile: {
      format: STREAMED_PROFILE_FORMAT,
      version: 1,
      gridSubBits: GRID_SUB_BITS,
      source: stream.source,
      rows,
      batches,
      columns,
      schema: stream.columns.map(({ name, type }) => ({ name, type })),
    },
    warnings,
  };
}

/** Reads a saved profile back, checking its shape and that its grid matches this build's. */
export function parseStreamedProfile(json: unknown): StreamedProfile {
  const p = json as Partial<StreamedProfile> | null;
  if (!p || typeof p !== "object" || p.format !== STREAMED_PROFILE_FORMAT) {
    throw new AuditInputError(
      "invalid-option",
      "This is not an Assay streamed profile (its `format` field is missing or different).",
    );
  }
  if (p.version !== 1 || p.gridSubBits !== GRID_SUB_BITS) {
    throw new AuditInputError(
      "invalid-option",
      `This streamed profile is version ${String(p.version)} with a ${String(p.gridSubBits)}-bit grid; this build reads version 1 with a ${GRID_SUB_BITS}-bit grid. Profile the data again with this build.`,
    );
  }
  const broken = (what: string) =>
    new AuditInputError("invalid-option", `This streamed profile is damaged: ${what}. Profile the data again.`);
  if (!Array.isArray(p.columns)) throw broken("it has no `columns` list");
  for (const c of p.columns as unknown[]) {
    const column = (c ?? {}) as {
      column?: unknown;
      kind?: unknown;
      bins?: unknown;
      counts?: unknown;
      n?: unknown;
      categories?: unknown;
    };
    const name = typeof column.column === "string" ? `"${column.column}"` : "a column";
    if (column.kind === "numeric") {
      const bins = Array.isArray(column.bins) ? (column.bins as unknown[]) : null;
      const counts = Array.isArray(column.counts) ? (column.counts as unknown[]) : null;
      const ok =
        bins !== null &&
        counts !== null &&
        bins.length === counts.length &&
        bins.every((b, i) => Number.isInteger(b) && (i === 0 || (b as number) > (bins[i - 1] as number))) &&
        counts.every((k) => Number.isInteger(k) && (k as number) > 0) &&
        counts.reduce((a: number, k) => a + (k as number), 0) === column.n;
      if (!ok) throw broken(`${name}'s histogram is not ascending bins whose counts add up to its n`);
      // JSON has no Infinity: an m2 beyond the double range (values near ±1.8e308) was saved as null.
      const moments = column as { m2?: unknown };
      if (moments.m2 === null) moments.m2 = Number.POSITIVE_INFINITY;
    } else if (column.kind === "categorical") {
      if (!Array.isArray(column.categories)) throw broken(`${name} has no category counts`);
    } else throw broken(`${name} is neither numeric nor categorical`);
  }
  return p as StreamedProfile;
}
