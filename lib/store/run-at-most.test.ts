import { describe, expect, it } from "vitest";
import { runAtMost } from "./run-at-most";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runAtMost", () => {
  it("keeps at most `limit` tasks in flight, starts them in order, and returns results in task order", async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const tasks = [30, 5, 20, 1, 10].map((ms, i) => async () => {
      started.push(i);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(ms);
      inFlight--;
      return i * 10;
    });
    expect(await runAtMost(2, tasks)).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it("runs every task even when one fails, then rethrows the first failure", async () => {
    const ran: number[] = [];
    const tasks = [0, 1, 2].map((i) => async () => {
      ran.push(i);
      if (i === 0) throw new Error("first");
      return i;
    });
    await expect(runAtMost(2, tasks)).rejects.toThrow("first");
    expect(ran.sort()).toEqual([0, 1, 2]);
  });

  it("accepts no tasks", async () => {
    expect(await runAtMost(2, [])).toEqual([]);
  });
});
