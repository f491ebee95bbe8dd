/**
 * A reference profile as long-format rows `(column, field, idx, num, txt)` — header fields under
 * column '' — so a caller can save it as a table or Parquet (`profileToSql` then `COPY … TO`), and
 * read it back with `profileFromRows` (any row order).
 */
import { integerLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, type Row } from "../rows";
import { doubleLiteral } from "./double-literal";
import { PROFILE_FORMAT, type ProfileColumn, type ReferenceProfile } from "./reference-profile-types";

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
