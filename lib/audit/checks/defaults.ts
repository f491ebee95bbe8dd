/**
 * Default params for a new check over given datasets, with Assay's default thresholds:
 * drifted share < 5%, p99 < 300 ms, error rate < 0.5%, violations = 0, canary divergence < 2%,
 * demographic parity ratio ≥ 0.8, ECE ≤ 0.05.
 */
import type { ColumnInfo } from "../../engine/types";
import { guessColumns } from "./guess-columns";
import type { CheckFamily, CheckParams } from "./types";

export const DEFAULT_THRESHOLDS = {
  maxDriftShare: 0.05,
  maxP99: 300,
  maxErrorRate: 0.005,
  maxViolations: 0,
  maxDivergence: 0.02,
  minParityRatio: 0.8,
  maxEce: 0.05,
  minRocAuc: 0.7,
  maxGap: 0.1,
} as const;

export interface CheckContext {
  /** The dataset (or cell result) that is audited. */
  current: { name: string; columns: readonly ColumnInfo[] };
  /** The baseline it is compared with, when there is one. */
  reference?: { name: string; columns: readonly ColumnInfo[] };
}

export function defaultCheckParams(family: CheckFamily, context: CheckContext): CheckParams {
  const source = context.current.name;
  const g = guessColumns(context.current.columns);
  const labelled = {
    source,
    label: g.label ?? "",
    score: g.score ?? "",
    ...(g.prediction ? { prediction: g.prediction } : {}),
    threshold: 0.5,
  };
  switch (family) {
    case "quality":
      return {
        family,
        source,
        ...(context.reference ? { reference: context.reference.name } : {}),
        maxViolations: DEFAULT_THRESHOLDS.maxViolations,
      };
    case "drift":
      return {
        family,
        reference: context.reference?.name ?? source,
        current: source,
        columns: g.features.filter((f) => context.reference?.columns.some((c) => c.name === f) ?? true),
        convention: "assay",
        maxDriftShare: DEFAULT_THRESHOLDS.maxDriftShare,
      };
    case "performance":
      return { family, ...labelled, minRocAuc: DEFAULT_THRESHOLDS.minRocAuc };
    case "calibration":
      return {
        family,
        source,
        label: labelled.label,
        score: labelled.score,
        bins: 10,
        strategy: "uniform",
        maxEce: DEFAULT_THRESHOLDS.maxEce,
      };
    case "fairness":
      return {
        family,
        ...labelled,
        attributes: g.groups.slice(0, 2),
        minParityRatio: DEFAULT_THRESHOLDS.minParityRatio,
        minGroupSize: 30,
      };
    case "slices":
      return {
        family,
        ...labelled,
        metric: "error_rate",
        minSupport: 30,
        pairColumns: 8,
        maxGap: DEFAULT_THRESHOLDS.maxGap,
      };
    case "canary":
      return {
        family,
        source,
        versionColumn: g.version ?? "",
        baseline: "",
        candidate: "",
        ...(g.label ? { label: g.label } : {}),
        score: labelled.score,
        threshold: 0.5,
        maxDivergence: DEFAULT_THRESHOLDS.maxDivergence,
      };
    case "operational":
      return {
        family,
        source,
        ...(g.latency ? { latency: g.latency } : {}),
        ...(g.error ? { error: g.error } : {}),
        maxP99: DEFAULT_THRESHOLDS.maxP99,
        maxErrorRate: DEFAULT_THRESHOLDS.maxErrorRate,
      };
  }
}

export const FAMILY_TITLES: Record<CheckFamily, string> = {
  quality: "Data quality and schema",
  drift: "Drift (reference vs current)",
  performance: "Performance",
  calibration: "Calibration",
  fairness: "Subgroup fairness",
  slices: "Worst slices",
  canary: "Canary vs production",
  operational: "Latency and errors",
};
