/**
 * Test helper: a native DuckDB with small tables built from JavaScript arrays, so audit
 * tests run the real generated SQL against the engine the CLI uses.
 */
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";
import { quoteIdentifier, quoteString } from "../../sql/identifiers";

export type FixtureColumn =
  | { type: "DOUBLE" | "BIGINT" | "INTEGER"; values: (number | null)[] }
  | { type: "VARCHAR"; values: (string | null)[] }
  | { type: "BOOLEAN"; values: (boolean | null)[] };

function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (typeof value === "number") {
    if (Number.isNaN(value)) return `'nan'::${type}`;
    if (value === Infinity) return `'inf'::${type}`;
    if (value === -Infinity) return `'-inf'::${type}`;
    return `${value}::${type}`;
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  return quoteString(String(value));
}

/** Creates (or replaces) table `name` from equal-length columns. */
export async function createFixtureTable(
  engine: NodeEngine,
  name: string,
  columns: Record<string, FixtureColumn>,
): Promise<void> {
  const entries = Object.entries(columns);
  const length = entries[0]?.[1].values.length ?? 0;
  for (const [col, c] of entries) {
    if (c.values.length !== length)
      throw new Error(`fixture column ${col} has ${c.values.length} values, expected ${length}`);
  }
  if (length === 0) {
    const defs = entries.map(([col, c]) => `${quoteIdentifier(col)} ${c.type}`).join(", ");
    await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdentifier(name)} (${defs})`);
    return;
  }
  const selects = entries
    .map(
      ([col, c]) =>
        `unnest([${c.values.map((v) => literal(v, c.type)).join(",")}]::${c.type}[]) AS ${quoteIdentifier(col)}`,
    )
    .join(", ");
  await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdentifier(name)} AS SELECT ${selects}`);
}

/** Opens an in-memory engine for a test file. */
export function openFixtureEngine(): Promise<NodeEngine> {
  return createNodeEngine({ threads: 1 });
}
