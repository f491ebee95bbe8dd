/**
 * Drift of a current table against a reference table, per column, and the dataset verdict.
 *
 * Queries (each covers every column of its kind):
 *   1. numeric summary: counts, min, max, mean, std and deciles (one pass over R and C);
 *   1b. nannyml only: reference skewness for Doane's rule (one more pass over R);
 *   2. numeric distribution: per-distinct-value counts ⇒ KS D, W1, bin counts, small value lists;
 *   3. categorical counts per value.
 * Per column tests and the convention's rule are applied in column-result.ts.
 * Dataset drift: share of drifted columns ≥ datasetDriftShare (default 0.5, Evidently `presets/drift.py`;
 * `alibi`: any drifted column, Alibi's batch verdict, unless a share is given).
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { describeRelation, requireRows } from "../validate";
import { WarningLog } from "../warnings";
import { type BinPlan, planNumericBins } from "./bin-plan";
import { compileCategoricalCounts, decodeCategoricalCounts } from "./categorical-counts-sql";
import {
  type CategoricalColumnInput,
  type ColumnContext,
  categoricalColumnResult,
  type NumericColumnInput,
  numericColumnResult,
} from "./column-result";
import { type PlannedColumn, planColumns } from "./columns";
import {
  type BinSpec,
  compileNumericDistribution,
  decodeNumericDistribution,
  type NumericDistribution,
  type NumericDistributionColumn,
} from "./numeric-distribution-sql";
import { compileNumericSummary, compileSkewness, decodeNumericSummary } from "./numeric-summary-sql";
import { fetchValueCounts } from "./value-counts";
import { isReferenceProfile, type ReferenceProfile } from "./reference-profile-types";
import { profileCategoricalInputs, profileNumericInputs } from "./profile-drift";
import type { DriftColumnResult, DriftConvention, DriftResult, KsMode } from "./types";

export interface DriftOptions {
  /** Reference table or view name, or a profile from `computeReferenceProfile` (no re-scan of R). */
  reference: string | ReferenceProfile;
  /** Current table or view name. */
  current: string;
  /** Columns to compare; default: every column both tables hold that drift can compare. */
  columns?: string[];
  /** Columns to treat as categorical even when numeric. */
  categorical?: string[];
  /** Whose numbers to reproduce (default `assay`). */
  convention?: DriftConvention;
  /** Dataset drift when the share of drifted columns is at least this (default 0.5; `alibi`: any). */
  datasetDriftShare?: number;
  /** KS p-value path (default `auto`; `alibi` always uses `asymp`). */
  ksMode?: KsMode;
}

const CONVENTIONS: readonly DriftConvention[] = ["assay", "evidently", "nannyml", "alibi"];
const KS_MODES: readonly KsMode[] = ["auto", "exact", "asymp"];
/** Above this many categories a column's per-category result is large; say so. */
const MANY_CATEGORIES = 1000;

function checkOptions(options: DriftOptions): { convention: DriftConvention; ksMode: KsMode } {
  const convention = options.convention ?? "assay";
  if (!CONVENTIONS.includes(convention)) {
    throw new AuditInputError(
      "invalid-option",
      `Unknown drift convention "${String(convention)}"; use one of ${CONVENTIONS.join(", ")}.`,
    );
  }
  const ksMode = options.ksMode ?? "auto";
  if (!KS_MODES.includes(ksMode)) {
    throw new AuditInputError("invalid-option", `Unknown ksMode "${String(ksMode)}"; use auto, exact or asymp.`);
  }
  const share = options.datasetDriftShare;
  if (share !== undefined && !(share > 0 && share <= 1)) {
    throw new AuditInputError(
      "invalid-option",
      `datasetDriftShare must be in (0, 1]; got ${share}. Use 0.5 for Evidently's rule or 0.05 for a strict audit.`,
    );
  }
  return { convention, ksMode };
}

function skip(warnings: WarningLog, column: string, nR: number, nC: number): boolean {
  if (nR > 0 && nC > 0) return false;
  const side = nR === 0 && nC === 0 ? "either table" : nR === 0 ? "the reference" : "the current table";
  warnings.warn(
    "column-all-null",
    `"${column}" has no non-null finite values in ${side}; it was left out of the drift verdict.`,
    column,
  );
  return true;
}

