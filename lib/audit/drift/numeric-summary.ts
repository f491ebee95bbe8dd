/**
 * Scan 1 run against an engine: the summaries of `numeric-summary-sql.ts`, rerun with scaled
 * moments for the columns whose values near the largest double overflowed DuckDB's `avg` /
 * `stddev_pop` (stats/scaled-moments.ts). Those columns then still get a mean and std (they set the
 * fine histogram's centre and scale, and Doane's rule), instead of failing the whole check with
 * "STDDEV_POP is out of range!".
 */
import type { QueryFn } from "../../engine/types";
import { queryRows, type Row } from "../rows";
import { hugeColumns, withScaledMomentsOnOverflow } from "../stats/scaled-moments";
import {
  compileNumericSummary,
  compileOneSideSummary,
  decodeNumericSummary,
  decodeOneSideSummary,
  type NumericSummary,
  type NumericSummarySpec,
  type OneSideSummary,
  type OneSideSummarySpec,
} from "./numeric-summary-sql";

/**
 * Runs one summary statement over `spec` (scaled columns in `spec.scaled`), again with the columns
 * of `source` that reach the overflow range scaled when a moment overflowed or `mean` of a column
 * with values is not finite.
 */
async function summariseWithScaledMoments<S extends { scaled?: ReadonlySet<string>; columns: readonly string[] }, R>(
  query: QueryFn,
  spec: S,
  source: string,
  compile: (spec: S) => string,
  decode: (spec: S, row: Row) => R[],
  moments: (summary: R) => { mean: number | null; n: number },
): Promise<{ summaries: R[]; scaled: ReadonlySet<string> }> {
  const { result, scaled } = await withScaledMomentsOnOverflow(
    async (set: ReadonlySet<string>) => {
      const scaledSpec = { ...spec, scaled: set };
      const [row] = await queryRows(query, compile(scaledSpec));
      return decode(scaledSpec, row ?? {});
    },
    (summaries) =>
      summaries.some((s) => {
        const { mean, n } = moments(s);
        return n > 0 && mean !== null && !Number.isFinite(mean);
      }),
    () => hugeColumns(query, source, spec.columns),
  );
  return { summaries: result, scaled };
}

/** Both sides' summaries (mean and std for the reference) and the columns whose moments were scaled. */
export function runNumericSummary(
  query: QueryFn,
  spec: NumericSummarySpec,
): Promise<{ summaries: NumericSummary[]; scaled: ReadonlySet<string> }> {
  return summariseWithScaledMoments(
    query,
    spec,
    spec.reference,
    compileNumericSummary,
    decodeNumericSummary,
    (s) => s.reference,
  );
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
  return summariseWithScaledMoments(query, spec, spec.source, compileOneSideSummary, decodeOneSideSummary, (s) => s);
}

/** The trace line for scaled columns, or null when none were. */
export function scaledMomentsNote(scaled: ReadonlySet<string>): string | null {
  if (scaled.size === 0) return null;
  return `values near the largest double overflowed the mean or std of ${[...scaled].map((c) => JSON.stringify(c)).join(", ")}: taken again over their values scaled by 2^−600 (exact for values that large)`;
}
