/**
 * The trace every performance, calibration, fairness and operational result carries:
 * the steps taken in plain words, the parameters that decide the numbers, and the SQL
 * that was run, so a reader can reproduce a value by hand.
 */

/** A parameter value as it appears in a trace (JSON-friendly). */
export type TraceValue = string | number | boolean | null | readonly TraceValue[] | { [key: string]: TraceValue };

export interface AuditTrace {
  /** Human-readable steps, in order. */
  steps: string[];
  /** Parameters that decide the result (bins, edges, epsilon, threshold, convention…). */
  parameters: Record<string, TraceValue>;
  /** The SQL statements that computed the result. */
  sql: string[];
}

/** Creates an empty trace to be filled while a metric runs. */
export function createTrace(): AuditTrace {
  return { steps: [], parameters: {}, sql: [] };
}
