import { describe, expect, it } from "vitest";
import { createTaskQueue } from "./task-queue";

/** A task that logs its start and end and finishes when `release()` is called. */
function gated(log: string[], name: string) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const work = async () => {
    log.push(`${name}+`);
    await done;
    log.push(`${name}-`);
    return name;
  };
  return { work, release };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("task queue", () => {
  it("runs exclusive tasks one at a time, in order", async () => {
    const schedule = createTaskQueue();
    const log: string[] = [];
    const a = gated(log, "a");
    const b = gated(log, "b");
    const runs = [schedule(a.work), schedule(b.work)];
    await tick();
    expect(log).toEqual(["a+"]);
    a.release();
    await tick();
    expect(log).toEqual(["a+", "a-", "b+"]);
    b.release();
    expect(await Promise.all(runs)).toEqual(["a", "b"]);
  });

  it("runs adjacent shared tasks side by side, after the exclusive task before them", async () => {
    const schedule = createTaskQueue();
    const log: string[] = [];
    const sql = gated(log, "sql");
    const c1 = gated(log, "c1");
    const c2 = gated(log, "c2");
    const runs = [schedule(sql.work), schedule(c1.work, "shared"), schedule(c2.work, "shared")];
    await tick();
    expect(log).toEqual(["sql+"]);
    sql.release();
    await tick();
    expect(log).toEqual(["sql+", "sql-", "c1+", "c2+"]);
    c2.release();
    c1.release();
    expect(await Promise.all(runs)).toEqual(["sql", "c1", "c2"]);
  });

  it("starts an exclusive task only after every shared task before it, and shared tasks after it wait", async () => {
    const schedule = createTaskQueue();
    const log: string[] = [];
    const c1 = gated(log, "c1");
    const c2 = gated(log, "c2");
    const sql = gated(log, "sql");
    const c3 = gated(log, "c3");
    const runs = [
      schedule(c1.work, "shared"),
      schedule(c2.work, "shared"),
      schedule(sql.work),
      schedule(c3.work, "shared"),
    ];
    await tick();
    expect(log).toEqual(["c1+", "c2+"]);
    c1.release();
    await tick();
    expect(log).not.toContain("sql+");
    c2.release();
    await tick();
    expect(log).toEqual(["c1+", "c2+", "c1-", "c2-", "sql+"]);
    sql.release();
    await tick();
    expect(log.at(-1)).toBe("c3+");
    c3.release();
    await Promise.all(runs);
  });

  it("goes on after a task fails, and reports the failure to its caller only", async () => {
    const schedule = createTaskQueue();
    const failing = schedule(async () => {
      throw new Error("no such table");
    }, "shared");
    const next = schedule(async () => "ok");
    await expect(failing).rejects.toThrow("no such table");
    await expect(next).resolves.toBe("ok");
  });
});
