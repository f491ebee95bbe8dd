import { describe, expect, it } from "vitest";
import { serialized } from "./serialized";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("serialized", () => {
  it("runs read-modify-write calls one at a time, so none is lost", async () => {
    let log: number[] = [];
    const append = async (n: number) => {
      const before = log;
      await sleep(n % 2 === 0 ? 10 : 1); // the later call would finish first if they overlapped
      log = [...before, n];
    };
    await Promise.all([1, 2, 3, 4].map((n) => append(n)));
    expect(log).toHaveLength(1); // unserialized: every call read the same empty log
    log = [];
    const safe = serialized(append);
    await Promise.all([1, 2, 3, 4].map((n) => safe(n)));
    expect(log).toEqual([1, 2, 3, 4]);
  });

  it("goes on after a failing call and returns each call's own result", async () => {
    const f = serialized(async (n: number) => {
      if (n === 1) throw new Error("one");
      return n * 2;
    });
    const [a, b] = await Promise.allSettled([f(1), f(2)]);
    expect(a.status).toBe("rejected");
    expect(b).toEqual({ status: "fulfilled", value: 4 });
  });
});
