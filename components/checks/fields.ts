import type { CheckFamily } from "@/lib/audit/checks/types";

/** One input of a check's settings form. `from` names the param holding the table whose columns are offered. */
export type Field =
  | { key: string; label: string; kind: "table"; optional?: boolean }
  | { key: string; label: string; kind: "column"; from: string; optional?: boolean; numeric?: boolean }
  | { key: string; label: string; kind: "columns"; from: string; hint?: string }
  | { key: string; label: string; kind: "value"; from: string; column: string }
  | { key: string; label: string; kind: "number"; step: number; min?: number; max?: number; threshold?: boolean }
  | { key: string; label: string; kind: "select"; options: readonly string[] };

const labelled = (extra: Field[]): Field[] => [
  { key: "source", label: "Dataset", kind: "table" },
  { key: "label", label: "Label (0/1)", kind: "column", from: "source" },
  { key: "score", label: "Score", kind: "column", from: "source", numeric: true },
  { key: "prediction", label: "Prediction (optional)", kind: "column", from: "source", optional: true },
  { key: "threshold", label: "Decision threshold", kind: "number", step: 0.05, min: 0, max: 1 },
  ...extra,
];

export const FIELDS: Record<CheckFamily, Field[]> = {
  quality: [
    { key: "source", label: "Dataset", kind: "table" },
    { key: "reference", label: "Expected schema from (optional)", kind: "table", optional: true },
    { key: "maxViolations", label: "Violations allowed", kind: "number", step: 1, min: 0, threshold: true },
  ],
  drift: [
    { key: "reference", label: "Reference", kind: "table" },
    { key: "current", label: "Current", kind: "table" },
    { key: "columns", label: "Columns", kind: "columns", from: "current", hint: "none chosen = all shared columns" },
    { key: "convention", label: "Convention", kind: "select", options: ["assay", "evidently", "nannyml", "alibi"] },
    {
      key: "maxDriftShare",
      label: "Max share of drifted columns",
      kind: "number",
      step: 0.01,
      min: 0,
      max: 1,
      threshold: true,
    },
  ],
  performance: labelled([
    { key: "minRocAuc", label: "Min ROC AUC", kind: "number", step: 0.01, min: 0, max: 1, threshold: true },
  ]),
  calibration: [
    { key: "source", label: "Dataset", kind: "table" },
    { key: "label", label: "Label (0/1)", kind: "column", from: "source" },
    { key: "score", label: "Score", kind: "column", from: "source", numeric: true },
    { key: "bins", label: "Bins", kind: "number", step: 1, min: 2, max: 100 },
    { key: "strategy", label: "Binning", kind: "select", options: ["uniform", "quantile", "nannyml"] },
    { key: "maxEce", label: "Max ECE", kind: "number", step: 0.01, min: 0, max: 1, threshold: true },
  ],
  fairness: labelled([
    { key: "attributes", label: "Sensitive attributes", kind: "columns", from: "source" },
    { key: "minGroupSize", label: "Min group size", kind: "number", step: 1, min: 1 },
    {
      key: "minParityRatio",
      label: "Min demographic parity ratio",
      kind: "number",
      step: 0.05,
      min: 0,
      max: 1,
      threshold: true,
    },
  ]),
  slices: labelled([
    {
      key: "metric",
      label: "Metric",
      kind: "select",
      options: ["error_rate", "accuracy", "recall", "precision", "fpr", "selection_rate", "mean_score"],
    },
    { key: "minSupport", label: "Min rows per slice", kind: "number", step: 10, min: 1 },
    { key: "pairColumns", label: "Columns searched in pairs", kind: "number", step: 1, min: 1 },
    { key: "maxGap", label: "Max gap to the whole", kind: "number", step: 0.01, min: 0, max: 1, threshold: true },
  ]),
  canary: [
    { key: "source", label: "Dataset", kind: "table" },
    { key: "versionColumn", label: "Model version column", kind: "column", from: "source" },
    { key: "baseline", label: "Production version", kind: "value", from: "source", column: "versionColumn" },
    { key: "candidate", label: "Canary version", kind: "value", from: "source", column: "versionColumn" },
    { key: "label", label: "Label (optional)", kind: "column", from: "source", optional: true },
    { key: "score", label: "Score", kind: "column", from: "source", numeric: true },
    { key: "maxDivergence", label: "Max relative divergence", kind: "number", step: 0.01, min: 0, threshold: true },
  ],
  operational: [
    { key: "source", label: "Dataset", kind: "table" },
    { key: "latency", label: "Latency column", kind: "column", from: "source", optional: true, numeric: true },
    { key: "error", label: "Error column", kind: "column", from: "source", optional: true },
    { key: "maxP99", label: "Max p99 latency", kind: "number", step: 10, min: 0, threshold: true },
    { key: "maxErrorRate", label: "Max error rate", kind: "number", step: 0.001, min: 0, max: 1, threshold: true },
  ],
};
