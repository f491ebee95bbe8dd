/**
 * Scan 1 run against an engine: the summaries of `numeric-summary-sql.ts`, rerun with scaled
 * moments for the columns whose values near the largest double overflowed DuckDB's `avg` /
 * `stddev_pop` (stats/scaled-moments.ts). Those columns then still get a mean and std (they set the
 * fine histogram's centre and scale, and Doane's rule), instead of failing the whole check with
 * "STDDEV_POP is out of range!".
 */
import type { QueryFn } from "../../engine/types";
import { num, queryRows } from "../rows";
import { HUGE_MAGNITUDE, withScaledMomentsOnOverflow } from "../stats/scaled-moments";
import {
  compileMagnitudes,
  compileNumericSummary,
  compileOneSideSummary,
  decodeNumericSummary,
  decodeOneSideSummary,
  type NumericSummary,
  type NumericSummarySpec,
  type OneSideSummary,
  type OneSideSummarySpec,
} from "./numeric-summary-sql";

const overflowed = (mean: number | null, n: number) => n > 0 && mean !== null && !Number.isFinite(mean);

async function hugeColumns(query: QueryFn, source: string, columns: readonly string[]): Promise<Set<string>> {
  const [row] = await queryRows(query, compileMagnitudes(source, columns));
  return new Set(columns.filter((_, i) => (num(row?.[`m_${i}`]) ?? 0) >= HUGE_MAGNITUDE));
}

/** Both sides' summaries (mean and std for the reference) and the columns whose moments were scaled. */
export async function runNumericSummary(
  query: QueryFn,
  spec: NumericSummarySpec,
): Promise<{ summaries: NumericSummary[]; scaled: ReadonlySet<string> }> {
  const { result, scaled } = await withScaledMomentsOnOverflow(
    async (set: ReadonlySet<string>) => {
      const scaledSpec = { ...spec, scaled: set };
      const [row] = await queryRows(query, compileNumericSummary(scaledSpec));
      return decodeNumericSummary(scaledSpec, row ?? {});
    },
    (summaries) => summaries.some((s) => overflowed(s.reference.mean, s.reference.n)),
    () => hugeColumns(query, spec.reference, spec.columns),
  );
  return { summaries: result, scaled };
}

/** One table's summaries (with mean and std when `spec.profile`) and the columns whose moments were scaled. */
export async function runOneSideSummary(
  query: QueryFn,
  spec: OneSideSummarySpec,
): Promise<{ summaries: OneSideSummary[]; scaled: ReadonlySet<string> }> {
  if (!spec.profile) {
    const [row] = await queryRows(query, compileOneSideSummary(spec));
    return { summaries: decodeOneSideSummary(spec, row ?? {}), scaled: new Set() };
  }
  const { result, scaled } = await withScaledMomentsOnOverflow(
    async (set: ReadonlySet<string>) => {
      const scaledSpec = { ...spec, scaled: set };
      const [row] = await queryRows(query, compileOneSideSummary(scaledSpec));
      return decodeOneSideSummary(scaledSpec, row ?? {});
    },
    (summaries) => summaries.some((s) => overflowed(s.mean, s.n)),
    () => hugeColumns(query, spec.source, spec.columns),
  );
  return { summaries: result, scaled };
}

/** The trace line for scaled columns, or null when none were. */
export function scaledMomentsNote(scaled: ReadonlySet<string>): string | null {
  if (scaled.size === 0) return null;
  return `values near the largest double overflowed the mean or std of ${[...scaled].map((c) => JSON.stringify(c)).join(", ")}: taken again over their values scaled by 2^−600 (exact for values that large)`;
}
