/**
 * Schema diff between a reference and a current relation: columns added, removed, whose
 * DuckDB type changed, and unchanged. Names match exactly (case-sensitive); types compare
 * as DuckDB prints them, so `INTEGER` → `BIGINT` is a change. Reads only the schemas.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { describeRelation } from "../validate";

export interface SchemaDiffSpec {
  /** Table or view whose schema is expected. */
  reference: string;
  /** Table or view being checked. */
  current: string;
}

export interface TypeChange {
  column: string;
  referenceType: string;
  currentType: string;
}

export interface SchemaDiff {
  /** In current, not in reference (current order). */
  added: ColumnInfo[];
  /** In reference, not in current (reference order). */
  removed: ColumnInfo[];
  /** In both with different types (reference order). */
  typeChanged: TypeChange[];
  /** In both with the same type (reference order). */
  unchanged: string[];
}

/** Pure comparison of two column lists. */
export function compareSchemas(reference: readonly ColumnInfo[], current: readonly ColumnInfo[]): SchemaDiff {
  const cur = new Map(current.map((c) => [c.name, c]));
  const ref = new Set(reference.map((c) => c.name));
  const diff: SchemaDiff = { added: [], removed: [], typeChanged: [], unchanged: [] };
  for (const r of reference) {
    const c = cur.get(r.name);
    if (!c) diff.removed.push(r);
    else if (c.type !== r.type) diff.typeChanged.push({ column: r.name, referenceType: r.type, currentType: c.type });
    else diff.unchanged.push(r.name);
  }
  for (const c of current) if (!ref.has(c.name)) diff.added.push(c);
  return diff;
}

/** Describes both relations and compares their schemas. */
export async function diffSchemas(query: QueryFn, spec: SchemaDiffSpec): Promise<SchemaDiff> {
  // Sequential: an engine may run one statement at a time.
  const reference = await describeRelation(query, spec.reference);
  const current = await describeRelation(query, spec.current);
  return compareSchemas(reference, current);
}
