/**
 * Reference profile: everything drift needs from a reference table, computed once, so that a
 * 10M-row reference is not re-read for every current batch. Plain JSON (`ReferenceProfile`), or rows
 * (`profileToRows` / `profileToSql`, read back with `profileFromRows`) for the caller to save as Parquet.
 *
 * Per numeric column: n, dropped, min, max, mean, population std and skewness, deciles, the reference
 * counts on the decile bins and on Doane's bins (exact), and either
 *   - exact: its distinct values with counts (when it has ≤ exactCap distinct values, default 10 000):
 *     every drift number against the profile equals the table-based one; or
 *   - sketch: quantile_cont at j/G, j = 0…G (G = sketchSize, default 1000): KS, Wasserstein and
 *     Evidently's Sturges bins (which depend on the current range) are then APPROXIMATE (D within about
 *     1/G); PSI on deciles and NannyML's Doane JS stay exact.
 * Per categorical column: counts per value.
 * Queries: one summary scan (+ skewness pass), one bin-count scan, one sort per sketched column for its
 * order statistics (quantile-sketch.ts), one value-count scan for the low-cardinality columns, one
 * categorical scan.
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import { describeRelation, requireRows } from "../validate";
import { WarningLog } from "../warnings";
import { quantileBins } from "./bin-plan";
import { compileOneSideCategoryCounts, decodeOneSideCategoryCounts } from "./categorical-counts-sql";
import { planColumns } from "./columns";
import { integerLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { doubleLiteral } from "./double-literal";
import { doaneEdges } from "./histogram-edges";
import { type BinSpec, binCount, binIndexSql } from "./numeric-distribution-sql";
import {
  compileOrderStatistics,
  decodeOrderStatistics,
  sketchFromOrderStatistics,
  sketchRanks,
} from "./quantile-sketch";
import {
  compileOneSideSummary,
  compileSkewness,
  decodeOneSideSummary,
  doubleOf,
  finiteOf,
} from "./numeric-summary-sql";
import type {
  ProfileCategoricalColumn,
  ProfileColumn,
  ProfileNumericColumn,
  ReferenceProfile,
} from "./reference-profile-types";

export const PROFILE_FORMAT = "assay-drift-reference-profile";
export const DEFAULT_SKETCH_SIZE = 1000;
export const DEFAULT_EXACT_CAP = 10_000;

export interface ReferenceProfileOptions {
  /** Reference table or view. */
  reference: string;
  /** Columns to profile; default: all that drift can compare. */
  columns?: string[];
  /** Columns to treat as categorical even when numeric. */
  categorical?: string[];
  /** Quantile sketch points − 1 for columns with many distinct values (default 1000). */
  sketchSize?: number;
  /** Store exact distinct values up to this many per column (default 10 000). */
  exactCap?: number;
}

/** Reference counts per bin for several bin sets of several columns, in one scan. */
function compileReferenceBinCounts(source: string, columns: readonly { column: string; bins: BinSpec[] }[]): string {
  const branches = columns.map(({ column, bins }, i) => {
    const rows = bins
      .map(
        (b, k) =>
          `SELECT ${integerLiteral(k)} AS k, ${binIndexSql(b, "v")} AS bin FROM (SELECT ${doubleOf(column)} AS v FROM ${quoteIdentifier(source)} WHERE ${finiteOf(column)})`,
      )
      .join(" UNION ALL ");
    return `SELECT ${integerLiteral(i)} AS col, k, bin, count(*) AS n FROM (${rows}) GROUP BY k, bin`;
  });
  return branches.join("\nUNION ALL\n");
}

function compileReferenceValueCounts(source: string, columns: readonly string[]): string {
  return `${columns
    .map(
      (column, i) =>
        `SELECT ${integerLiteral(i)} AS col, ${doubleOf(column)} AS v, count(*) AS n FROM ${quoteIdentifier(source)} WHERE ${finiteOf(column)} GROUP BY v`,
    )
    .join("\nUNION ALL\n")}\nORDER BY col, v`;
}

function checkSize(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new AuditInputError("invalid-option", `${name} must be an integer in [${min}, ${max}]; got ${value}.`);
  }
  return v;
}

