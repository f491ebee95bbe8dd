/**
 * Bins as reported in `DriftColumnResult.bins` (edges, labels, per-side counts and shares) and their
 * trace line. Pure.
 */
import type { PlannedBins } from "./bin-plan";
import { histogramLabels, quantileLabels } from "./histogram-edges";
import type { DriftBins } from "./types";

/** Counts per bin on each side. */
export interface SideCounts {
  reference: number[];
  current: number[];
}

function shares(counts: readonly number[], n: number): number[] {
  return counts.map((c) => (n > 0 ? c / n : 0));
}

export function makeBins(
  scheme: DriftBins["scheme"],
  edges: number[] | null,
  labels: string[],
  counts: SideCounts,
  nR: number,
  nC: number,
): DriftBins {
  return {
    scheme,
    edges,
    labels,
    reference: counts.reference,
    current: counts.current,
    referenceShares: shares(counts.reference, nR),
    currentShares: shares(counts.current, nC),
  };
}

/** Bins of a planned numeric bin set from its SQL counts. */
export function numericBins(planned: PlannedBins, counts: SideCounts, nR: number, nC: number): DriftBins {
  const edges = [...planned.spec.edges];
  if (planned.spec.layout === "right-closed") {
    return makeBins(planned.scheme, edges, quantileLabels(edges), counts, nR, nC);
  }
  const inside = edges.length - 1;
  const labels = histogramLabels(edges);
  const reference = counts.reference.slice(0, inside);
  const current = counts.current.slice(0, inside);
  const outsideR = counts.reference[inside] ?? 0;
  const outsideC = counts.current[inside] ?? 0;
  if (outsideR > 0 || outsideC > 0) {
    labels.push("(outside reference range)");
    reference.push(outsideR);
    current.push(outsideC);
  }
  return makeBins(planned.scheme, edges, labels, { reference, current }, nR, nC);
}

export function valueBins(
  values: readonly { value: number; reference: number; current: number }[],
  nR: number,
  nC: number,
): DriftBins {
  return makeBins(
    "categories",
    null,
    values.map((v) => String(v.value)),
    { reference: values.map((v) => v.reference), current: values.map((v) => v.current) },
    nR,
    nC,
  );
}

export const fmt = (n: number): string => n.toLocaleString("en-US").replaceAll(",", " ");

export function describeBins(name: string, bins: DriftBins): string {
  const where =
    bins.scheme === "quantile"
      ? `reference deciles (quantile_cont), right-closed, open outer bins; edges [${bins.edges?.join(", ")}]`
      : bins.scheme === "sturges"
        ? `Sturges equal width over R ∪ C, numpy [a, b) with a closed last bin; edges [${bins.edges?.join(", ")}]`
        : bins.scheme === "doane"
          ? `Doane equal width over R, numpy [a, b) with a closed last bin, current values outside in an extra bin; edges [${bins.edges?.join(", ")}]`
          : bins.scheme === "categories"
            ? "one bin per value of R ∪ C"
            : "one bin per value of R, plus one for values unseen in R";
  return `${name} bins (${bins.labels.length}): ${where}`;
}