/** Scans 1, 1b and 2 for the numeric columns of two tables. */
async function numericInputs(
  query: QueryFn,
  reference: string,
  current: string,
  columns: readonly string[],
  convention: DriftConvention,
  warnings: WarningLog,
  trace: string[],
): Promise<Map<string, NumericColumnInput>> {
  const out = new Map<string, NumericColumnInput>();
  if (columns.length === 0) return out;
  const summarySpec = { reference, current, columns };
  const [summaryRow] = await queryRows(query, compileNumericSummary(summarySpec));
  const summaries = decodeNumericSummary(summarySpec, summaryRow ?? {}).filter(
    (s) => !skip(warnings, s.column, s.reference.n, s.current.n),
  );
  trace.push(`numeric scan 1: counts, min, max, mean, std, deciles of ${columns.length} column(s)`);
  if (summaries.length === 0) return out;
  const skewness = new Map<string, number>();
  if (convention === "nannyml") {
    const wanted = summaries
      .filter((s) => (s.reference.std ?? 0) > 0 && s.reference.n > 2)
      .map((s) => ({ column: s.column, mean: s.reference.mean ?? 0, std: s.reference.std ?? 0 }));
    if (wanted.length > 0) {
      const [row] = await queryRows(query, compileSkewness({ source: reference, columns: wanted }));
      wanted.forEach((w, i) => {
        skewness.set(w.column, num(row?.[`g1_${i}`]) ?? 0);
      });
      trace.push(`numeric scan 1b: reference skewness of ${wanted.length} column(s) for Doane's rule`);
    }
  }
  const plans: BinPlan[] = summaries.map((s) =>
    planNumericBins(
      {
        nReference: s.reference.n,
        nCurrent: s.current.n,
        referenceMin: s.reference.min ?? 0,
        referenceMax: s.reference.max ?? 0,
        currentMin: s.current.min ?? 0,
        currentMax: s.current.max ?? 0,
        referenceStd: s.reference.std ?? 0,
        deciles: s.reference.deciles,
        referenceSkewness: skewness.get(s.column) ?? 0,
      },
      convention,
    ),
  );
  const distColumns: NumericDistributionColumn[] = summaries.map((s, i) => {
    const plan = plans[i] as BinPlan;
    const bins: BinSpec[] =
      plan.jensenShannon === plan.psi ? [plan.psi.spec] : [plan.psi.spec, plan.jensenShannon.spec];
    return { column: s.column, nReference: s.reference.n, nCurrent: s.current.n, bins };
  });
  const distSpec = { reference, current, columns: distColumns };
  const dists = decodeNumericDistribution(distSpec, await queryRows(query, compileNumericDistribution(distSpec)));
  trace.push(
    `numeric scan 2: per-distinct-value counts ⇒ KS, Wasserstein, bin counts of ${summaries.length} column(s)`,
  );
  const values = await fetchValueCounts(
    query,
    reference,
    current,
    summaries.map((s, i) => ({ column: s.column, nCurrent: s.current.n, dist: dists[i] as NumericDistribution })),
    convention,
    trace,
  );
  summaries.forEach((s, i) => {
    const plan = plans[i] as BinPlan;
    const dist = dists[i] as NumericDistribution;
    const psiCounts = dist.bins[0] ?? { reference: [], current: [] };
    out.set(s.column, {
      column: s.column,
      nReference: s.reference.n,
      nCurrent: s.current.n,
      droppedReference: s.reference.dropped,
      droppedCurrent: s.current.dropped,
      referenceStd: s.reference.std ?? 0,
      nDistinct: dist.nDistinct,
      nDistinctReference: dist.nDistinctReference,
      ksStatistic: dist.ksStatistic,
      wassersteinRaw: dist.wassersteinRaw,
      plan,
      psiCounts,
      jsCounts: dist.bins[1] ?? psiCounts,
      values: values.get(s.column)?.values ?? null,
      ...(values.get(s.column)?.unseen ? { unseenCurrent: values.get(s.column)?.unseen } : {}),
    });
  });
  return out;
}

