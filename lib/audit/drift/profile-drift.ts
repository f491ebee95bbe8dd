/**
 * Drift inputs when the reference is a saved `ReferenceProfile`: only the current table is read.
 *   - numeric, exact profile (distinct values stored): the stored values stand in for the reference
 *     rows in the same distribution query as a table run ⇒ identical numbers.
 *   - numeric, sketch profile: KS and Wasserstein against the sketch's piecewise-linear CDF
 *     (sketch-distribution-sql.ts); decile (PSI) and Doane (NannyML JS) reference counts come from the
 *     profile, exact; Evidently's Sturges reference counts are read off the sketch CDF (approximate,
 *     fractional). The column's trace says which numbers are approximate.
 *   - categorical: stored counts merged with the current counts.
 */
import type { QueryFn } from "../../engine/types";
import { queryRows } from "../rows";
import type { WarningLog } from "../warnings";
import { type BinPlan, planNumericBins } from "./bin-plan";
import { compileOneSideCategoryCounts, decodeOneSideCategoryCounts } from "./categorical-counts-sql";
import type { CategoricalColumnInput, NumericColumnInput } from "./column-result";
import type { SideCounts } from "./drift-bins";
import type { PlannedColumn } from "./columns";
import {
  type BinSpec,
  compileNumericDistribution,
  decodeNumericDistribution,
  type NumericDistributionColumn,
} from "./numeric-distribution-sql";
import { compileOneSideSummary, decodeOneSideSummary } from "./numeric-summary-sql";
import type { ProfileCategoricalColumn, ProfileNumericColumn, ReferenceProfile } from "./reference-profile-types";
import { compileSketchDistribution, decodeSketchDistribution, sketchCdf } from "./sketch-distribution-sql";
import type { DriftConvention } from "./types";
import { fetchValueCounts } from "./value-counts";

function mismatchWarning(warnings: WarningLog, profile: ReferenceProfile, column: string, kind: string): void {
  const stored = profile.columns.find((c) => c.column === column)?.kind ?? "absent";
  warnings.warn(
    "profile-mismatch",
    `"${column}" is compared as ${kind} but the profile of "${profile.source}" holds it as ${stored}; profile the reference again with the same \`categorical\` option. It was left out of the drift verdict.`,
    column,
  );
}

function skipWarning(warnings: WarningLog, column: string): void {
  warnings.warn(
    "column-all-null",
    `"${column}" has no non-null finite values in the current table; it was left out of the drift verdict.`,
    column,
  );
}

function profileColumn<K extends "numeric" | "categorical">(
  profile: ReferenceProfile,
  column: string,
  kind: K,
): (K extends "numeric" ? ProfileNumericColumn : ProfileCategoricalColumn) | undefined {
  const c = profile.columns.find((x) => x.column === column && x.kind === kind);
  return c as (K extends "numeric" ? ProfileNumericColumn : ProfileCategoricalColumn) | undefined;
}

/** Reference counts of a bin set a sketch profile can give: stored (deciles, Doane) or read off the sketch. */
function sketchReferenceCounts(p: ProfileNumericColumn, plan: BinPlan["psi"]): number[] {
  if (plan.scheme === "quantile") return p.quantileBins.counts;
  if (plan.scheme === "doane") return p.doaneBins.counts;
  const knots = p.distribution.exact ? [] : p.distribution.quantiles;
  const e = plan.spec.edges;
  const counts: number[] = [];
  for (let j = 0; j + 1 < e.length; j++) {
    const last = j + 2 === e.length;
    const hi = sketchCdf(knots, e[j + 1] as number, last);
    const lo = sketchCdf(knots, e[j] as number, false);
    counts.push(p.n * (hi - lo));
  }
  counts.push(0);
  return counts;
}

