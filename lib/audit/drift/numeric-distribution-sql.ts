/**
 * Scan 2 of the numeric drift pipeline. Per column, over the per-distinct-value counts
 * d(v) = (#R = v, #C = v) of the finite values (a GROUP BY, then one sort of the distinct values —
 * never a window over raw rows):
 *   - KS: D = max_v |F_R(v) − F_C(v)| with right-continuous ECDFs F = cumulative count / n, computed
 *     with SciPy's float operations (`ks_2samp`: searchsorted(side="right") / n, then the difference), so
 *     D matches SciPy's to the last bit.
 *   - Wasserstein: W1 = ∫|F_R − F_C| = Σ_i (v_{i+1} − v_i) · |F_R(v_i) − F_C(v_i)| over the sorted
 *     distinct values (scipy.stats.wasserstein_distance); summed with `fsum` (Kahan) so the result does
 *     not depend on thread scheduling.
 *   - Counts per bin for each requested bin set (PSI / JS): one bin index per distinct value, then a
 *     GROUP BY on (bin set, bin).
 *   - The number of distinct values of R ∪ C and of R (Evidently's test rule and binning rule).
 * All columns go in one statement: a MATERIALIZED CTE per column, then one UNION ALL.
 *
 * `compileNumericValueCounts` is the follow-up for the few low-cardinality columns that need their
 * per-value counts (chi-square / z-test, Evidently's per-value bins).
 */
import { clampSql } from "../../sql/clamp";
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { doubleLiteral } from "./double-literal";
import { num, type Row } from "../rows";
import { doubleOf, finiteOf } from "./numeric-summary-sql";

/**
 * `right-closed`: edges e0 < … < ek give bins 0…k+1: (−∞, e0], (e0, e1], …, (ek, +∞).
 * `histogram`: numpy equal-width edges e0 < … < ek give bins 0…k−1: [e0, e1), …, [ek−1, ek], and bin k
 * counts the values outside [e0, ek].
 */
export interface BinSpec {
  layout: "right-closed" | "histogram";
  edges: readonly number[];
}

/** Distinct reference values with counts, from a saved profile, standing in for the reference table. */
export interface InlineReference {
  values: readonly number[];
  counts: readonly number[];
}

export interface NumericDistributionColumn {
  column: string;
  /** When set, the reference side comes from these values instead of the reference table. */
  inlineReference?: InlineReference;
  nReference: number;
  nCurrent: number;
  bins: readonly BinSpec[];
}

export interface NumericDistributionSpec {
  reference: string;
  current: string;
  columns: readonly NumericDistributionColumn[];
}

/** Number of bins (with the outside bin of the histogram layout). */
export function binCount(spec: BinSpec): number {
  return spec.layout === "right-closed" ? spec.edges.length + 1 : spec.edges.length;
}

/**
 * SQL bin index of `v`. Histogram: numpy's own method (`np.histogram`, equal bins): an index from
 * the arithmetic, then moved by one where the computed edges disagree, the last bin closed.
 */
export function binIndexSql(spec: BinSpec, v: string): string {
  const e = spec.edges.map(doubleLiteral);
  const k = e.length;
  if (spec.layout === "right-closed") {
    const whens = e.map((edge, j) => `WHEN ${v} <= ${edge} THEN ${integerLiteral(j)}`).join(" ");
    return `CASE ${whens} ELSE ${integerLiteral(k)} END`;
  }
  const bins = integerLiteral(k - 1);
  const first = e[0] as string;
  const last = e[k - 1] as string;
  const list = `[${e.join(", ")}]`;
  // g: 0-based guess, clamped; list indexes are 1-based.
  const g = clampSql(`CAST(floor((${v} - ${first}) / (${last} - ${first}) * ${bins}) AS BIGINT)`, "0", `${bins} - 1`);
  return `CASE WHEN ${v} < ${first} OR ${v} > ${last} THEN ${bins}
    WHEN ${v} < ${list}[${g} + 1] THEN ${g} - 1
    WHEN ${g} < ${bins} - 1 AND ${v} >= ${list}[${g} + 2] THEN ${g} + 1
    ELSE ${g} END`;
}