async function categoricalInputs(
  query: QueryFn,
  reference: string,
  current: string,
  columns: readonly PlannedColumn[],
  warnings: WarningLog,
  trace: string[],
): Promise<Map<string, CategoricalColumnInput>> {
  const out = new Map<string, CategoricalColumnInput>();
  if (columns.length === 0) return out;
  const spec = {
    reference,
    current,
    columns: columns.map((c) => ({ column: c.column, numeric: c.numericStorage })),
  };
  const counts = decodeCategoricalCounts(spec, await queryRows(query, compileCategoricalCounts(spec)));
  trace.push(`categorical scan: counts per value of ${columns.length} column(s)`);
  columns.forEach((c, i) => {
    const k = counts[i];
    if (!k || skip(warnings, c.column, k.nReference, k.nCurrent)) return;
    if (k.categories.length > MANY_CATEGORIES) {
      warnings.warn(
        "many-categories",
        `"${c.column}" has ${k.categories.length} distinct values; per-category drift is noisy and its bins are large. Is it an identifier?`,
        c.column,
      );
    }
    out.set(c.column, { column: c.column, ...k });
  });
  return out;
}

/** Drift of `current` against `reference` (a table, a view, or a saved reference profile). */
export async function runDrift(query: QueryFn, options: DriftOptions): Promise<DriftResult> {
  const { convention, ksMode } = checkOptions(options);
  const warnings = new WarningLog();
  const trace: string[] = [`convention: ${convention}`];
  const current = options.current;
  const profile = typeof options.reference === "string" ? null : options.reference;
  if (profile !== null && !isReferenceProfile(profile)) {
    throw new AuditInputError("invalid-option", "The reference is neither a table name nor a reference profile.");
  }
  const referenceName = profile ? `profile of "${profile.source}"` : (options.reference as string);
  await requireRows(query, current);
  const currentColumns = await describeRelation(query, current);
  let referenceColumns = profile ? profile.columns.map((c) => ({ name: c.column, type: c.type })) : [];
  if (!profile) {
    await requireRows(query, referenceName);
    referenceColumns = await describeRelation(query, referenceName);
  }
  const planned = planColumns({
    reference: referenceColumns,
    current: currentColumns,
    referenceName,
    currentName: current,
    ...(options.columns ? { columns: options.columns } : {}),
    ...(options.categorical ? { categorical: options.categorical } : {}),
    warnings,
  });
  trace.push(
    `reference: ${profile ? `${referenceName} (saved ${profile.createdWith})` : `"${referenceName}"`}; current: "${current}"`,
  );
  const numeric = planned.filter((c) => c.kind === "numeric");
  const categorical = planned.filter((c) => c.kind === "categorical");
  const numericMap = profile
    ? await profileNumericInputs(query, profile, current, numeric, convention, warnings, trace)
    : await numericInputs(
        query,
        referenceName,
        current,
        numeric.map((c) => c.column),
        convention,
        warnings,
        trace,
      );
  const categoricalMap = profile
    ? await profileCategoricalInputs(query, profile, current, categorical, warnings, trace)
    : await categoricalInputs(query, referenceName, current, categorical, warnings, trace);

  const tested = planned.filter((c) => numericMap.has(c.column) || categoricalMap.has(c.column));
  if (tested.length === 0) {
    throw new AuditInputError(
      "all-null",
      "No compared column has finite, non-null values in both tables; there is nothing to test for drift.",
    );
  }
  const ctx: ColumnContext = { convention, ksMode, nColumns: tested.length, warnings };
  const columns: DriftColumnResult[] = tested.map((c) => {
    const n = numericMap.get(c.column);
    if (n) return numericColumnResult(n, ctx);
    return categoricalColumnResult(categoricalMap.get(c.column) as CategoricalColumnInput, ctx);
  });
  const drifted = columns.filter((c) => c.drifted).length;
  const shareDrifted = drifted / columns.length;
  const share = options.datasetDriftShare ?? (convention === "alibi" ? null : 0.5);
  const datasetDrift = share === null ? drifted > 0 : shareDrifted >= share;
  trace.push(
    `columns tested: ${columns.length} (${numericMap.size} numeric, ${categoricalMap.size} categorical); drifted: ${drifted}`,
  );
  trace.push(
    share === null
      ? `dataset drift: any drifted column (Alibi's batch verdict with Bonferroni thresholds) ⇒ ${datasetDrift}`
      : `dataset drift: share drifted ${shareDrifted} ≥ ${share} ⇒ ${datasetDrift}`,
  );
  return { columns, shareDrifted, datasetDrift, trace, warnings: warnings.items };
}
