/**
 * Worst slices of a streamed dataset (lib/audit/streaming): the same slices, metrics, intervals
 * and ranking as `runWorstSlices`, counted batch by batch (a Parquet row group at a time) and
 * added up, so the table is never held whole.
 *
 * What differs from the table path, and why:
 * - Candidates come from the dataset's streamed profile (all rows, not only the rows used):
 *   categorical columns' values from its category counts; numeric columns are sliced by value
 *   when their grid histogram shows at most `numericBins` values, else by quantile bins whose
 *   inner edges are the grid's quantile estimates (each within a stated distance of the exact
 *   quantile; the trace gives it). A numeric column whose few occupied grid bins may each hold
 *   several values is counted both ways in the first pass, with its distinct values listed
 *   batch by batch, and kept by value only if it has at most `numericBins`.
 * - Every slice's counts are exact for the bins as defined: rates are sums of integer counts;
 *   means are sums of the per-row value and of its squared deviation from a fixed shift (the
 *   score's streamed mean for mean_score, 0 for log loss), added with compensation, so the
 *   sample variance matches var_samp up to rounding.
 * - Two passes: the overall and single-column counts, then the pairs (among the `pairColumns`
 *   worst columns, or all). Ranking is done here on the summed counts: by gap, then n, then
 *   candidate keys (numeric bins by index, values by their text in code-point order, nulls last).
 *   The table path breaks the last ties by the values' hashes, so slices tied on gap and n may be
 *   listed in another order, and one of them cut at `limit` instead of another.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { integerLiteral, numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { compareCodePoints } from "../drift/profile-drift";
import { AuditInputError } from "../errors";
import { FLOAT64_EPS } from "../performance";
import { num, queryRows, type Row } from "../rows";
import type { BatchStream, StreamedNumericColumn, StreamedProfile } from "../streaming/profile";
import { type BatchCheck, sumOverBatches } from "../streaming/batch-sums";
import { gridBinSingleValue } from "../streaming/grid";
import { gridQuantile } from "../streaming/streamed-quality";
import { requireColumns, requireNumeric } from "../validate";
import { WarningLog } from "../warnings";
import { binIndexSql, binLabels, distinctEdges, type NumericBins } from "./numeric-bins";
import type { BlockCandidate } from "./slice-blocks";
import { gapOf, type SliceMetricSql, sliceMetricSql } from "./slice-metric";
import {
  bestSingleGaps,
  decodeSlice,
  intervalsTrace,
  type Levels,
  MAX_SLICE_LEVELS,
  rowsUsed,
  type SliceOptions,
  sliceValueChecks,
  sliceable,
  sliceOptions,
  type WorstSlicesResult,
  type WorstSlicesSpec,
} from "./worst-slices";
import {
  compileBlockedCounts,
  groupingSets,
  keepPredicate,
  rateSources,
  type SliceCandidate,
  type SliceRoles,
} from "./worst-slices-sql";

/** How the streamed search reaches its data. */
export interface StreamedSlicesInput {
  /** The dataset's streamed profile (its candidates and quantile edges come from it). */
  profile: StreamedProfile;
  /**
   * Opens a new pass over the dataset's batches, which need hold only `columns` (when given); the
   * search reads it twice.
   */
  open: (columns?: readonly string[]) => Promise<BatchStream>;
}

/** A column counted in the first pass: by value (text) or by quantile bin. */
type Slot = { column: string; mode: "value" } | { column: string; mode: "bins"; bins: NumericBins; labels: string[] };

interface Plan {
  slots: Slot[];
  /** Columns sliced by value only if their distinct values (listed batch by batch) are few: slot indices [value, bins]. */
  undecided: { column: string; value: number; bins: number }[];
  /** Per bins slot, the largest distance of an edge from its exact quantile. */
  edgeBounds: Map<number, number>;
  constant: string[];
}

const describeEdges = (edges: readonly number[]) => `[${edges.join(", ")}]`;