/** Profiles a reference table for later drift runs (`runDrift({ reference: profile, … })`). */
export async function computeReferenceProfile(
  query: QueryFn,
  options: ReferenceProfileOptions,
): Promise<ReferenceProfile> {
  const source = options.reference;
  const sketchSize = checkSize("sketchSize", options.sketchSize, DEFAULT_SKETCH_SIZE, 10, 100_000);
  const exactCap = checkSize("exactCap", options.exactCap, DEFAULT_EXACT_CAP, 0, 1_000_000);
  const rows = await requireRows(query, source);
  const info = await describeRelation(query, source);
  const planned = planColumns({
    reference: info,
    current: info,
    referenceName: source,
    currentName: source,
    ...(options.columns ? { columns: options.columns } : {}),
    ...(options.categorical ? { categorical: options.categorical } : {}),
    warnings: new WarningLog(),
  });
  const typeOf = (name: string) => info.find((c) => c.name === name)?.type ?? "";
  const skipped: string[] = [];
  const out = new Map<string, ProfileColumn>();

  const numericNames = planned.filter((c) => c.kind === "numeric").map((c) => c.column);
  if (numericNames.length > 0) {
    const spec = { source, columns: numericNames, profile: true };
    const [row] = await queryRows(query, compileOneSideSummary(spec));
    const summaries = decodeOneSideSummary(spec, row ?? {});
    const present = numericNames
      .map((column, i) => ({ column, s: summaries[i] as (typeof summaries)[number] }))
      .filter(({ column, s }) => {
        if (s.n > 0) return true;
        skipped.push(column);
        return false;
      });
    const skewness = new Map<string, number>();
    const wanted = present
      .filter(({ s }) => (s.std ?? 0) > 0 && s.n > 2)
      .map(({ column, s }) => ({ column, mean: s.mean ?? 0, std: s.std ?? 0 }));
    if (wanted.length > 0) {
      const [g] = await queryRows(query, compileSkewness({ source, columns: wanted }));
      wanted.forEach((w, i) => {
        skewness.set(w.column, num(g?.[`g1_${i}`]) ?? 0);
      });
    }
    const binSets = present.map(({ column, s }) => {
      const quantile = quantileBins(s.deciles).spec;
      const doane: BinSpec = {
        layout: "histogram",
        edges: doaneEdges(s.min ?? 0, s.max ?? 0, s.n, s.std ?? 0, skewness.get(column) ?? 0),
      };
      return { column, bins: [quantile, doane] };
    });
    const counts = binSets.map(({ bins }) => bins.map((b) => new Array<number>(binCount(b)).fill(0)));
    if (binSets.length > 0) {
      for (const r of await queryRows(query, compileReferenceBinCounts(source, binSets))) {
        const set = counts[num(r.col) ?? -1]?.[num(r.k) ?? -1];
        const bin = num(r.bin) ?? -1;
        if (!set || bin < 0 || bin >= set.length) throw new Error("drift profile: bad bin");
        set[bin] = num(r.n) ?? 0;
      }
    }
    const sketchSpec = {
      source,
      columns: present
        .filter(({ s }) => s.nDistinct > exactCap)
        .map(({ column, s }) => ({ column, ranks: sketchRanks(s.n, sketchSize) })),
    };
    const sketches = new Map<string, number[]>();
    if (sketchSpec.columns.length > 0) {
      const stats = decodeOrderStatistics(sketchSpec, await queryRows(query, compileOrderStatistics(sketchSpec)));
      sketchSpec.columns.forEach(({ column }, i) => {
        const n = present.find((p) => p.column === column)?.s.n ?? 0;
        sketches.set(column, sketchFromOrderStatistics(n, sketchSize, stats[i] ?? new Map()));
      });
    }
    const exactNames = present.filter(({ s }) => s.nDistinct <= exactCap).map(({ column }) => column);
    const exact = new Map<string, { values: number[]; counts: number[] }>();
    if (exactNames.length > 0) {
      for (const name of exactNames) exact.set(name, { values: [], counts: [] });
      for (const r of await queryRows(query, compileReferenceValueCounts(source, exactNames))) {
        const target = exact.get(exactNames[num(r.col) ?? -1] ?? "");
        target?.values.push(num(r.v) ?? Number.NaN);
        target?.counts.push(num(r.n) ?? 0);
      }
    }
    present.forEach(({ column, s }, i) => {
      const [quantile, doane] = binSets[i]?.bins ?? [];
      const [quantileCounts, doaneCounts] = counts[i] ?? [];
      const values = exact.get(column);
      const col: ProfileNumericColumn = {
        column,
        type: typeOf(column),
        kind: "numeric",
        n: s.n,
        dropped: s.dropped,
        min: s.min ?? 0,
        max: s.max ?? 0,
        mean: s.mean ?? 0,
        std: s.std ?? 0,
        skewness: skewness.get(column) ?? 0,
        nDistinct: s.nDistinct,
        deciles: s.deciles,
        quantileBins: { edges: [...(quantile?.edges ?? [])], counts: quantileCounts ?? [] },
        doaneBins: { edges: [...(doane?.edges ?? [])], counts: doaneCounts ?? [] },
        distribution: values ? { exact: true, ...values } : { exact: false, quantiles: sketches.get(column) ?? [] },
      };
      out.set(column, col);
    });
  }

  const categorical = planned.filter((c) => c.kind === "categorical");
  if (categorical.length > 0) {
    const spec = { source, columns: categorical.map((c) => ({ column: c.column, numeric: c.numericStorage })) };
    const counts = decodeOneSideCategoryCounts(spec, await queryRows(query, compileOneSideCategoryCounts(spec)));
    categorical.forEach((c, i) => {
      const k = counts[i];
      if (!k || k.n === 0) {
        skipped.push(c.column);
        return;
      }
      const col: ProfileCategoricalColumn = {
        column: c.column,
        type: typeOf(c.column),
        kind: "categorical",
        n: k.n,
        dropped: k.dropped,
        numericStorage: c.numericStorage,
        categories: k.categories,
      };
      out.set(c.column, col);
    });
  }
  return {
    format: PROFILE_FORMAT,
    version: 1,
    source,
    createdWith: "assay drift profile v1",
    rows,
    columns: planned.map((c) => out.get(c.column)).filter((c): c is ProfileColumn => c !== undefined),
    skipped,
  };
}