/** Rows (v, r, c) of both sides, one per finite value (or per stored reference value with its count). */
function pairedRows(reference: string, current: string, column: string, inline?: InlineReference): string {
  const x = doubleOf(column);
  const finite = finiteOf(column);
  const ref = inline
    ? `SELECT unnest([${inline.values.map(doubleLiteral).join(", ")}]::DOUBLE[]) AS v, unnest([${inline.counts.map(integerLiteral).join(", ")}]::BIGINT[]) AS r, 0 AS c`
    : `SELECT ${x} AS v, 1 AS r, 0 AS c FROM ${quoteIdentifier(reference)} WHERE ${finite}`;
  return `${ref} UNION ALL SELECT ${x} AS v, 0 AS r, 1 AS c FROM ${quoteIdentifier(current)} WHERE ${finite}`;
}

function compileColumn(spec: NumericDistributionSpec, col: NumericDistributionColumn, i: number): [string, string] {
  const nR = doubleLiteral(col.nReference);
  const nC = doubleLiteral(col.nCurrent);
  const gap = `abs(CAST(cr AS DOUBLE) / ${nR} - CAST(cc AS DOUBLE) / ${nC})`;
  const d = `d${integerLiteral(i)}`;
  const e = `e${integerLiteral(i)}`;
  const b = `b${integerLiteral(i)}`;
  const binRows = col.bins
    .map((bins, j) => `SELECT ${integerLiteral(j)} AS k, ${binIndexSql(bins, "v")} AS bin, r, c FROM ${d}`)
    .join(" UNION ALL ");
  const ctes = `${d} AS MATERIALIZED (
    SELECT v, sum(r)::BIGINT AS r, sum(c)::BIGINT AS c
    FROM (${pairedRows(spec.reference, spec.current, col.column, col.inlineReference)})
    GROUP BY v
  ), ${e} AS (
    SELECT v, r, c, sum(r) OVER w AS cr, sum(c) OVER w AS cc, lead(v) OVER w - v AS dv
    FROM ${d} WINDOW w AS (ORDER BY v)
  ), ${b} AS (
    SELECT k, bin, sum(r)::BIGINT AS r, sum(c)::BIGINT AS c FROM (${binRows}) GROUP BY k, bin
  )`;
  const select = `SELECT ${integerLiteral(i)} AS col, count(*) AS n_distinct, count(*) FILTER (WHERE r > 0) AS n_distinct_r,
         max(${gap}) AS ks_d, fsum(dv * ${gap}) AS w1,
         (SELECT list([k, bin, r, c]) FROM ${b}) AS bins
  FROM ${e}`;
  return [ctes, select];
}

/** One query for all columns; a row per column, in `spec.columns` order. */
export function compileNumericDistribution(spec: NumericDistributionSpec): string {
  const parts = spec.columns.map((col, i) => compileColumn(spec, col, i));
  return `WITH ${parts.map(([c]) => c).join(",\n")}
${parts.map(([, s]) => s).join("\nUNION ALL\n")}
ORDER BY col`;
}

export interface NumericDistribution {
  nDistinct: number;
  nDistinctReference: number;
  ksStatistic: number;
  wassersteinRaw: number;
  /** Per bin set: counts per bin (histogram layout: the last entry counts values outside the edges). */
  bins: { reference: number[]; current: number[] }[];
}

export function decodeNumericDistribution(spec: NumericDistributionSpec, rows: Row[]): NumericDistribution[] {
  return spec.columns.map((col, i) => {
    const row = rows.find((r) => num(r.col) === i);
    if (!row) throw new Error(`drift: no distribution row for column ${i}`);
    const bins = col.bins.map((s) => ({
      reference: new Array<number>(binCount(s)).fill(0),
      current: new Array<number>(binCount(s)).fill(0),
    }));
    for (const entry of Array.isArray(row.bins) ? row.bins : []) {
      const [k, bin, r, c] = (entry as unknown[]).map((v) => num(v) ?? 0) as [number, number, number, number];
      const set = bins[k];
      if (!set || bin < 0 || bin >= set.reference.length) throw new Error(`drift: bad bin ${k}/${bin}`);
      set.reference[bin] = r;
      set.current[bin] = c;
    }
    return {
      nDistinct: num(row.n_distinct) ?? 0,
      nDistinctReference: num(row.n_distinct_r) ?? 0,
      ksStatistic: num(row.ks_d) ?? 0,
      wassersteinRaw: num(row.w1) ?? 0,
      bins,
    };
  });
}

