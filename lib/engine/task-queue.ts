/**
 * The order in which the engine worker runs work for the notebook. Most work is exclusive: a SQL
 * cell, an insert or a user query runs alone, after everything submitted before it, because later
 * cells may read what it creates. Audit checks only read, so adjacent checks may share the engine:
 * while one check decodes a result or computes statistics in this worker's JavaScript, DuckDB (in
 * its own worker) already runs the other check's next statement. Their statements still reach
 * DuckDB one at a time (one connection); what overlaps is the JavaScript between them.
 *
 * A shared task starts once every exclusive task submitted before it has settled; an exclusive
 * task starts once every task submitted before it, shared or not, has settled. Tasks of one mode
 * start in submission order.
 */

export type TaskMode = "exclusive" | "shared";

export type ScheduleFn = <T>(work: () => Promise<T>, mode?: TaskMode) => Promise<T>;

/** A run of adjacent shared tasks: they wait for the same predecessor and settle together. */
interface SharedRun {
  gate: Promise<unknown>;
  settled: Promise<unknown>[];
}

export function createTaskQueue(): ScheduleFn {
  // Settles when everything submitted so far has settled.
  let tail: Promise<unknown> = Promise.resolve();
  let shared: SharedRun | null = null;
  return <T>(work: () => Promise<T>, mode: TaskMode = "exclusive"): Promise<T> => {
    if (mode === "shared") {
      shared ??= { gate: tail, settled: [] };
      const run = shared.gate.then(work);
      shared.settled.push(run.catch(() => undefined));
      tail = Promise.all(shared.settled);
      return run;
    }
    shared = null;
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}