/**
 * One row of a stored profile: (column, field, idx, num, txt). Header fields have column = ''.
 * Arrays are one row per element (idx = position); scalars have idx = 0.
 */
export interface ProfileRow {
  column: string;
  field: string;
  idx: number;
  num: number | null;
  txt: string | null;
}

/** The profile as long-format rows (e.g. to save as Parquet). */
export function profileToRows(profile: ReferenceProfile): ProfileRow[] {
  const rows: ProfileRow[] = [];
  const text = (column: string, field: string, txt: string, idx = 0) =>
    rows.push({ column, field, idx, num: null, txt });
  const number = (column: string, field: string, value: number, idx = 0) =>
    rows.push({ column, field, idx, num: value, txt: null });
  const numbers = (column: string, field: string, values: readonly number[]) => {
    values.forEach((v, i) => {
      number(column, field, v, i);
    });
  };
  text("", "format", profile.format);
  number("", "version", profile.version);
  text("", "source", profile.source);
  text("", "createdWith", profile.createdWith);
  number("", "rows", profile.rows);
  profile.skipped.forEach((name, i) => {
    text("", "skipped", name, i);
  });
  profile.columns.forEach((c, position) => {
    number(c.column, "position", position);
    text(c.column, "kind", c.kind);
    text(c.column, "type", c.type);
    number(c.column, "n", c.n);
    number(c.column, "dropped", c.dropped);
    if (c.kind === "categorical") {
      number(c.column, "numericStorage", c.numericStorage ? 1 : 0);
      c.categories.forEach((k, i) => {
        rows.push({ column: c.column, field: "category", idx: i, num: k.count, txt: k.value });
      });
      return;
    }
    for (const key of ["min", "max", "mean", "std", "skewness", "nDistinct"] as const) number(c.column, key, c[key]);
    numbers(c.column, "deciles", c.deciles);
    numbers(c.column, "quantileEdges", c.quantileBins.edges);
    numbers(c.column, "quantileCounts", c.quantileBins.counts);
    numbers(c.column, "doaneEdges", c.doaneBins.edges);
    numbers(c.column, "doaneCounts", c.doaneBins.counts);
    if (c.distribution.exact) {
      numbers(c.column, "values", c.distribution.values);
      numbers(c.column, "counts", c.distribution.counts);
    } else {
      numbers(c.column, "sketch", c.distribution.quantiles);
    }
  });
  return rows;
}

