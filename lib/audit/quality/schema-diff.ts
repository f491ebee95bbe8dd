/**
 * Schema diff between a reference and a current relation: columns added, removed, whose
 * DuckDB type changed, and unchanged. Names match exactly (case-sensitive); types compare
 * as DuckDB prints them, so `INTEGER` → `BIGINT` is a change. Reads only the schemas.
 */
import type { ColumnInfo, QueryFn } from "../../engine/types";
import { describeRelation } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";

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
  trace: string[];
  /** `possible-rename`: a removed and an added column whose names differ only in case or spacing. */
  warnings: AuditWarning[];
}

function loose(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, "");
}

/** Pure comparison of two column lists. */
export function compareSchemas(reference: readonly ColumnInfo[], current: readonly ColumnInfo[]): SchemaDiff {
  const cur = new Map(current.map((c) => [c.name, c]));
  const ref = new Set(reference.map((c) => c.name));
  const diff: SchemaDiff = { added: [], removed: [], typeChanged: [], unchanged: [], trace: [], warnings: [] };
  for (const r of reference) {
    const c = cur.get(r.name);
    if (!c) diff.removed.push(r);
    else if (c.type !== r.type) diff.typeChanged.push({ column: r.name, referenceType: r.type, currentType: c.type });
    else diff.unchanged.push(r.name);
  }
  for (const c of current) if (!ref.has(c.name)) diff.added.push(c);
  const log = new WarningLog();
  for (const r of diff.removed) {
    const twin = diff.added.find((a) => loose(a.name) === loose(r.name));
    if (twin) {
      log.warn(
        "possible-rename",
        `"${r.name}" was removed and "${twin.name}" added; names differ only in case or spacing — a rename?`,
        r.name,
      );
    }
  }
  diff.warnings = log.items;
  diff.trace.push(
    `Compared ${reference.length} reference and ${current.length} current columns by exact (case-sensitive) name; types compared as DuckDB prints them.`,
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.typeChanged.length} retyped, ${diff.unchanged.length} unchanged.`,
  );
  return diff;
}

/** Describes both relations and compares their schemas. */
export async function diffSchemas(query: QueryFn, spec: SchemaDiffSpec): Promise<SchemaDiff> {
  // Sequential: an engine may run one statement at a time.
  const reference = await describeRelation(query, spec.reference);
  const current = await describeRelation(query, spec.current);
  return compareSchemas(reference, current);
}
