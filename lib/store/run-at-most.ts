/**
 * Runs `tasks` with at most `limit` of them in flight, starting them in order; resolves when all
 * have settled, with their results in task order. A task that throws rejects the whole run only
 * after the others have settled (the caller's tasks report their own errors, as runCell does).
 */
export async function runAtMost<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (next < tasks.length) {
      const i = next++;
      try {
        results[i] = await (tasks[i] as () => Promise<T>)();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}
