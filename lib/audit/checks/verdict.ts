/**
 * Thresholds to verdicts. A value that breaks its threshold fails. A value that meets it
 * but lies within WARN_MARGIN (10%) of the threshold's magnitude warns: "close to failing".
 * An undefined value (e.g. a rate with no denominator) warns, since nothing was measured.
 */
import type { Comparator, Measurement, Verdict } from "./types";

export const WARN_MARGIN = 0.1;

function holds(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "=":
      return value === threshold;
  }
}

export function judge(value: number | null, comparator: Comparator, threshold: number): Verdict {
  if (value === null || Number.isNaN(value)) return "warn";
  if (!holds(value, comparator, threshold)) return "fail";
  if (comparator === "=") return "pass";
  const margin = Math.abs(threshold) * WARN_MARGIN;
  const close = comparator === "<" || comparator === "<=" ? value > threshold - margin : value < threshold + margin;
  return close && margin > 0 ? "warn" : "pass";
}

export function measure(
  id: string,
  label: string,
  value: number | null,
  comparator: Comparator,
  threshold: number,
  detail?: string,
): Measurement {
  return {
    id,
    label,
    value,
    threshold,
    comparator,
    verdict: judge(value, comparator, threshold),
    ...(detail ? { detail } : {}),
  };
}

const ORDER: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2, error: 3 };

/** The worst of several verdicts; pass for none. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, v) => (ORDER[v] > ORDER[worst] ? v : worst), "pass");
}
