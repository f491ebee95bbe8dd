/**
 * Scan 2 of the numeric drift pipeline, one UNION ALL branch per column, over the per-distinct-value
 * counts d(v) = (#R = v, #C = v) of the finite values (a GROUP BY, not a per-row window):
 *   - KS: D = max_v |F_R(v) − F_C(v)| with right-continuous ECDFs F = cumulative count / n, computed
 *     with SciPy's float operations (`ks_2samp`: searchsorted(side="right") / n, then the difference), so
 *     D is bit-identical to SciPy's.
 *   - Wasserstein: W1 = ∫|F_R − F_C| = Σ_i (v_{i+1} − v_i) · |F_R(v_i) − F_C(v_i)| over the sorted
 *     distinct values (scipy.stats.wasserstein_distance); summed with `fsum` (Kahan) so the result does
 *     not depend on thread scheduling.
 *   - Counts per bin for each requested bin set (PSI / JS), and the number of distinct values of R ∪ C
 *     and of R (Evidently's test rule and binning rule).
 *   - The distinct values with their counts, up to VALUE_LIST_CAP of them (plus the first 21 values of R,
 *     wherever they fall), for chi-square / z-test on low-cardinality numeric columns and for Evidently's
 *     per-value binning (≤ 20 distinct reference values).
 */
import { integerLiteral, numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, type Row } from "../rows";
import { doubleOf, finiteOf } from "./numeric-summary-sql";

/** How many distinct values (with counts) the query returns per column at most. */
export const VALUE_LIST_CAP = 10_000;

/**
 * `right-closed`: edges e0 < … < ek give (−∞, e0], (e0, e1], …, (ek, +∞).
 * `histogram`: numpy edges e0 < … < ek give [e0, e1), …, [ek−1, ek] plus a last count of values outside [e0, ek].
 */
export interface BinSpec {
  layout: "right-closed" | "histogram";
  edges: readonly number[];
}

export interface NumericDistributionColumn {
  column: string;
  nReference: number;
  nCurrent: number;
  bins: readonly BinSpec[];
}

export interface NumericDistributionSpec {
  reference: string;
  current: string;
  columns: readonly NumericDistributionColumn[];
}

function binConditions(spec: BinSpec): string[] {
  const e = spec.edges.map(numberLiteral);
  const k = e.length;
  if (spec.layout === "right-closed") {
    const out = [`v <= ${e[0]}`];
    for (let j = 1; j < k; j++) out.push(`v > ${e[j - 1]} AND v <= ${e[j]}`);
    out.push(`v > ${e[k - 1]}`);
    return out;
  }
  const out: string[] = [];
  for (let j = 0; j < k - 1; j++) {
    out.push(j === k - 2 ? `v >= ${e[j]} AND v <= ${e[j + 1]}` : `v >= ${e[j]} AND v < ${e[j + 1]}`);
  }
  out.push(`v < ${e[0]} OR v > ${e[k - 1]}`);
  return out;
}

function countList(conditions: string[], side: "r" | "c"): string {
  return `[${conditions.map((w) => `coalesce(sum(${side}) FILTER (WHERE ${w}), 0)`).join(", ")}]::BIGINT[]`;
}

function compileColumn(spec: NumericDistributionSpec, col: NumericDistributionColumn, i: number): [string, string] {
  const x = doubleOf(col.column);
  const finite = finiteOf(col.column);
  const nR = numberLiteral(col.nReference);
  const nC = numberLiteral(col.nCurrent);
  const gap = `abs(CAST(cr AS DOUBLE) / ${nR} - CAST(cc AS DOUBLE) / ${nC})`;
  const conditions = col.bins.map(binConditions);
  const keep = `FILTER (WHERE rn <= ${integerLiteral(VALUE_LIST_CAP)} OR (r > 0 AND rr <= 21))`;
  const d = `d${integerLiteral(i)}`;
  const e = `e${integerLiteral(i)}`;
  const ctes = `${d} AS (
    SELECT v, count(*) FILTER (WHERE s = 0) AS r, count(*) FILTER (WHERE s = 1) AS c
    FROM (SELECT ${x} AS v, 0 AS s FROM ${quoteIdentifier(spec.reference)} WHERE ${finite}
          UNION ALL SELECT ${x} AS v, 1 AS s FROM ${quoteIdentifier(spec.current)} WHERE ${finite})
    GROUP BY v
  ), ${e} AS (
    SELECT v, r, c, sum(r) OVER w AS cr, sum(c) OVER w AS cc, lead(v) OVER w - v AS dv,
           row_number() OVER w AS rn, sum(CASE WHEN r > 0 THEN 1 ELSE 0 END) OVER w AS rr
    FROM ${d} WINDOW w AS (ORDER BY v)
  )`;
  const select = `SELECT ${integerLiteral(i)} AS col, count(*) AS n_distinct, count(*) FILTER (WHERE r > 0) AS n_distinct_r,
         max(${gap}) AS ks_d, fsum(dv * ${gap}) AS w1,
         [${conditions.map((c) => countList(c, "r")).join(", ")}] AS bins_r,
         [${conditions.map((c) => countList(c, "c")).join(", ")}] AS bins_c,
         list(v ORDER BY v) ${keep} AS values_v, list(r ORDER BY v) ${keep} AS values_r,
         list(c ORDER BY v) ${keep} AS values_c
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

export interface ValueCount {
  value: number;
  reference: number;
  current: number;
}

export interface NumericDistribution {
  nDistinct: number;
  nDistinctReference: number;
  ksStatistic: number;
  wassersteinRaw: number;
  /** Per bin set: counts per bin (histogram layout: the last entry counts values outside the edges). */
  bins: { reference: number[]; current: number[] }[];
  /** Sorted distinct values with counts; complete when `values.length === nDistinct`. */
  values: ValueCount[];
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map((v) => num(v) ?? 0) : [];
}

export function decodeNumericDistribution(rows: Row[]): NumericDistribution[] {
  return rows.map((row) => {
    const vs = numbers(row.values_v);
    const rs = numbers(row.values_r);
    const cs = numbers(row.values_c);
    const binsR = Array.isArray(row.bins_r) ? row.bins_r : [];
    const binsC = Array.isArray(row.bins_c) ? row.bins_c : [];
    return {
      nDistinct: num(row.n_distinct) ?? 0,
      nDistinctReference: num(row.n_distinct_r) ?? 0,
      ksStatistic: num(row.ks_d) ?? 0,
      wassersteinRaw: num(row.w1) ?? 0,
      bins: binsR.map((r, j) => ({ reference: numbers(r), current: numbers(binsC[j]) })),
      values: vs.map((value, j) => ({ value, reference: rs[j] ?? 0, current: cs[j] ?? 0 })),
    };
  });
}
