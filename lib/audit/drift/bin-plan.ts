/**
 * Which bins each convention uses for PSI and Jensen–Shannon on a numeric column, from the summary
 * aggregates (pure; no I/O):
 *   assay, alibi: PSI and JS on reference-decile bins (right-closed, open outer bins).
 *   evidently:    PSI and JS on Sturges bins over the combined range of R and C, n = n_R + n_C
 *                 (per-value bins instead when R has ≤ 20 distinct values; decided after scan 2).
 *   nannyml:      PSI on decile bins; JS on Doane bins over R, plus an out-of-range bin for C.
 */
import { DECILES, distinctEdges, doaneEdges, sturgesEdges } from "./histogram-edges";
import type { BinSpec } from "./numeric-distribution-sql";
import type { BinScheme, DriftConvention } from "./types";

export interface PlannedBins {
  scheme: BinScheme;
  spec: BinSpec;
}

export interface NumericBinInputs {
  nReference: number;
  nCurrent: number;
  referenceMin: number;
  referenceMax: number;
  currentMin: number;
  currentMax: number;
  referenceStd: number;
  deciles: readonly number[];
  /** Reference population skewness; needed by `nannyml` only. */
  referenceSkewness?: number | null;
}

export interface BinPlan {
  psi: PlannedBins;
  jensenShannon: PlannedBins;
}

export function quantileBins(deciles: readonly number[]): PlannedBins {
  return { scheme: "quantile", spec: { layout: "right-closed", edges: distinctEdges(deciles) } };
}

export function planNumericBins(inputs: NumericBinInputs, convention: DriftConvention): BinPlan {
  if (inputs.deciles.length !== DECILES.length) throw new Error("nine reference deciles are needed");
  const quantile = quantileBins(inputs.deciles);
  switch (convention) {
    case "evidently": {
      const sturges: PlannedBins = {
        scheme: "sturges",
        spec: {
          layout: "histogram",
          edges: sturgesEdges(
            Math.min(inputs.referenceMin, inputs.currentMin),
            Math.max(inputs.referenceMax, inputs.currentMax),
            inputs.nReference + inputs.nCurrent,
          ),
        },
      };
      return { psi: sturges, jensenShannon: sturges };
    }
    case "nannyml":
      return {
        psi: quantile,
        jensenShannon: {
          scheme: "doane",
          spec: {
            layout: "histogram",
            edges: doaneEdges(
              inputs.referenceMin,
              inputs.referenceMax,
              inputs.nReference,
              inputs.referenceStd,
              inputs.referenceSkewness ?? 0,
            ),
          },
        },
      };
    default:
      return { psi: quantile, jensenShannon: quantile };
  }
}