export async function profileNumericInputs(
  query: QueryFn,
  profile: ReferenceProfile,
  current: string,
  columns: readonly PlannedColumn[],
  convention: DriftConvention,
  warnings: WarningLog,
  trace: string[],
): Promise<Map<string, NumericColumnInput>> {
  const out = new Map<string, NumericColumnInput>();
  if (columns.length === 0) return out;
  const names = columns.map((c) => c.column);
  const spec = { source: current, columns: names };
  const [row] = await queryRows(query, compileOneSideSummary(spec));
  const currentSummaries = decodeOneSideSummary(spec, row ?? {});
  trace.push(`current scan 1: counts, min, max of ${names.length} numeric column(s); reference from the profile`);
  const items = names
    .map((column, i) => ({
      column,
      ref: profileColumn(profile, column, "numeric") as ProfileNumericColumn,
      cur: currentSummaries[i] as (typeof currentSummaries)[number],
    }))
    .filter(({ column, ref, cur }) => {
      if (!ref) mismatchWarning(warnings, profile, column, "numeric");
      else if (cur.n === 0) skipWarning(warnings, column);
      return ref !== undefined && cur.n > 0;
    })
    .map((item) => ({
      ...item,
      plan: planNumericBins(
        {
          nReference: item.ref.n,
          nCurrent: item.cur.n,
          referenceMin: item.ref.min,
          referenceMax: item.ref.max,
          currentMin: item.cur.min ?? 0,
          currentMax: item.cur.max ?? 0,
          referenceStd: item.ref.std,
          deciles: item.ref.deciles,
          referenceSkewness: item.ref.skewness,
        },
        convention,
      ),
    }));
  const binsOf = (plan: BinPlan): BinSpec[] =>
    plan.jensenShannon === plan.psi ? [plan.psi.spec] : [plan.psi.spec, plan.jensenShannon.spec];

  const exact = items.filter((x) => x.ref.distribution.exact);
  if (exact.length > 0) {
    const distColumns: NumericDistributionColumn[] = exact.map(({ column, ref, cur, plan }) => {
      const d = ref.distribution;
      return {
        column,
        nReference: ref.n,
        nCurrent: cur.n,
        bins: binsOf(plan),
        ...(d.exact ? { inlineReference: { values: d.values, counts: d.counts } } : {}),
      };
    });
    const distSpec = { reference: current, current, columns: distColumns };
    const dists = decodeNumericDistribution(distSpec, await queryRows(query, compileNumericDistribution(distSpec)));
    trace.push(
      `current scan 2: KS, Wasserstein, bin counts of ${exact.length} column(s) against the profile's exact values`,
    );
    const values = await fetchValueCounts(
      query,
      current,
      current,
      exact.map(({ column, ref, cur }, i) => ({
        column,
        nCurrent: cur.n,
        dist: dists[i] ?? { nDistinct: 0, nDistinctReference: 0 },
        ...(ref.distribution.exact
          ? { inlineReference: { values: ref.distribution.values, counts: ref.distribution.counts } }
          : {}),
      })),
      convention,
      trace,
    );
    exact.forEach(({ column, ref, cur, plan }, i) => {
      const dist = dists[i];
      if (!dist) return;
      const psiCounts = dist.bins[0] ?? { reference: [], current: [] };
      out.set(column, {
        column,
        nReference: ref.n,
        nCurrent: cur.n,
        droppedReference: ref.dropped,
        droppedCurrent: cur.dropped,
        referenceStd: ref.std,
        nDistinct: dist.nDistinct,
        nDistinctReference: dist.nDistinctReference,
        ksStatistic: dist.ksStatistic,
        wassersteinRaw: dist.wassersteinRaw,
        plan,
        psiCounts,
        jsCounts: dist.bins[1] ?? psiCounts,
        values: values.get(column)?.values ?? null,
        ...(values.get(column)?.unseen ? { unseenCurrent: values.get(column)?.unseen } : {}),
        notes: [`reference: profile of "${profile.source}", exact (${ref.nDistinct} distinct values stored)`],
      });
    });
  }

  const sketched = items.filter((x) => !x.ref.distribution.exact);
  if (sketched.length > 0) {
    const sSpec = {
      current,
      columns: sketched.map(({ column, ref, cur, plan }) => ({
        column,
        nCurrent: cur.n,
        knots: ref.distribution.exact ? [] : ref.distribution.quantiles,
        bins: binsOf(plan),
      })),
    };
    const dists = decodeSketchDistribution(sSpec, await queryRows(query, compileSketchDistribution(sSpec)));
    trace.push(`current scan 3: KS, Wasserstein, bin counts of ${sketched.length} column(s) against quantile sketches`);
    sketched.forEach(({ column, ref, cur, plan }, i) => {
      const dist = dists[i];
      if (!dist) return;
      const g = ref.distribution.exact ? 0 : ref.distribution.quantiles.length - 1;
      const psiCounts: SideCounts = {
        reference: sketchReferenceCounts(ref, plan.psi),
        current: dist.currentBins[0] ?? [],
      };
      const jsCounts: SideCounts =
        plan.jensenShannon === plan.psi
          ? psiCounts
          : { reference: sketchReferenceCounts(ref, plan.jensenShannon), current: dist.currentBins[1] ?? [] };
      const notes = [
        `reference: profile of "${profile.source}", ${g + 1}-point quantile sketch (${ref.nDistinct} distinct values) ⇒ KS D and Wasserstein APPROXIMATE (F_R interpolated between sketch points; D within about 1/${g})`,
      ];
      if (plan.psi.scheme === "sturges") notes.push("Sturges reference counts read off the sketch: APPROXIMATE");
      out.set(column, {
        column,
        nReference: ref.n,
        nCurrent: cur.n,
        droppedReference: ref.dropped,
        droppedCurrent: cur.dropped,
        referenceStd: ref.std,
        // The union has at least the reference's distinct values (more than the exact cap).
        nDistinct: ref.nDistinct,
        nDistinctReference: ref.nDistinct,
        ksStatistic: dist.ksStatistic,
        wassersteinRaw: dist.wassersteinRaw,
        plan,
        psiCounts,
        jsCounts,
        values: null,
        notes,
      });
    });
  }
  return out;
}

