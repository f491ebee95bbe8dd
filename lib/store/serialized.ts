import { createTaskQueue } from "../engine/task-queue";

/**
 * Wraps an async function so that calls run one after another, each starting when the previous
 * one has settled (a failure does not stop the next). For read-modify-write steps on the store
 * that await in between, such as appending to the evidence log's hash chain: two interleaved
 * appends would both chain off the same entry, and the later write would drop the earlier entry.
 */
export function serialized<A extends unknown[], T>(fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  // Exclusive tasks of the engine's queue are exactly this: each after the previous has settled.
  const schedule = createTaskQueue();
  return (...args: A) => schedule(() => fn(...args));
}
