/**
 * Drift of a current table against a reference table, per column, and the dataset verdict.
 *
 * Queries (each covers every column of its kind):
 *   numeric (`numeric-scans.ts`): a summary, a fine histogram, the exact values of the few bins the
 *   statistics need ⇒ KS D, W1, deciles, bin counts, small value lists, all exact;
 *   categorical: counts per value.
 * Per column tests and the convention's rule are applied in column-result.ts.
 * Dataset drift: share of drifted columns ≥ datasetDriftShare (default 0.5, Evidently `presets/drift.py`;
 * `alibi`: any drifted column, Alibi's batch verdict, unless a share is given).
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { queryRows } from "../rows";
import { describeRelation, requireRows } from "../validate";
import { WarningLog } from "../warnings";
import { compileCategoricalCounts, decodeCategoricalCounts } from "./categorical-counts-sql";
import {
  type CategoricalColumnInput,
  type ColumnContext,
  categoricalColumnResult,
  numericColumnResult,
} from "./column-result";
import { isIntegerType } from "../validate";
import { type PlannedColumn, planColumns, typeOf } from "./columns";
import { numericScans } from "./numeric-scans";
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
    : await numericScans(query, {
        reference: referenceName,
        current,
        columns: numeric.map((c) => c.column),
        integerColumns: new Set(
          numeric
            .filter((c) => [referenceColumns, currentColumns].every((side) => isIntegerType(typeOf(side, c.column))))
            .map((c) => c.column),
        ),
        convention,
        warnings,
        trace,
        skip: (column, nR, nC) => skip(warnings, column, nR, nC),
      });
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