function nullable(v: number | null, text: string | null): [string, string] {
  return [v === null ? "NULL::DOUBLE" : doubleLiteral(v), text === null ? "NULL::VARCHAR" : quoteString(text)];
}

/** `CREATE OR REPLACE TABLE <table> AS …` holding the profile rows; save it with COPY … TO '….parquet'. */
export function profileToSql(profile: ReferenceProfile, table: string): string {
  const values = profileToRows(profile).map((r) => {
    const [n, t] = nullable(r.num, r.txt);
    return `(${quoteString(r.column)}, ${quoteString(r.field)}, ${integerLiteral(r.idx)}, ${n}, ${t})`;
  });
  return `CREATE OR REPLACE TABLE ${quoteIdentifier(table)} AS SELECT * FROM (VALUES ${values.join(", ")}) AS t("column", field, idx, num, txt)`;
}

/** Reads rows written by profileToRows / profileToSql (any order) back into a profile. */
export function profileFromRows(rows: readonly Row[]): ReferenceProfile {
  const byColumn = new Map<string, Map<string, { idx: number; num: number | null; txt: string | null }[]>>();
  for (const r of rows) {
    const column = String(r.column ?? "");
    const field = String(r.field);
    const fields = byColumn.get(column) ?? new Map();
    byColumn.set(column, fields);
    const list = fields.get(field) ?? [];
    fields.set(field, list);
    list.push({
      idx: num(r.idx) ?? 0,
      num: num(r.num),
      txt: r.txt === null || r.txt === undefined ? null : String(r.txt),
    });
  }
  const get = (column: string, field: string) =>
    [...(byColumn.get(column)?.get(field) ?? [])].sort((a, b) => a.idx - b.idx);
  const scalar = (column: string, field: string) => get(column, field)[0]?.num ?? 0;
  const text = (column: string, field: string) => get(column, field)[0]?.txt ?? "";
  const list = (column: string, field: string) => get(column, field).map((e) => e.num ?? Number.NaN);
  if (text("", "format") !== PROFILE_FORMAT || scalar("", "version") !== 1) {
    throw new AuditInputError("invalid-option", "These rows are not an Assay drift reference profile (version 1).");
  }
  const names = [...byColumn.keys()]
    .filter((c) => c !== "")
    .sort((a, b) => scalar(a, "position") - scalar(b, "position"));
  const columns: ProfileColumn[] = names.map((column) => {
    const base = { column, type: text(column, "type"), n: scalar(column, "n"), dropped: scalar(column, "dropped") };
    if (text(column, "kind") === "categorical") {
      return {
        ...base,
        kind: "categorical",
        numericStorage: scalar(column, "numericStorage") === 1,
        categories: get(column, "category").map((e) => ({ value: e.txt ?? "", count: e.num ?? 0 })),
      };
    }
    const values = list(column, "values");
    return {
      ...base,
      kind: "numeric",
      min: scalar(column, "min"),
      max: scalar(column, "max"),
      mean: scalar(column, "mean"),
      std: scalar(column, "std"),
      skewness: scalar(column, "skewness"),
      nDistinct: scalar(column, "nDistinct"),
      deciles: list(column, "deciles"),
      quantileBins: { edges: list(column, "quantileEdges"), counts: list(column, "quantileCounts") },
      doaneBins: { edges: list(column, "doaneEdges"), counts: list(column, "doaneCounts") },
      distribution:
        get(column, "sketch").length > 0
          ? { exact: false, quantiles: list(column, "sketch") }
          : { exact: true, values, counts: list(column, "counts") },
    };
  });
  return {
    format: PROFILE_FORMAT,
    version: 1,
    source: text("", "source"),
    createdWith: text("", "createdWith"),
    rows: scalar("", "rows"),
    columns,
    skipped: get("", "skipped").map((e) => e.txt ?? ""),
  };
}
