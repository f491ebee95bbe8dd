/**
 * Picks how `compileBinaryPerformance` reaches the distinct scores: `sort` (one sort of all used
 * rows; its cost does not depend on ties) or `group` (GROUP BY score first; cheap when scores
 * repeat, about twice `sort` when every score is distinct). Both return the same metrics; only
 * the time differs. Measured in DuckDB-WASM at 1M rows: `sort` ~0.5 s whatever the scores;
 * `group` ~0.2 s with 100 or 10k distinct scores and ~1.1 s with 1M.
 *
 * The choice reads a sample, the first `SAMPLE_ROWS` non-null scores (a LIMIT, so a few ms), and
 * estimates the number of distinct scores m in the whole column from the d distinct values among
 * the k sampled, assuming equally frequent values: E[d] = m (1 − e^(−k/m)), solved for m. `sort`
 * when m > `SORT_ABOVE` · n (n rows in all), where the two costs cross.
 */
import { integerLiteral, quoteIdentifier } from "../../sql/identifiers";

export type RankingStrategy = "sort" | "group";

export const SAMPLE_ROWS = 20_000;
/** Share of distinct scores above which `sort` is cheaper (measured crossover ~0.4 in WASM). */
export const SORT_ABOVE = 0.4;

/** One row: n (rows in `source`), k (sampled non-null scores), d (distinct among them). */
export function compileRankingProbe(source: string, score: string): string {
  const s = quoteIdentifier(score);
  return `SELECT (SELECT count(*) FROM ${quoteIdentifier(source)}) AS n, count(*) AS k, count(DISTINCT s) AS d
FROM (SELECT CAST(${s} AS DOUBLE) AS s FROM ${quoteIdentifier(source)} WHERE ${s} IS NOT NULL LIMIT ${integerLiteral(SAMPLE_ROWS)})`;
}

/** Estimated distinct values in the population from d distinct among k draws; Infinity if d = k. */
export function estimateDistinct(k: number, d: number): number {
  if (k <= 0 || d <= 0) return 0;
  if (d >= k) return Number.POSITIVE_INFINITY;
  // m (1 − e^(−k/m)) rises with m from d = 1 towards k: bisect on [d, upper].
  const expected = (m: number) => m * -Math.expm1(-k / m);
  let lo = d;
  let hi = d;
  while (expected(hi) < d) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < d) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** `sort` when the estimated distinct scores exceed `SORT_ABOVE` of the rows, else `group`. */
export function chooseRanking(n: number, k: number, d: number): RankingStrategy {
  // Fewer than SAMPLE_ROWS non-null scores: the sample is all of them and d is exact.
  if (k < SAMPLE_ROWS) return d > SORT_ABOVE * k ? "sort" : "group";
  return estimateDistinct(k, d) > SORT_ABOVE * n ? "sort" : "group";
}
