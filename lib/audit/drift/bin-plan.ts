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

/** The equal-width bin sets a convention uses (Sturges, Doane); they need no quantiles. */
function equalWidthBins(inputs: Omit<NumericBinInputs, "deciles">, convention: DriftConvention): PlannedBins | null {
  switch (convention) {
    case "evidently":
      return {
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
    case "nannyml":
      return {
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
      };
    default:
      return null;
  }
}

/** Edges of the convention's equal-width bins, known before any quantile (the drift scans count at them). */
export function equalWidthEdges(inputs: Omit<NumericBinInputs, "deciles">, convention: DriftConvention): number[] {
  return [...(equalWidthBins(inputs, convention)?.spec.edges ?? [])];
}

export function planNumericBins(inputs: NumericBinInputs, convention: DriftConvention): BinPlan {
  if (inputs.deciles.length !== DECILES.length) throw new Error("nine reference deciles are needed");
  const quantile = quantileBins(inputs.deciles);
  const equalWidth = equalWidthBins(inputs, convention);
  switch (convention) {
    case "evidently":
      return { psi: equalWidth ?? quantile, jensenShannon: equalWidth ?? quantile };
    case "nannyml":
      return { psi: quantile, jensenShannon: equalWidth ?? quantile };
    default:
      return { psi: quantile, jensenShannon: quantile };
  }
}
