/**
 * Reliability table and calibration errors from per-bin aggregates.
 * ECE = Σ_b (n_b / n) · |rate_b − mean_b|, MCE = max_b |rate_b − mean_b| over non-empty
 * bins, Brier = (1/n) Σ (p − y)² (sklearn `brier_score_loss`). Empty bins are dropped,
 * as sklearn's `calibration_curve` drops them.
 */

/** Per-bin sums as the SQL returns them. */
export interface BinAggregate {
  bin: number;
  count: number;
  scoreSum: number;
  positives: number;
  squaredErrorSum: number;
  minScore: number;
  maxScore: number;
}

export interface ReliabilityBin {
  /** Lower edge of the bin (for `nannyml`, the smallest score in it). */
  lower: number;
  /** Upper edge of the bin (for `nannyml`, the largest score in it). */
  upper: number;
  count: number;
  meanScore: number;
  fractionPositive: number;
}

export interface Reliability {
  ece: number;
  mce: number;
  brier: number;
  count: number;
  bins: ReliabilityBin[];
}

/**
 * Builds the table. `edges` gives each bin's [lower, upper]; without it the bin's
 * smallest and largest scores are used.
 */
export function reliabilityFromBins(aggregates: readonly BinAggregate[], edges?: readonly number[]): Reliability {
  const used = mergeByBin(aggregates.filter((a) => a.count > 0));
  const n = used.reduce((acc, a) => acc + a.count, 0);
  let ece = 0;
  let mce = 0;
  let squared = 0;
  const bins = used.map((a) => {
    const meanScore = a.scoreSum / a.count;
    const fractionPositive = a.positives / a.count;
    const gap = Math.abs(fractionPositive - meanScore);
    ece += (a.count / n) * gap;
    mce = Math.max(mce, gap);
    squared += a.squaredErrorSum;
    const lower = edges?.[a.bin] ?? a.minScore;
    const upper = edges?.[a.bin + 1] ?? a.maxScore;
    return { lower, upper, count: a.count, meanScore, fractionPositive };
  });
  return { ece, mce, brier: n > 0 ? squared / n : Number.NaN, count: n, bins };
}

/**
 * One aggregate per bin, in bin order. Rows with the same bin are added: native DuckDB 1.4.3 with
 * threads ≥ 2 has been seen to return one GROUP BY key in two rows, each with part of the group
 * (docs/performance.md), and a bin counted twice would enter ECE and MCE as two half-bins.
 */
function mergeByBin(aggregates: readonly BinAggregate[]): BinAggregate[] {
  const byBin = new Map<number, BinAggregate>();
  for (const a of aggregates) {
    const seen = byBin.get(a.bin);
    byBin.set(
      a.bin,
      seen
        ? {
            bin: a.bin,
            count: seen.count + a.count,
            scoreSum: seen.scoreSum + a.scoreSum,
            positives: seen.positives + a.positives,
            squaredErrorSum: seen.squaredErrorSum + a.squaredErrorSum,
            minScore: Math.min(seen.minScore, a.minScore),
            maxScore: Math.max(seen.maxScore, a.maxScore),
          }
        : a,
    );
  }
  return [...byBin.values()].sort((a, b) => a.bin - b.bin);
}
