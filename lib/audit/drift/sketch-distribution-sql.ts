/**
 * KS and Wasserstein of a current column against a reference known only by a quantile sketch
 * (knots q_j = quantile_cont(R, j/G), j = 0…G, from a saved profile). APPROXIMATE.
 *
 * F̂_R is the piecewise-linear CDF through the knots (u_j = j/G at q_j; right-continuous where knots
 * tie). F_C is exact: cumulative counts over C's sorted distinct values. Over the points P = C's
 * values ∪ knots, F_C is constant and F̂_R linear on each [p_i, p_{i+1}), so
 *   D  = max_i max(|F̂(p_i) − F_C(p_i)|, |F̂(p_{i+1}−) − F_C(p_i)|)   (exact for F̂)
 *   W1 = Σ_i ∫ over [p_i, p_{i+1}) of |F̂ − F_C|, a trapezoid, or two triangles where the sign changes.
 * The error is that of F̂ against F_R: about 1/G in D, and ∫|F̂ − F_R| in W1.
 * F̂ at each point comes from an ASOF JOIN on the knots (core DuckDB).
 * The same query counts C per bin for each bin set (reference bin counts come from the profile).
 */
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";
import { num, type Row } from "../rows";
import { doubleLiteral } from "./double-literal";
import { type BinSpec, binCount, binIndexSql } from "./numeric-distribution-sql";
import { doubleOf, finiteOf } from "./numeric-summary-sql";

export interface SketchColumn {
  column: string;
  nCurrent: number;
  /** Reference quantiles at j / (knots.length − 1). */
  knots: readonly number[];
  bins: readonly BinSpec[];
}

export interface SketchDistributionSpec {
  current: string;
  columns: readonly SketchColumn[];
}

function compileColumn(spec: SketchDistributionSpec, col: SketchColumn, i: number): [string, string] {
  const n = (name: string) => `${name}${integerLiteral(i)}`;
  const g = col.knots.length - 1;
  const us = col.knots.map((_, j) => doubleLiteral(j / g));
  const nC = doubleLiteral(col.nCurrent);
  const binRows = col.bins
    .map((bins, j) => `SELECT ${integerLiteral(j)} AS k, ${binIndexSql(bins, "v")} AS bin, c FROM ${n("c")}`)
    .join(" UNION ALL ");
  const ctes = `${n("k")} AS (
    SELECT q, min(u) AS u_lo, max(u) AS u_hi
    FROM (SELECT unnest([${col.knots.map(doubleLiteral).join(", ")}]::DOUBLE[]) AS q, unnest([${us.join(", ")}]::DOUBLE[]) AS u)
    GROUP BY q
  ), ${n("kn")} AS (
    SELECT q, u_lo, u_hi, lead(q) OVER (ORDER BY q) AS q_next, lead(u_lo) OVER (ORDER BY q) AS u_next FROM ${n("k")}
  ), ${n("c")} AS MATERIALIZED (
    SELECT v, count(*) AS c
    FROM (SELECT ${doubleOf(col.column)} AS v FROM ${quoteIdentifier(spec.current)} WHERE ${finiteOf(col.column)})
    GROUP BY v
  ), ${n("f")} AS (
    SELECT p.v, p.c,
      CASE WHEN kn.q IS NULL THEN 0 WHEN kn.q_next IS NULL THEN kn.u_hi
           ELSE kn.u_hi + (p.v - kn.q) / (kn.q_next - kn.q) * (kn.u_next - kn.u_hi) END AS fr,
      CASE WHEN kn.q IS NULL THEN 0 WHEN p.v = kn.q THEN kn.u_lo WHEN kn.q_next IS NULL THEN kn.u_hi
           ELSE kn.u_hi + (p.v - kn.q) / (kn.q_next - kn.q) * (kn.u_next - kn.u_hi) END AS fr_left
    FROM (SELECT v, c FROM ${n("c")} UNION ALL SELECT q AS v, 0 AS c FROM ${n("k")}) AS p
    ASOF LEFT JOIN ${n("kn")} AS kn ON p.v >= kn.q
  ), ${n("g")} AS (
    -- One sort: F_C from a RANGE running sum (rows tied on v share it); a knot equal to a C value is a
    -- tied row, and only the last row of a tie looks ahead to the next value.
    SELECT fr - CAST(sum(c) OVER w AS DOUBLE) / ${nC} AS y0,
      CASE WHEN lead(v) OVER w > v THEN lead(fr_left) OVER w - CAST(sum(c) OVER w AS DOUBLE) / ${nC} END AS y1,
      lead(v) OVER w - v AS h
    FROM ${n("f")} WINDOW w AS (ORDER BY v)
  ), ${n("b")} AS (
    SELECT k, bin, sum(c)::BIGINT AS c FROM (${binRows}) GROUP BY k, bin
  )`;
  const select = `SELECT ${integerLiteral(i)} AS col,
    max(greatest(abs(y0), coalesce(abs(y1), 0))) AS ks_d,
    fsum(CASE WHEN y1 IS NULL THEN 0 WHEN y0 * y1 >= 0 THEN h * (abs(y0) + abs(y1)) / 2
              ELSE h * (y0 * y0 + y1 * y1) / (2 * (abs(y0) + abs(y1))) END) AS w1,
    (SELECT list([k, bin, c]) FROM ${n("b")}) AS bins
  FROM ${n("g")}`;
  return [ctes, select];
}

export function compileSketchDistribution(spec: SketchDistributionSpec): string {
  const parts = spec.columns.map((col, i) => compileColumn(spec, col, i));
  return `WITH ${parts.map(([c]) => c).join(",\n")}
${parts.map(([, s]) => s).join("\nUNION ALL\n")}
ORDER BY col`;
}

export interface SketchDistribution {
  ksStatistic: number;
  wassersteinRaw: number;
  /** C counts per bin for each bin set. */
  currentBins: number[][];
}

export function decodeSketchDistribution(spec: SketchDistributionSpec, rows: Row[]): SketchDistribution[] {
  return spec.columns.map((col, i) => {
    const row = rows.find((r) => num(r.col) === i);
    if (!row) throw new Error(`drift: no sketch row for column ${i}`);
    const bins = col.bins.map((b) => new Array<number>(binCount(b)).fill(0));
    for (const entry of Array.isArray(row.bins) ? row.bins : []) {
      const [k, bin, c] = (entry as unknown[]).map((v) => num(v) ?? 0) as [number, number, number];
      const set = bins[k];
      if (!set || bin < 0 || bin >= set.length) throw new Error(`drift: bad bin ${k}/${bin}`);
      set[bin] = c;
    }
    return { ksStatistic: num(row.ks_d) ?? 0, wassersteinRaw: num(row.w1) ?? 0, currentBins: bins };
  });
}

/**
 * F̂_R from the knots at x: the right limit F̂(x) when `closed`, else the left limit F̂(x−). A histogram
 * bin [a, b) holds about n_R · (F̂(b−) − F̂(a−)) reference values; the closed last bin uses F̂(b).
 */
export function sketchCdf(knots: readonly number[], x: number, closed: boolean): number {
  const g = knots.length - 1;
  const below = (q: number) => q < x || (closed && q === x);
  if (!below(knots[0] as number)) return 0;
  if (below(knots[g] as number)) return 1;
  // Invariant: below(q_lo) and !below(q_hi).
  let lo = 0;
  let hi = g;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (below(knots[mid] as number)) lo = mid;
    else hi = mid;
  }
  const q0 = knots[lo] as number;
  const q1 = knots[hi] as number;
  return (lo + ((x - q0) / (q1 - q0)) * (hi - lo)) / g;
}
