/**
 * Aggregates that are sums (confusion counts per group, calibration bin counts and score sums)
 * computed batch by batch and added up: the same rows a single statement over the whole table
 * gives, up to the order in which floating sums were added (added here with Neumaier's
 * compensation, so the batches' partial sums lose nothing more in the merge).
 *
 * Contract of the statement's rows: key columns are text, integers or null (they identify a row);
 * every other column is numeric or null.
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import type { BatchStream } from "./profile";

/** One input check on one batch (label binary, scores in [0, 1]…); may throw AuditInputError. */
export type BatchCheck = (query: QueryFn, relation: string) => Promise<void>;

export interface BatchSumsSpec {
  /** Run on every batch, each on its own (see sumOverBatches for the all-null rule). */
  checks: readonly BatchCheck[];
  /** The aggregate statement over one batch. */
  compile: (relation: string) => string;
  /** Columns that identify a row (group values, bin); every other column is summed… */
  keys: readonly string[];
  /** …except these, which take the smallest value (a bin's lowest score)… */
  minimum?: readonly string[];
  /** …and these, the largest. */
  maximum?: readonly string[];
}

/** A running sum with Neumaier's compensation term. */
interface Sum {
  sum: number;
  compensation: number;
}

function add(s: Sum, x: number): void {
  const t = s.sum + x;
  s.compensation += Math.abs(s.sum) >= Math.abs(x) ? s.sum - t + x : x - t + s.sum;
  s.sum = t;
}

/**
 * Runs every check and `compile(relation)` on every batch of `stream` and adds the rows up by
 * `keys` (sums, or minima and maxima where the spec says; a field stays null only when every batch
 * had null). A check that fails because a batch has no values (`all-null`) fails only when it
 * does so for every batch: a batch of nulls is not an empty column. Any other failure fails at
 * once, in whichever batch it is found.
 */
export async function sumOverBatches(
  query: QueryFn,
  stream: BatchStream,
  spec: BatchSumsSpec,
): Promise<{ rows: Row[]; batches: number }> {
  const q = stream.query ?? query;
  const merged = new Map<string, { row: Row; sums: Map<string, Sum> }>();
  const emptyIn = spec.checks.map(() => ({ batches: 0, error: null as AuditInputError | null }));
  let batches = 0;
  for (let relation = await stream.next(); relation !== null; relation = await stream.next()) {
    batches += 1;
    for (const [i, check] of spec.checks.entries()) {
      try {
        await check(q, relation);
      } catch (error) {
        if (!(error instanceof AuditInputError) || error.problem !== "all-null") throw error;
        const empty = emptyIn[i] as { batches: number; error: AuditInputError | null };
        empty.batches += 1;
        empty.error = error;
      }
    }
    for (const row of await queryRows(q, spec.compile(relation))) {
      const key = JSON.stringify(
        spec.keys.map((k) => (row[k] === null || row[k] === undefined ? null : String(row[k]))),
      );
      let into = merged.get(key);
      if (!into) {
        into = { row: { ...row }, sums: new Map() };
        merged.set(key, into);
        for (const [field, value] of Object.entries(row)) {
          if (spec.keys.includes(field)) continue;
          const v = numeric(field, value);
          if (v !== null) into.sums.set(field, { sum: v, compensation: 0 });
        }
        continue;
      }
      for (const [field, value] of Object.entries(row)) {
        if (spec.keys.includes(field)) continue;
        const b = numeric(field, value);
        if (b === null) continue;
        const a = num(into.row[field]);
        if (spec.minimum?.includes(field)) into.row[field] = a === null ? b : Math.min(a, b);
        else if (spec.maximum?.includes(field)) into.row[field] = a === null ? b : Math.max(a, b);
        else {
          const s = into.sums.get(field);
          if (s) add(s, b);
          else into.sums.set(field, { sum: b, compensation: 0 });
        }
      }
    }
  }
  for (const empty of emptyIn) if (empty.error && empty.batches === batches) throw empty.error;
  return {
    rows: [...merged.values()].map(({ row, sums }) => {
      for (const [field, s] of sums) {
        if (!spec.minimum?.includes(field) && !spec.maximum?.includes(field)) row[field] = s.sum + s.compensation;
      }
      return row;
    }),
    batches,
  };
}

/** A non-key field's value as a number; anything else breaks the contract above. */
function numeric(field: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = num(value);
  if (n === null) throw new Error(`sumOverBatches: field "${field}" is not numeric (${String(value)})`);
  return n;
}
