/**
 * A check cell's result as data: its thresholded measurements as a small Arrow table, whose
 * result hash (`resultRecord(checkResultTable(outcome), { ordered: true })`) is what the
 * notebook stores and a re-run compares; and the same measurements as the file's verdicts.
 */
import { Float64, Table, Utf8, vectorFromArray } from "apache-arrow";
import type { CheckOutcome } from "../audit/checks/types";
import type { Verdict } from "../notebook/format/types";

/**
 * One row per measurement, in order: `id`, `label`, `value` (null when undefined),
 * `comparator`, `threshold`, `verdict`. Row order is the check's, so hash it `ordered`.
 */
export function checkResultTable(outcome: CheckOutcome): Table {
  const m = outcome.measurements;
  // NaN is an undefined measurement too (judge treats it as one); store it as null.
  const value = (v: number | null) => (v === null || Number.isNaN(v) ? null : v);
  const utf8 = (values: string[]) => vectorFromArray(values, new Utf8());
  const float64 = (values: (number | null)[]) => vectorFromArray(values, new Float64());
  return new Table({
    id: utf8(m.map((x) => x.id)),
    label: utf8(m.map((x) => x.label)),
    value: float64(m.map((x) => value(x.value))),
    comparator: utf8(m.map((x) => x.comparator)),
    threshold: float64(m.map((x) => x.threshold)),
    verdict: utf8(m.map((x) => x.verdict)),
  });
}

/** The measurements as the notebook file's verdicts (`detail`: value, threshold, comparator). */
export function checkVerdicts(outcome: CheckOutcome): Verdict[] {
  return outcome.measurements.map((m) => ({
    label: m.label,
    status: m.verdict,
    detail: {
      value: m.value === null || Number.isNaN(m.value) ? null : m.value,
      threshold: m.threshold,
      comparator: m.comparator,
    },
  }));
}
