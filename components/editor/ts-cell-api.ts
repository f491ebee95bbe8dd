/** The TypeScript cell API as declarations, for Monaco's completion and type errors. */
export const TS_CELL_API = `
interface ArrowField { name: string; type: unknown }
interface ArrowVector<T = any> { length: number; get(i: number): T | null; toArray(): ArrayLike<T>; [Symbol.iterator](): IterableIterator<T | null> }
/** An Apache Arrow table (apache-arrow 17). */
interface ArrowTable<T = Record<string, any>> {
  readonly numRows: number;
  readonly numCols: number;
  readonly schema: { fields: ArrowField[] };
  getChild(name: string): ArrowVector | null;
  get(i: number): (T & { toJSON(): T }) | null;
  toArray(): (T & { toJSON(): T })[];
  slice(begin?: number, end?: number): ArrowTable<T>;
  [Symbol.iterator](): IterableIterator<T>;
}
/** A value sql\`\` can interpolate: it becomes a SQL literal, never SQL text. */
type SqlValue = string | number | bigint | boolean | null | undefined | Date | SqlIdentifier | SqlValue[];
interface SqlIdentifier { $identifier: string }
interface SqlTag {
  /** Runs DuckDB SQL; \`\${value}\` is bound as a literal. Resolves with an Arrow table. */
  (strings: TemplateStringsArray, ...values: SqlValue[]): Promise<ArrowTable>;
  /** Same, resolving with plain row objects. */
  rows(strings: TemplateStringsArray, ...values: SqlValue[]): Promise<Record<string, any>[]>;
  /** A table or column name to interpolate, quoted as an identifier. */
  identifier(name: string): SqlIdentifier;
}
/** Runs SQL in DuckDB (the app's engine; the sandbox has none). */
declare const sql: SqlTag;
/** Raw SQL text to an Arrow table: the QueryFn the audit functions take. */
declare function query(sql: string): Promise<ArrowTable>;
/** Shows a value under the cell: an Arrow table or row objects, a number, text, a plot, any JSON. */
declare function display(value: unknown): void;
/**
 * Records a verdict the audit summary lists: pass when \`value comparator threshold\` holds
 * (warn within 10% of the threshold, or when value is null), fail otherwise.
 */
declare function check(name: string, value: number | null, threshold: number, comparator?: "<" | "<=" | ">" | ">=" | "="): void;
/** Observable Plot 0.6 (plots are drawn in the sandbox and shown as images). */
declare const Plot: {
  plot(options: Record<string, any>): unknown;
  [mark: string]: (...args: any[]) => any;
};
/** apache-arrow 17 (tableFromJSON, tableFromArrays, …). */
declare const arrow: Record<string, any>;
/** The audit library (lib/audit): drift, fairness, calibration, performance, quality, slices, stats. */
declare const audit: Record<string, any>;
declare const console: { log(...values: unknown[]): void };
`;