export interface ValueCountsSpec {
  reference: string;
  current: string;
  columns: readonly { column: string; inlineReference?: InlineReference }[];
}

/** Per-value counts of R and C for a few low-cardinality numeric columns, sorted by value. */
export function compileNumericValueCounts(spec: ValueCountsSpec): string {
  const branches = spec.columns.map(({ column, inlineReference }, i) => {
    return `SELECT ${integerLiteral(i)} AS col, v, sum(r)::BIGINT AS r, sum(c)::BIGINT AS c
  FROM (${pairedRows(spec.reference, spec.current, column, inlineReference)})
  GROUP BY v`;
  });
  return `${branches.join("\nUNION ALL\n")}\nORDER BY col, v`;
}

export interface ValueCount {
  value: number;
  reference: number;
  current: number;
}

export function decodeNumericValueCounts(spec: ValueCountsSpec, rows: Row[]): ValueCount[][] {
  const out: ValueCount[][] = spec.columns.map(() => []);
  for (const row of rows) {
    out[num(row.col) ?? -1]?.push({
      value: num(row.v) ?? Number.NaN,
      reference: num(row.r) ?? 0,
      current: num(row.c) ?? 0,
    });
  }
  return out;
}

/**
 * Evidently's per-value bins when R has few distinct values but R ∪ C too many to fetch: R's values
 * with both counts (rows with v set), and one aggregate row (v NULL) over the current-only values:
 * k, total count, smallest count, Σ ln q, Σ q ln q with q = count / n_C.
 */
export function compileUnseenSummary(spec: ValueCountsSpec & { nCurrent: readonly number[] }): string {
  const parts = spec.columns.map(({ column, inlineReference }, i) => {
    const d = `u${integerLiteral(i)}`;
    const nC = doubleLiteral(spec.nCurrent[i] ?? 1);
    const cte = `${d} AS MATERIALIZED (SELECT v, sum(r)::BIGINT AS r, sum(c)::BIGINT AS c
    FROM (${pairedRows(spec.reference, spec.current, column, inlineReference)}) GROUP BY v)`;
    const q = `(CAST(c AS DOUBLE) / ${nC})`;
    const select = `SELECT ${integerLiteral(i)} AS col, v, r, c, NULL::BIGINT AS k, NULL::BIGINT AS cmin,
      NULL::DOUBLE AS sum_log, NULL::DOUBLE AS sum_qlogq FROM ${d} WHERE r > 0
  UNION ALL
  SELECT ${integerLiteral(i)} AS col, NULL::DOUBLE AS v, 0 AS r, coalesce(sum(c), 0)::BIGINT AS c, count(*) AS k,
      min(c) AS cmin, fsum(ln(${q})) AS sum_log, fsum(${q} * ln(${q})) AS sum_qlogq FROM ${d} WHERE r = 0`;
    return [cte, select];
  });
  return `WITH ${parts.map(([c]) => c).join(",\n")}
${parts.map(([, s]) => s).join("\nUNION ALL\n")}
ORDER BY col, v NULLS LAST`;
}

export interface UnseenSummary {
  values: ValueCount[];
  unseen: {
    values: number;
    total: number;
    minCount: number;
    sumLogShare: number;
    sumShareLogShare: number;
  };
}

export function decodeUnseenSummary(spec: ValueCountsSpec, rows: Row[]): UnseenSummary[] {
  const out: UnseenSummary[] = spec.columns.map(() => ({
    values: [],
    unseen: { values: 0, total: 0, minCount: 0, sumLogShare: 0, sumShareLogShare: 0 },
  }));
  for (const row of rows) {
    const target = out[num(row.col) ?? -1];
    if (!target) continue;
    if (row.v === null) {
      target.unseen = {
        values: num(row.k) ?? 0,
        total: num(row.c) ?? 0,
        minCount: num(row.cmin) ?? 0,
        sumLogShare: num(row.sum_log) ?? 0,
        sumShareLogShare: num(row.sum_qlogq) ?? 0,
      };
    } else {
      target.values.push({ value: num(row.v) ?? Number.NaN, reference: num(row.r) ?? 0, current: num(row.c) ?? 0 });
    }
  }
  return out;
}
