/**
 * Audit checks: a metric family run with thresholds, giving pass / warn / fail. A check's
 * params are plain JSON, stored in the notebook; its outcome is runtime state.
 */
import type { CalibrationResult, CalibrationStrategy } from "../calibration";
import type { CanaryResult } from "../canary";
import type { DriftConvention, DriftResult } from "../drift";
import type { FairnessResult } from "../fairness";
import type { OperationalResult } from "../operational";
import type { BinaryPerformanceResult } from "../performance";
import type { Contract, ContractResult, QualityProfileResult, SchemaDiff } from "../quality";
import type { SliceMetric, WorstSlicesResult } from "../slices";
import type { AuditWarning } from "../warnings";

export const CHECK_FAMILIES = [
  "quality",
  "drift",
  "performance",
  "calibration",
  "fairness",
  "slices",
  "canary",
  "operational",
] as const;
export type CheckFamily = (typeof CHECK_FAMILIES)[number];

export type Verdict = "pass" | "warn" | "fail" | "error";

export interface QualityCheckParams {
  family: "quality";
  source: string;
  /** Expected schema: columns removed or retyped against it are violations. */
  reference?: string;
  /** Optional data contract (types, ranges, allowed values, not-null, unique). */
  contract?: Contract;
  /** Schema and contract violations allowed (default 0). */
  maxViolations: number;
}

export interface DriftCheckParams {
  family: "drift";
  reference: string;
  current: string;
  /** Columns to test; all shared columns when empty. */
  columns: string[];
  convention: DriftConvention;
  /** Largest share of drifted columns that passes (default 0.05). */
  maxDriftShare: number;
}

interface LabelledParams {
  source: string;
  label: string;
  score: string;
  prediction?: string;
  threshold: number;
}

export interface PerformanceCheckParams extends LabelledParams {
  family: "performance";
  /** Smallest ROC AUC that passes. */
  minRocAuc: number;
}

export interface CalibrationCheckParams {
  family: "calibration";
  source: string;
  label: string;
  score: string;
  bins: number;
  strategy: CalibrationStrategy;
  /** Largest expected calibration error that passes (default 0.05). */
  maxEce: number;
}

export interface FairnessCheckParams extends LabelledParams {
  family: "fairness";
  attributes: string[];
  /** Smallest demographic parity ratio that passes (default 0.8, the four-fifths rule). */
  minParityRatio: number;
  minGroupSize: number;
}

export interface SlicesCheckParams extends LabelledParams {
  family: "slices";
  metric: SliceMetric;
  minSupport: number;
  /** Pairs only among this many columns with the worst single slices; unset = every pair. */
  pairColumns?: number;
  /** Largest gap between a significant slice and the whole that passes. */
  maxGap: number;
}

export interface CanaryCheckParams {
  family: "canary";
  source: string;
  versionColumn: string;
  baseline: string;
  candidate: string;
  label?: string;
  score: string;
  threshold: number;
  /** Largest relative metric divergence that passes (default 0.02). */
  maxDivergence: number;
}

export interface OperationalCheckParams {
  family: "operational";
  source: string;
  latency?: string;
  error?: string;
  /** Largest p99 latency that passes, in the latency column's unit (default 300 ms). */
  maxP99: number;
  /** Largest error rate that passes (default 0.005). */
  maxErrorRate: number;
}

export type CheckParams =
  | QualityCheckParams
  | DriftCheckParams
  | PerformanceCheckParams
  | CalibrationCheckParams
  | FairnessCheckParams
  | SlicesCheckParams
  | CanaryCheckParams
  | OperationalCheckParams;

export type Comparator = "<" | "<=" | ">=" | ">" | "=";

/** One thresholded number of a check. */
export interface Measurement {
  id: string;
  label: string;
  value: number | null;
  threshold: number;
  comparator: Comparator;
  verdict: Verdict;
  detail?: string;
}

export type CheckResult =
  | { family: "quality"; profile: QualityProfileResult; schema: SchemaDiff | null; contract: ContractResult | null }
  | { family: "drift"; drift: DriftResult }
  | { family: "performance"; performance: BinaryPerformanceResult }
  | { family: "calibration"; calibration: CalibrationResult }
  | { family: "fairness"; fairness: FairnessResult }
  | { family: "slices"; slices: WorstSlicesResult }
  | { family: "canary"; canary: CanaryResult }
  | { family: "operational"; operational: OperationalResult };

export interface CheckOutcome {
  family: CheckFamily;
  verdict: Verdict;
  measurements: Measurement[];
  result: CheckResult;
  /** Every statement the check ran, in order ("show SQL"). */
  sql: string[];
  warnings: AuditWarning[];
  elapsedMs: number;
}

/**
 * Families that can read a streamed dataset: quality and drift from its profile (quantiles and
 * KS/Wasserstein with stated bounds); fairness and calibration (uniform bins) by adding up their
 * per-group and per-bin counts over the batches (exact); performance from counts and
 * per-score-bin ranges (ROC AUC within a stated interval); operational from its profile (latency
 * percentiles with stated bounds, exact error rate); slices by adding up per-slice counts over the
 * batches (exact for its bins, whose edges come from the profile); canary from per-side counts, the
 * streamed performance of each side and each side's profile of the score. Every family, so far:
 * a new family joins the list once it has a streamed form.
 */
export const STREAMABLE_FAMILIES: readonly CheckFamily[] = [
  "quality",
  "drift",
  "fairness",
  "calibration",
  "performance",
  "slices",
  "canary",
  "operational",
];

/** "quality, drift, … and operational", for messages that say which checks read streamed data. */
export function streamableFamiliesText(): string {
  return `${STREAMABLE_FAMILIES.slice(0, -1).join(", ")} and ${STREAMABLE_FAMILIES.at(-1)}`;
}
