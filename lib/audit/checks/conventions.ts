/**
 * The same drift or fairness check under every named convention, side by side, so a
 * reviewer sees where Evidently, NannyML, Alibi, Fairlearn or Aequitas would disagree with
 * Assay's default, and why (each convention's trace).
 */
import type { QueryFn } from "../../engine/types";
import { type DriftConvention, type DriftResult, runDrift } from "../drift";
import { type FairnessConvention, type FairnessResult, type FairnessSpec, runFairness } from "../fairness";
import type { DriftCheckParams, FairnessCheckParams, Verdict } from "./types";
import { judge } from "./verdict";

/** The fairness library's spec for a check's settings (the check and its conventions view). */
export function fairnessSpecOf(p: FairnessCheckParams): FairnessSpec {
  return {
    source: p.source,
    label: p.label,
    score: p.score,
    ...(p.prediction ? { prediction: p.prediction } : {}),
    threshold: p.threshold,
    attributes: p.attributes,
    minGroupSize: p.minGroupSize,
  };
}

export const DRIFT_CONVENTIONS: readonly DriftConvention[] = ["assay", "evidently", "nannyml", "alibi"];
export const FAIRNESS_CONVENTIONS: readonly FairnessConvention[] = ["assay", "fairlearn", "aequitas"];

export interface DriftConventionColumn {
  column: string;
  /** Per convention: the deciding test, its statistic and p-value, and the flag. */
  byConvention: Record<
    string,
    { method: string; statistic: number; pValue: number | null; drifted: boolean; trace: string[] }
  >;
  /** True when the conventions do not all agree on the flag. */
  disagree: boolean;
}

export interface DriftConventionComparison {
  family: "drift";
  conventions: { convention: string; shareDrifted: number; verdict: Verdict; trace: string[] }[];
  columns: DriftConventionColumn[];
}

export interface FairnessConventionComparison {
  family: "fairness";
  attributes: {
    attribute: string;
    byConvention: Record<
      string,
      {
        demographicParityRatio: number | null;
        equalizedOddsRatio: number | null;
        verdict: Verdict;
        undefinedRates: number;
        steps: string[];
      }
    >;
    disagree: boolean;
  }[];
}

export type ConventionComparison = DriftConventionComparison | FairnessConventionComparison;

export async function compareDriftConventions(query: QueryFn, p: DriftCheckParams): Promise<DriftConventionComparison> {
  const runs: { convention: DriftConvention; result: DriftResult }[] = [];
  for (const convention of DRIFT_CONVENTIONS) {
    runs.push({
      convention,
      result: await runDrift(query, {
        reference: p.reference,
        current: p.current,
        ...(p.columns.length > 0 ? { columns: p.columns } : {}),
        convention,
      }),
    });
  }
  const names = runs[0]?.result.columns.map((c) => c.column) ?? [];
  const columns = names.map((column) => {
    const byConvention: DriftConventionColumn["byConvention"] = {};
    for (const run of runs) {
      const c = run.result.columns.find((x) => x.column === column);
      if (c) {
        byConvention[run.convention] = {
          method: c.method,
          statistic: c.statistic,
          pValue: c.pValue,
          drifted: c.drifted,
          trace: c.trace,
        };
      }
    }
    const flags = new Set(Object.values(byConvention).map((v) => v.drifted));
    return { column, byConvention, disagree: flags.size > 1 };
  });
  return {
    family: "drift",
    conventions: runs.map((r) => ({
      convention: r.convention,
      shareDrifted: r.result.shareDrifted,
      verdict: judge(r.result.shareDrifted, "<", p.maxDriftShare),
      trace: r.result.trace,
    })),
    columns,
  };
}

export async function compareFairnessConventions(
  query: QueryFn,
  p: FairnessCheckParams,
): Promise<FairnessConventionComparison> {
  const runs: { convention: FairnessConvention; result: FairnessResult }[] = [];
  for (const convention of FAIRNESS_CONVENTIONS) {
    runs.push({
      convention,
      result: await runFairness(query, { ...fairnessSpecOf(p), convention }),
    });
  }
  const attributes = (runs[0]?.result.attributes ?? []).map((a) => {
    const byConvention: FairnessConventionComparison["attributes"][number]["byConvention"] = {};
    for (const run of runs) {
      const r = run.result.attributes.find((x) => x.attribute === a.attribute);
      if (!r) continue;
      const undefinedRates = r.groups.reduce(
        (n, g) => n + [g.selectionRate, g.tpr, g.fpr, g.precision].filter((v) => v === null).length,
        0,
      );
      byConvention[run.convention] = {
        demographicParityRatio: r.demographicParityRatio,
        equalizedOddsRatio: r.equalizedOddsRatio,
        verdict: judge(r.demographicParityRatio, ">=", p.minParityRatio),
        undefinedRates,
        steps: r.trace.steps,
      };
    }
    const verdicts = new Set(Object.values(byConvention).map((v) => v.verdict === "fail"));
    return { attribute: a.attribute, byConvention, disagree: verdicts.size > 1 };
  });
  return { family: "fairness", attributes };
}