/** The numeric column's non-NaN range, ±Inf included (the bins' labels). */
function rangeOf(c: StreamedNumericColumn): { min: number; max: number } {
  const min = c.negInf > 0 ? Number.NEGATIVE_INFINITY : (c.min ?? (c.posInf > 0 ? Number.POSITIVE_INFINITY : 0));
  const max = c.posInf > 0 ? Number.POSITIVE_INFINITY : (c.max ?? min);
  return { min, max };
}

function quantileBins(c: StreamedNumericColumn, count: number): { slot: Slot; bound: number } {
  let bound = 0;
  const quantiles =
    c.n === 0
      ? []
      : Array.from({ length: count - 1 }, (_, k) => {
          const q = gridQuantile(c, (k + 1) / count);
          bound = Math.max(bound, q.bound);
          return q.value;
        });
  const bins = { edges: distinctEdges(quantiles), ...rangeOf(c) };
  return { slot: { column: c.column, mode: "bins", bins, labels: binLabels(bins) }, bound };
}

function planCandidates(
  profile: StreamedProfile,
  columns: readonly ColumnInfo[],
  requested: readonly string[],
  o: SliceOptions,
  log: WarningLog,
): Plan {
  const plan: Plan = { slots: [], undecided: [], edgeBounds: new Map(), constant: [] };
  const tooMany = (name: string) =>
    log.warn(
      "high-cardinality",
      `Column "${name}" has more than ${MAX_SLICE_LEVELS} distinct values; it was not sliced. To include it, load the file normally and group its values in a SQL cell.`,
      name,
    );
  const addBins = (c: StreamedNumericColumn) => {
    const { slot, bound } = quantileBins(c, o.numericBins);
    plan.edgeBounds.set(plan.slots.length, bound);
    plan.slots.push(slot);
  };
  for (const name of requested) {
    const info = columns.find((c) => c.name === name) as ColumnInfo;
    if (!sliceable(info.type)) {
      log.warn("skipped-column", `Column "${name}" (${info.type}) cannot be sliced; it was skipped.`, name);
      continue;
    }
    const profiled = profile.columns.find((c) => c.column === name);
    if (!profiled) {
      // The profile leaves out categorical columns with too many values (identifiers).
      tooMany(name);
      continue;
    }
    if (profiled.kind === "categorical") {
      const values = profiled.categories.filter((c) => c.count > 0).length;
      if (values + (profiled.dropped > 0 ? 1 : 0) <= 1) plan.constant.push(name);
      else if (values > MAX_SLICE_LEVELS) tooMany(name);
      else plan.slots.push({ column: name, mode: "value" });
      continue;
    }
    const specials = [profiled.nan, profiled.posInf, profiled.negInf].filter((k) => k > 0).length;
    const occupied = profiled.bins.length + specials;
    const known = profiled.bins.every((bin) => gridBinSingleValue(bin, profiled.integer) !== null);
    if (known && occupied + (profiled.nulls > 0 ? 1 : 0) <= 1) plan.constant.push(name);
    else if (occupied > o.numericBins) addBins(profiled);
    else if (known) plan.slots.push({ column: name, mode: "value" });
    else {
      plan.undecided.push({ column: name, value: plan.slots.length, bins: plan.slots.length + 1 });
      plan.slots.push({ column: name, mode: "value" });
      addBins(profiled);
    }
  }
  return plan;
}

/** Group key of a slot: the value as text, or the quantile bin's index. */
function keySql(slot: Slot): string {
  const c = quoteIdentifier(slot.column);
  return slot.mode === "value" ? `CAST(${c} AS VARCHAR)` : binIndexSql(`CAST(${c} AS DOUBLE)`, slot.bins.edges);
}

/**
 * The counts of every grouping set over one batch: rows g{i} (0 when slot i is a condition),
 * k{i}, n, num, den and, for means, dsum = Σ (v − shift) and dsq = Σ (v − shift)².
 */
