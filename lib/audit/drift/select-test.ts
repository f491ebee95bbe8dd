/**
 * Which test decides a column's drift flag, and its threshold.
 *
 * Evidently's rule (`stattests/registry.py:_get_default_stattest`), used by the `assay`, `evidently` and
 * `nannyml` conventions; n_unique counts distinct non-null values of R ∪ C, the split is on n_R (after
 * dropping nulls, NaN and ±Inf):
 *   n_R ≤ 1000: ≤ 2 distinct ⇒ z-test (p < 0.05); 3–5 distinct, or categorical > 2 ⇒ chi-square (p < 0.05);
 *               numeric > 5 ⇒ KS (p ≤ 0.05)
 *   n_R > 1000: numeric > 5 ⇒ Wasserstein normed (≥ 0.1); otherwise Jensen–Shannon (≥ 0.1)
 * `alibi` (Alibi Detect `TabularDrift`): KS for numeric, chi-square (contingency) for categorical, with a
 * Bonferroni threshold 0.05 / n_features.
 */
import type { ColumnKind, DriftConvention, DriftMethod } from "./types";

export interface TestChoice {
  method: DriftMethod;
  threshold: number;
  /** "p" ⇒ drift when p is below (or at, for KS) the threshold; "distance" ⇒ drift when ≥ threshold. */
  rule: "p-below" | "p-at-or-below" | "distance-at-or-above";
  reason: string;
}

export const P_THRESHOLD = 0.05;
export const DISTANCE_THRESHOLD = 0.1;
/** Evidently switches from tests to distances above this many reference rows. */
export const SMALL_REFERENCE = 1000;

const fmt = (n: number): string => n.toLocaleString("en-US").replaceAll(",", " ");

export function selectTest(
  kind: ColumnKind,
  nReference: number,
  unique: number | { atLeast: number },
  convention: DriftConvention,
  nColumns: number,
): TestChoice {
  // A lower bound comes with more than 10 000 values (table path) or more than 5 grid bins (streamed
  // profiles): every rule below reads it like the count.
  const nUnique = typeof unique === "number" ? unique : unique.atLeast;
  const what =
    typeof unique === "number"
      ? `${kind} with ${fmt(nUnique)} distinct value${nUnique === 1 ? "" : "s"}`
      : `${kind} with at least ${fmt(nUnique)} distinct values`;
  if (convention === "alibi") {
    const threshold = P_THRESHOLD / nColumns;
    const method: DriftMethod = kind === "numeric" ? "ks" : "chi-square";
    return {
      method,
      threshold,
      rule: "p-below",
      reason: `alibi: ${kind} ⇒ ${method === "ks" ? "KS (asymptotic)" : "chi-square (contingency)"}, Bonferroni threshold 0.05 / ${nColumns} = ${threshold}`,
    };
  }
  const size =
    nReference <= SMALL_REFERENCE ? `n_ref = ${fmt(nReference)} ≤ 1 000` : `n_ref = ${fmt(nReference)} > 1 000`;
  let method: DriftMethod;
  if (nReference <= SMALL_REFERENCE) {
    if (kind === "numeric" && nUnique > 5) method = "ks";
    else method = nUnique <= 2 ? "z-test" : "chi-square";
  } else {
    method = kind === "numeric" && nUnique > 5 ? "wasserstein" : "jensen-shannon";
  }
  const [rule, threshold, label, when] = methodRule(method);
  return {
    method,
    threshold,
    rule,
    reason: `${size}, ${what} ⇒ ${label}, threshold ${threshold} (${when}; Evidently's rule)`,
  };
}

function methodRule(method: DriftMethod): [TestChoice["rule"], number, string, string] {
  switch (method) {
    case "ks":
      return ["p-at-or-below", P_THRESHOLD, "KS", "drift when p ≤ 0.05"];
    case "z-test":
      return ["p-below", P_THRESHOLD, "z-test", "drift when p < 0.05"];
    case "chi-square":
      return ["p-below", P_THRESHOLD, "chi-square", "drift when p < 0.05"];
    case "wasserstein":
      return ["distance-at-or-above", DISTANCE_THRESHOLD, "Wasserstein normed", "drift when ≥ 0.1"];
    case "jensen-shannon":
      return ["distance-at-or-above", DISTANCE_THRESHOLD, "Jensen–Shannon", "drift when ≥ 0.1"];
  }
}

export function isDrifted(choice: TestChoice, value: number): boolean {
  switch (choice.rule) {
    case "p-below":
      return value < choice.threshold;
    case "p-at-or-below":
      return value <= choice.threshold;
    case "distance-at-or-above":
      return value >= choice.threshold;
  }
}
