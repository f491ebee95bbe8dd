/**
 * Reference profile: everything drift needs from a reference table, computed once, so that a
 * 10M-row reference is not re-read for every current batch. Plain JSON (`ReferenceProfile`), or rows
 * (`profileToRows` / `profileToSql`, read back with `profileFromRows`) for the caller to save as Parquet.
 *
 * Per numeric column: n, dropped, min, max, mean, population std and skewness, deciles, the reference
 * counts on the decile bins and on Doane's bins (exact), and either
 *   - exact: its distinct values with counts (when it has ≤ max(exactCap, 20) distinct values, default
 *     10 000; never fewer than 20 so that the low-cardinality tests and Evidently's per-value bins apply):
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
import { num, queryRows } from "../rows";
import { describeRelation, requireRows } from "../validate";
import { WarningLog } from "../warnings";
import { quantileBins } from "./bin-plan";
import { EVIDENTLY_PER_VALUE_MAX } from "./column-result";
import { compileOneSideCategoryCounts, decodeOneSideCategoryCounts } from "./categorical-counts-sql";
import { planColumns } from "./columns";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { DECILES, doaneEdges } from "./histogram-edges";
import { numpyQuantile, numpyQuantileRanks } from "../stats/order-statistics";
import { type BinSpec, binCount, binIndexSql } from "./numeric-distribution-sql";
import {
  compileOrderStatistics,
  decodeOrderStatistics,
  sketchFromOrderStatistics,
  sketchRanks,
} from "./quantile-sketch";
import { compileSkewness, doubleOf, finiteOf } from "./numeric-summary-sql";
import { runOneSideSummary } from "./numeric-summary";
import {
  PROFILE_FORMAT,
  type ProfileCategoricalColumn,
  type ProfileColumn,
  type ProfileNumericColumn,
  type ReferenceProfile,
} from "./reference-profile-types";

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
  /** Store exact distinct values up to this many per column (default 10 000; at least 20 in effect). */
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
        `SELECT ${integerLiteral(i)} AS col, v, count(*) AS n FROM (SELECT ${doubleOf(column)} AS v FROM ${quoteIdentifier(source)} WHERE ${finiteOf(column)}) GROUP BY v`,
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
  // Columns with ≤ 20 distinct values are always stored exactly: their tests (chi-square, z-test) and
  // Evidently's per-value bins need the values.
  const exactCap = Math.max(
    EVIDENTLY_PER_VALUE_MAX,
    checkSize("exactCap", options.exactCap, DEFAULT_EXACT_CAP, 0, 1_000_000),
  );
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
    const { summaries } = await runOneSideSummary(query, spec);
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
    // One sort per column serves numpy's deciles and, for large columns, the quantile sketch.
    const sketched = (s: { nDistinct: number }) => s.nDistinct > exactCap;
    const statsSpec = {
      source,
      columns: present.map(({ column, s }) => ({
        column,
        ranks: [
          ...new Set([
            ...DECILES.flatMap((q) => numpyQuantileRanks(s.n, q)),
            ...(sketched(s) ? sketchRanks(s.n, sketchSize) : []),
          ]),
        ].sort((a, b) => a - b),
      })),
    };
    const stats = decodeOrderStatistics(statsSpec, await queryRows(query, compileOrderStatistics(statsSpec)));
    const at = (i: number) => (rank: number) => {
      const v = stats[i]?.get(rank);
      if (v === undefined) throw new Error(`drift profile: missing order statistic ${rank}`);
      return v;
    };
    const deciles = present.map(({ s }, i) => DECILES.map((q) => numpyQuantile(s.n, q, at(i))));
    const binSets = present.map(({ column, s }, i) => {
      const quantile = quantileBins(deciles[i] ?? []).spec;
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
    const sketches = new Map<string, number[]>();
    present.forEach(({ column, s }, i) => {
      if (sketched(s)) sketches.set(column, sketchFromOrderStatistics(s.n, sketchSize, stats[i] ?? new Map()));
    });
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
        deciles: deciles[i] ?? [],
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