export function compileStreamedSliceCounts(
  relation: string,
  roles: SliceRoles,
  columns: readonly ColumnInfo[],
  slots: readonly Slot[],
  metric: SliceMetricSql,
  sets: readonly number[][],
  shift: number,
): string {
  const { y, yhat, s } = rateSources(roles, columns);
  const k = (i: number) => quoteIdentifier(`k${i}`);
  const keys = slots.map((slot, i) => `,\n    ${keySql(slot)} AS ${k(i)}`).join("");
  const flags = slots.map((_, i) => `GROUPING(${k(i)}) AS ${quoteIdentifier(`g${i}`)}, ${k(i)}, `).join("");
  const d = `(${metric.row} - ${numberLiteral(shift)})`;
  const moments = metric.kind === "mean" ? `, sum(${d}) AS dsum, sum(${d} * ${d}) AS dsq` : "";
  return `WITH base AS (
  SELECT ${y} AS y, ${yhat} AS yhat, ${s} AS s${keys}
  FROM ${quoteIdentifier(relation)}
  WHERE ${keepPredicate(roles)}
)
SELECT ${flags}count(*) AS n, CAST(${metric.num} AS DOUBLE) AS num, CAST(${metric.den} AS DOUBLE) AS den${moments}
FROM base
GROUP BY GROUPING SETS (${sets.map((set) => `(${set.map(k).join(", ")})`).join(", ")})`;
}

/**
 * A slot coded for the blocked plan (`slice-blocks.ts`, as the table path counts rate metrics):
 * numeric bins by edge, values by position in their list. `texts` maps a value's key (its
 * 64-bit hash as text, which the plan's keys decode to) back to the value as text.
 */
interface CodedSlot {
  block: BlockCandidate;
  texts: Map<string, string> | null;
}

/**
 * Codes every slot for the blocked plan, from the profile: bins from their edges; values from the
 * profile's categories, or a numeric column's single-value bins, with their hashes and texts as
 * DuckDB gives them (one small statement over literals, no data).
 */
async function codeSlots(
  query: QueryFn,
  slots: readonly Slot[],
  profile: StreamedProfile,
  columns: readonly ColumnInfo[],
): Promise<CodedSlot[]> {
  const out: CodedSlot[] = [];
  for (const slot of slots) {
    const profiled = profile.columns.find((c) => c.column === slot.column);
    if (!profiled) throw new Error(`streamed slices: "${slot.column}" is not in the profile`);
    if (slot.mode === "bins") {
      const numeric = profiled as StreamedNumericColumn;
      const block: BlockCandidate = {
        mode: "numeric",
        column: slot.column,
        edges: slot.bins.edges,
        nulls: numeric.nulls > 0,
        nans: numeric.nan > 0,
      };
      out.push({ block, texts: null });
      continue;
    }
    const type = columns.find((c) => c.name === slot.column)?.type ?? "VARCHAR";
    let literals: string[];
    let nulls: boolean;
    if (profiled.kind === "categorical") {
      literals = profiled.categories.filter((c) => c.count > 0).map((c) => quoteString(c.value));
      nulls = profiled.dropped > 0;
    } else {
      literals = profiled.bins.map((bin) => numberLiteral(gridBinSingleValue(bin, profiled.integer) as number));
      if (profiled.nan > 0) literals.push("CAST('nan' AS DOUBLE)");
      if (profiled.posInf > 0) literals.push("CAST('inf' AS DOUBLE)");
      if (profiled.negInf > 0) literals.push("CAST('-inf' AS DOUBLE)");
      nulls = profiled.nulls > 0;
    }
    const rows = await queryRows(
      query,
      `SELECT CAST(hash(v) AS VARCHAR) AS h, CAST(v AS VARCHAR) AS t
FROM (SELECT CAST(x AS ${type}) AS v FROM (VALUES ${literals.map((l) => `(${l})`).join(", ")}) AS l(x))`,
    );
    const levels = rows
      .map((r) => ({ hash: String(r.h), text: String(r.t) }))
      .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    out.push({
      block: { mode: "categorical", column: slot.column, levels, nulls, text: type === "VARCHAR" },
      texts: new Map(levels.map((l) => [l.hash, l.text])),
    });
  }
  return out;
}

