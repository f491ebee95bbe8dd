/**
 * Aggregates that are sums (confusion counts per group, calibration bin counts and score sums)
 * computed batch by batch and added up: the same rows a single statement over the whole table
 * gives, up to the order in which floating sums were added.
 */
import type { QueryFn } from "../../engine/types";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import type { BatchStream } from "./profile";

export interface BatchSumsSpec {
  /** Checks one batch (label binary, scores in [0, 1]…); may throw AuditInputError. */
  validate: (query: QueryFn, relation: string) => Promise<void>;
  /** The aggregate statement over one batch. */
  compile: (relation: string) => string;
  /** Columns that identify a row (group values, bin); every other column is summed… */
  keys: readonly string[];
  /** …except these, which take the smallest value (a bin's lowest score)… */
  minimum?: readonly string[];
  /** …and these, the largest. */
  maximum?: readonly string[];
}

/**
 * Runs `validate` and `compile(relation)` on every batch of `stream` and adds the rows up by
 * `keys` (sums, or minima and maxima where the spec says; nulls stay null only when every batch
 * had null). A validation that fails because a
 * batch has no values at all (`all-null`) fails only when every batch does: a batch of nulls is
 * not an empty column.
 */
export async function sumOverBatches(
  query: QueryFn,
  stream: BatchStream,
  spec: BatchSumsSpec,
): Promise<{ rows: Row[]; batches: number; statement: string | null }> {
  const q = stream.query ?? query;
  const merged = new Map<string, Row>();
  let batches = 0;
  let empty: AuditInputError | null = null;
  let emptyBatches = 0;
  let statement: string | null = null;
  for (let relation = await stream.next(); relation !== null; relation = await stream.next()) {
    batches += 1;
    try {
      await spec.validate(q, relation);
    } catch (error) {
      if (!(error instanceof AuditInputError) || error.problem !== "all-null") throw error;
      empty = error;
      emptyBatches += 1;
    }
    statement ??= spec.compile(relation);
    for (const row of await queryRows(q, spec.compile(relation))) {
      const key = JSON.stringify(spec.keys.map((k) => row[k] ?? null));
      const into = merged.get(key);
      if (!into) {
        merged.set(key, { ...row });
        continue;
      }
      for (const [field, value] of Object.entries(row)) {
        if (spec.keys.includes(field)) continue;
        const a = num(into[field]);
        const b = num(value);
        if (a === null || b === null) into[field] = a ?? b;
        else if (spec.minimum?.includes(field)) into[field] = Math.min(a, b);
        else if (spec.maximum?.includes(field)) into[field] = Math.max(a, b);
        else into[field] = a + b;
      }
    }
  }
  if (empty && emptyBatches === batches) throw empty;
  return { rows: [...merged.values()], batches, statement };
}
