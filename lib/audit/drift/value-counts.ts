/**
 * Follow-up query for the numeric columns whose per-value counts matter: ≤ 5 distinct values
 * (chi-square, z-test) or Evidently's per-value bins (≤ 20 distinct reference values). When R ∪ C has
 * more than VALUE_LIST_CAP values, only R's values are fetched and the current-only ones are summarised
 * by aggregates (divergence.ts `psiEvidentlyWithUnseen`).
 */
import type { QueryFn } from "../../engine/types";
import { queryRows } from "../rows";
import { needsUnseenSummary, needsValueCounts } from "./column-result";
import type { UnseenCurrent } from "./divergence";
import {
  compileNumericValueCounts,
  compileUnseenSummary,
  decodeNumericValueCounts,
  decodeUnseenSummary,
  type InlineReference,
  type ValueCount,
} from "./numeric-distribution-sql";
import type { DriftConvention } from "./types";

export interface ValueCountNeed {
  column: string;
  nCurrent: number;
  inlineReference?: InlineReference;
  dist: { nDistinct: number; nDistinctReference: number };
}

export interface FetchedValues {
  values: ValueCount[];
  unseen?: UnseenCurrent;
}

export async function fetchValueCounts(
  query: QueryFn,
  reference: string,
  current: string,
  items: readonly ValueCountNeed[],
  convention: DriftConvention,
  trace: string[],
): Promise<Map<string, FetchedValues>> {
  const out = new Map<string, FetchedValues>();
  const columnSpec = ({ column, inlineReference }: ValueCountNeed) =>
    inlineReference ? { column, inlineReference } : { column };
  const full = items.filter((x) => needsValueCounts(x.dist, convention));
  if (full.length > 0) {
    const spec = { reference, current, columns: full.map(columnSpec) };
    const counts = decodeNumericValueCounts(spec, await queryRows(query, compileNumericValueCounts(spec)));
    full.forEach(({ column }, i) => {
      out.set(column, { values: counts[i] ?? [] });
    });
    trace.push(`numeric values: per-value counts of ${full.length} low-cardinality column(s)`);
  }
  const partial = items.filter((x) => needsUnseenSummary(x.dist, convention));
  if (partial.length > 0) {
    const spec = { reference, current, columns: partial.map(columnSpec), nCurrent: partial.map((x) => x.nCurrent) };
    const summaries = decodeUnseenSummary(spec, await queryRows(query, compileUnseenSummary(spec)));
    partial.forEach(({ column }, i) => {
      const s = summaries[i];
      if (s) out.set(column, { values: s.values, unseen: s.unseen });
    });
    trace.push(
      `numeric values: reference values and current-only aggregates of ${partial.length} column(s) (Evidently per-value bins)`,
    );
  }
  return out;
}