/** Up to `limit + 1` distinct values (as text) of each column in one batch. */
function compileDistinctProbe(relation: string, roles: SliceRoles, column: string, limit: number): string {
  const c = quoteIdentifier(column);
  return `SELECT DISTINCT CAST(${c} AS VARCHAR) AS v FROM ${quoteIdentifier(relation)}
WHERE ${keepPredicate(roles)} AND ${c} IS NOT NULL LIMIT ${integerLiteral(limit + 1)}`;
}

/**
 * Counts `sets` over every batch of `stream` and adds them up: with `coded`, by the blocked plan
 * (its value hashes turned back into the values' text), else by one GROUPING SETS.
 */
async function countSlices(
  query: QueryFn,
  stream: BatchStream,
  count: {
    roles: SliceRoles;
    columns: readonly ColumnInfo[];
    slots: readonly Slot[];
    coded: readonly CodedSlot[] | null;
    metric: SliceMetricSql;
    sets: readonly number[][];
    shift: number;
    checks: readonly BatchCheck[];
  },
): Promise<{ rows: Row[]; batches: number }> {
  const { roles, columns, slots, coded, metric, sets, shift } = count;
  const summed = await sumOverBatches(query, stream, {
    checks: count.checks,
    compile: (relation) =>
      coded
        ? compileBlockedCounts(
            { ...roles, source: relation },
            metric,
            columns,
            coded.map((c) => c.block),
            sets,
          )
        : compileStreamedSliceCounts(relation, roles, columns, slots, metric, sets, shift),
    keys: slots.flatMap((_, i) => [`g${i}`, `k${i}`]),
  });
  if (!coded) return summed;
  for (const row of summed.rows) {
    coded.forEach((c, i) => {
      const key = row[`k${i}`];
      if (c.texts && key !== null && key !== undefined) row[`k${i}`] = c.texts.get(String(key)) ?? null;
    });
  }
  return summed;
}

/** One summed group: which slots are conditions, and their keys. */
interface Group {
  slots: number[];
  keys: (string | number | null)[];
  n: number;
  num: number;
  den: number;
  dsum: number;
  dsq: number;
}

function groupsOf(rows: readonly Row[], slotCount: number): Group[] {
  return rows.map((r) => {
    const slots: number[] = [];
    const keys: (string | number | null)[] = [];
    for (let i = 0; i < slotCount; i++) {
      if (num(r[`g${i}`]) !== 0) continue;
      slots.push(i);
      const key = r[`k${i}`];
      keys.push(key === null || key === undefined ? null : typeof key === "string" ? key : (num(key) ?? String(key)));
    }
    return {
      slots,
      keys,
      n: num(r.n) ?? 0,
      num: num(r.num) ?? 0,
      den: num(r.den) ?? 0,
      dsum: num(r.dsum) ?? 0,
      dsq: num(r.dsq) ?? 0,
    };
  });
}

function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return compareCodePoints(String(a), String(b));
}