export async function profileCategoricalInputs(
  query: QueryFn,
  profile: ReferenceProfile,
  current: string,
  columns: readonly PlannedColumn[],
  warnings: WarningLog,
  trace: string[],
): Promise<Map<string, CategoricalColumnInput>> {
  const out = new Map<string, CategoricalColumnInput>();
  if (columns.length === 0) return out;
  const refs = columns.map((c) => profileColumn(profile, c.column, "categorical"));
  const spec = {
    source: current,
    columns: columns.map((c, i) => ({ column: c.column, numeric: refs[i]?.numericStorage ?? c.numericStorage })),
  };
  const counts = decodeOneSideCategoryCounts(spec, await queryRows(query, compileOneSideCategoryCounts(spec)));
  trace.push(`current categorical scan: counts per value of ${columns.length} column(s); reference from the profile`);
  columns.forEach((c, i) => {
    const ref = refs[i];
    const cur = counts[i];
    if (!ref) {
      mismatchWarning(warnings, profile, c.column, "categorical");
      return;
    }
    if (!cur || cur.n === 0) {
      skipWarning(warnings, c.column);
      return;
    }
    const merged = new Map<string, { value: string; reference: number; current: number }>();
    for (const k of ref.categories) merged.set(k.value, { value: k.value, reference: k.count, current: 0 });
    for (const k of cur.categories) {
      const entry = merged.get(k.value) ?? { value: k.value, reference: 0, current: 0 };
      entry.current = k.count;
      merged.set(k.value, entry);
    }
    // Same order as a table run: DuckDB's VARCHAR order is byte order, which for UTF-8 is code point order.
    const categories = [...merged.values()].sort((a, b) => compareCodePoints(a.value, b.value));
    out.set(c.column, {
      column: c.column,
      nReference: ref.n,
      nCurrent: cur.n,
      droppedReference: ref.dropped,
      droppedCurrent: cur.dropped,
      categories,
      notes: [`reference: profile of "${profile.source}" (category counts, exact)`],
    });
  });
  return out;
}

/** Orders strings by code point, as DuckDB orders VARCHAR (JavaScript's < compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