/** Finds the worst slices of a streamed dataset; see the module comment for what differs from `runWorstSlices`. */
export async function runStreamedWorstSlices(
  query: QueryFn,
  spec: WorstSlicesSpec,
  input: StreamedSlicesInput,
  /** `plan: "direct"` (tests): one GROUPING SETS per batch even where the blocked plan could run. */
  internal: { plan?: "direct" } = {},
): Promise<WorstSlicesResult> {
  const o = sliceOptions(spec);
  const log = new WarningLog();
  const trace: string[] = [];
  const metric = sliceMetricSql(o.metric, FLOAT64_EPS);
  const roles: SliceRoles = { ...spec, threshold: o.threshold };
  const { profile } = input;
  if (profile.rows === 0) {
    throw new AuditInputError(
      "empty-table",
      `"${spec.source}" has no rows. Load data or widen the filter, then run again.`,
    );
  }

  // The candidates, from the profile's schema (the file's columns) when it has one; else from a stream.
  const peek = profile.schema ? undefined : await input.open();
  let first: BatchStream | undefined = peek;
  let columns: ColumnInfo[];
  let plan: Plan;
  let shift = 0;
  const seen = new Map<string, Set<string>>();
  const roleNames = [spec.label, spec.score, spec.prediction].filter((c): c is string => c !== undefined);
  let pass1: { rows: Row[]; batches: number };
  let coded: CodedSlot[] | null = null;
  try {
    columns = profile.schema ?? (peek as BatchStream).columns;
    requireColumns(columns, [...roleNames, ...(spec.columns ?? [])], spec.source);
    if (spec.score !== undefined) requireNumeric(columns, spec.score, "score");
    const requested = spec.columns ?? columns.map((c) => c.name).filter((n) => !roleNames.includes(n));
    plan = planCandidates(profile, columns, requested, o, log);
    const checks = sliceValueChecks(spec, o);
    if (spec.score !== undefined && o.metric === "mean_score") {
      const profiled = profile.columns.find((c) => c.column === spec.score);
      if (profiled?.kind === "numeric" && Number.isFinite(profiled.mean)) shift = profiled.mean;
    }
    for (const u of plan.undecided) seen.set(u.column, new Set());
    // Lists each undecided column's values until it has more than numericBins (then it is binned).
    const probe: BatchCheck = async (q, relation) => {
      for (const [column, values] of seen) {
        if (values.size > o.numericBins) continue;
        for (const r of await queryRows(q, compileDistinctProbe(relation, roles, column, o.numericBins))) {
          values.add(String(r.v));
        }
      }
    };
    // Pass 1: overall and single-column counts, with the distinct values of undecided columns.
    // Rate metrics on columns whose values the profile lists run the blocked plan (integer codes
    // packed into parts, as the table path does; ~22% less time than one GROUPING SETS).
    const slots = plan.slots;
    const sets = groupingSets(slots.length, 1);
    coded =
      metric.kind === "rate" && plan.undecided.length === 0 && slots.length > 0 && internal.plan !== "direct"
        ? await codeSlots(query, slots, profile, columns)
        : null;
    first = peek ?? (await input.open([...roleNames, ...slots.map((slot) => slot.column)]));
    pass1 = await countSlices(query, first, {
      roles,
      columns,
      slots,
      coded,
      metric,
      sets,
      shift,
      checks: [...checks, probe],
    });
  } finally {
    await first?.close?.();
  }

  // The candidates: undecided columns by value when few, else by bin; the other slot is dropped.
  const dropped = new Set<number>();
  for (const u of plan.undecided) {
    const few = (seen.get(u.column)?.size ?? 0) <= o.numericBins;
    dropped.add(few ? u.bins : u.value);
    if (few && (seen.get(u.column)?.size ?? 0) <= 1) {
      // One value (and perhaps nulls): constant unless nulls make two slices.
      const nulls = pass1.rows.some((r) => num(r[`g${u.value}`]) === 0 && r[`k${u.value}`] === null);
      if (!nulls) {
        dropped.add(u.value);
        plan.constant.push(u.column);
      }
    }
  }
  const kept = plan.slots.map((_, i) => i).filter((i) => !dropped.has(i));
  const candidates: SliceCandidate[] = kept.map((i) => {
    const slot = plan.slots[i] as Slot;
    return slot.mode === "value"
      ? { column: slot.column, mode: "categorical" }
      : { column: slot.column, mode: "numeric", bins: slot.bins, labels: slot.labels };
  });
  const keptSlots = kept.map((i) => plan.slots[i] as Slot);
  const renumber = (g: Group): Group | null => {
    if (g.slots.some((s) => dropped.has(s))) return null;
    return { ...g, slots: g.slots.map((s) => kept.indexOf(s)) };
  };
  const groups = groupsOf(pass1.rows, plan.slots.length).flatMap((g) => renumber(g) ?? []);
  const overallGroup = groups.find((g) => g.slots.length === 0);
  const n = overallGroup?.n ?? 0;
  const nAll = profile.rows;
  const minSupport = rowsUsed(spec, o, n, nAll, log, trace);
  trace.push(
    `Streamed: every statement below ran once per batch (row group) of "${spec.source}" and the counts were added up (${pass1.batches} batches per pass). Candidates and quantile edges come from the dataset's streamed profile (all ${nAll} rows).`,
  );
  trace.push(
    `Metric ${o.metric}; positive prediction = ${spec.prediction !== undefined ? `"${spec.prediction}" = 1` : `"${spec.score}" ≥ ${o.threshold}`}; ${n} of ${nAll} rows used.`,
  );
  kept.forEach((i, k) => {
    const slot = plan.slots[i] as Slot;
    if (slot.mode !== "bins") return;
    const bound = plan.edgeBounds.get(i) ?? 0;
    trace.push(
      `"${slot.column}": ${slot.bins.edges.length + 1} quantile bins, inner edges ${describeEdges(slot.bins.edges)} (${
        bound === 0 ? "exact quantiles" : `grid estimates, each within ${bound} of its exact quantile`
      }; candidate ${k}).`,
    );
  });
  for (const u of plan.undecided) {
    if (!dropped.has(u.value) || !dropped.has(u.bins)) {
      const values = seen.get(u.column)?.size ?? 0;
      trace.push(
        `"${u.column}": ${values > o.numericBins ? `more than ${o.numericBins}` : values} distinct values listed batch by batch; sliced ${dropped.has(u.bins) ? "by value" : "by quantile bin"}.`,
      );
    }
  }
  if (plan.constant.length > 0) {
    trace.push(`Skipped (a single value): ${plan.constant.map((c) => `"${c}"`).join(", ")}.`);
  }
  if (coded) {
    trace.push(
      "Counted in blocks per batch: candidates coded as small integers (values by their position in the profile's list) and packed into parts, as the table path counts rate metrics (exact integer counts).",
    );
  }

  // Pass 2: the pairs.
  const singles = groups.filter((g) => g.slots.length <= 1);
  let pairAmong: number[] | undefined;
  const pruned = o.maxOrder === 2 && o.pairColumns !== undefined && candidates.length > o.pairColumns;
  if (pruned) {
    const best = bestSingleGaps(
      singles.map((g) => ({
        candidate: g.slots[0] ?? null,
        key: g.keys[0] === null || g.keys[0] === undefined ? null : String(g.keys[0]),
        n: g.n,
        num: g.num,
        den: g.den,
      })),
      candidates.length,
      metric.direction,
      minSupport,
    );
    const worst = [...best].sort((x, y) => y.gap - x.gap || x.i - y.i).slice(0, o.pairColumns);
    pairAmong = worst.map((k) => k.i).sort((x, y) => x - y);
    const describe = (k: { i: number; gap: number }) =>
      `"${candidates[k.i]?.column}" (${Number.isFinite(k.gap) ? `best gap ${k.gap}` : "no ranked slice"})`;
    trace.push(
      `Pruned pair search (pairColumns ${o.pairColumns}): the single-column pass ranked the ${candidates.length} candidates by their worst slice's gap (slices meeting minSupport ${minSupport}; ties by column order); pairs are formed among the ${worst.length} worst: ${worst.map(describe).join(", ")}.`,
    );
  }
  // Only the paired columns are read: a column in no grouping set cannot be selected with GROUPING().
  const paired = pairAmong ?? candidates.map((_, i) => i);
  const pairSets = o.maxOrder === 2 ? groupingSets(paired.length, 2).filter((s) => s.length === 2) : [];
  let pairs: Group[] = [];
  if (pairSets.length > 0) {
    const pairedSlots = paired.map((i) => keptSlots[i] as Slot);
    // No slot was dropped when the blocked plan ran (no undecided columns): kept = every slot.
    const pairedCodes = coded ? paired.map((i) => (coded as CodedSlot[])[kept[i] as number] as CodedSlot) : null;
    const second = await input.open([...roleNames, ...pairedSlots.map((slot) => slot.column)]);
    try {
      const summed = await countSlices(query, second, {
        roles,
        columns,
        slots: pairedSlots,
        coded: pairedCodes,
        metric,
        sets: pairSets,
        shift,
        checks: [],
      });
      pairs = groupsOf(summed.rows, pairedSlots.length).map((g) => ({
        ...g,
        slots: g.slots.map((local) => paired[local] as number),
      }));
    } finally {
      await second.close?.();
    }
  }

  // Rank: value = num / den, gap in the worse direction (the same IEEE operations as the table path's SQL).
  const overall = overallGroup && overallGroup.den > 0 ? overallGroup.num / overallGroup.den : null;
  const all = [...singles.filter((g) => g.slots.length === 1), ...pairs];
  let belowSupport = 0;
  let undefinedValue = 0;
  const ranked: { g: Group; value: number; gap: number }[] = [];
  for (const g of all) {
    if (g.n < minSupport) belowSupport += 1;
    else if (!(g.den > 0)) undefinedValue += 1;
    else if (overall !== null) {
      const value = g.num / g.den;
      ranked.push({ g, value, gap: gapOf(metric.direction, value, overall) });
    }
  }
  const keyOf = (g: Group, i: number) => {
    const at = g.slots.indexOf(i);
    return at < 0 ? { flag: 1, key: null } : { flag: 0, key: g.keys[at] ?? null };
  };
  ranked.sort((a, b) => {
    if (a.gap !== b.gap) return b.gap - a.gap;
    if (a.g.n !== b.g.n) return b.g.n - a.g.n;
    for (let i = 0; i < candidates.length; i++) {
      const x = keyOf(a.g, i);
      const y = keyOf(b.g, i);
      if (x.flag !== y.flag) return x.flag - y.flag;
      const c = compareKeys(x.key, y.key);
      if (c !== 0) return c;
    }
    return 0;
  });
  if (overall === null) {
    log.warn("undefined-overall", `The overall ${o.metric} is undefined (zero denominator); no slice can be ranked.`);
  }
  // Value keys are their own text: decodeSlice looks them up in `levels`.
  const levels: Levels = new Map();
  for (const g of all) {
    g.slots.forEach((i, at) => {
      const key = g.keys[at];
      if (candidates[i]?.mode !== "categorical" || key === null || key === undefined) return;
      const map = levels.get(i) ?? new Map<string, string>();
      map.set(String(key), String(key));
      levels.set(i, map);
    });
  }
  const slices = ranked.slice(0, o.limit).map(({ g, value, gap }) => {
    const row: Row = { n: g.n, num: g.num, den: g.den, value, gap, var: varianceOf(g) };
    candidates.forEach((_, i) => {
      const { flag, key } = keyOf(g, i);
      row[`g${i}`] = flag;
      row[`k${i}`] = key;
    });
    return decodeSlice(row, candidates, levels, metric.kind, overall ?? 0);
  });
  const combos = candidates.length + pairSets.length;
  trace.push(
    `GROUPING SETS counts per batch: ${combos} column combinations (order ≤ ${o.maxOrder}) over ${candidates.length} candidates gave ${all.length} non-empty slices; ${belowSupport} under minSupport ${minSupport} and ${undefinedValue} with an undefined ${o.metric} (zero denominator) were not ranked.`,
  );
  trace.push(intervalsTrace(metric, "sample sd from the summed deviations"));
  if (candidates.length === 0)
    log.warn("no-candidates", "No column could be sliced; only the overall value is reported.");
  const result: WorstSlicesResult = {
    metric: o.metric,
    overall: { value: overall, n },
    slices,
    counts: { slices: all.length, belowSupport, undefinedValue, minSupport },
    trace,
    warnings: log.items,
  };
  if (o.pairColumns !== undefined) {
    result.pairColumns =
      o.maxOrder === 2 ? (pairAmong ?? candidates.map((_, i) => i)).map((i) => candidates[i]?.column ?? "") : [];
  }
  return result;
}

/** Sample variance of a mean metric's per-row value from the summed deviations; null for rates and n < 2. */
function varianceOf(g: Group): number | null {
  if (g.n < 2) return null;
  return Math.max(0, (g.dsq - (g.dsum * g.dsum) / g.n) / (g.n - 1));
}
