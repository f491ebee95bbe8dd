import { describe, expect, it } from "vitest";
import { copiesToEvict, KEEP_TOTAL_BYTES } from "./dataset-store";

const MB = 1024 * 1024;

describe("copiesToEvict", () => {
  it("keeps everything within the budget", () => {
    const copies = [
      { name: "a", size: 300 * MB, lastModified: 1 },
      { name: "b", size: 300 * MB, lastModified: 2 },
    ];
    expect(copiesToEvict(copies, "b")).toEqual([]);
  });

  it("deletes the oldest copies first until the rest fit, never the one just written", () => {
    const copies = [
      { name: "new", size: 250 * MB, lastModified: 1 }, // written just now, even if the clock says otherwise
      { name: "old", size: 250 * MB, lastModified: 2 },
      { name: "older", size: 250 * MB, lastModified: 0 },
      { name: "mid", size: 250 * MB, lastModified: 5 },
      { name: "recent", size: 250 * MB, lastModified: 9 },
    ];
    const evicted = copiesToEvict(copies, "new");
    expect(evicted).toEqual(["older"]);
    const left = copies.filter((c) => !evicted.includes(c.name)).reduce((s, c) => s + c.size, 0);
    expect(left).toBeLessThanOrEqual(KEEP_TOTAL_BYTES);
  });

  it("deletes every other copy when the new one alone fills the budget", () => {
    const copies = [
      { name: "x", size: 10, lastModified: 1 },
      { name: "y", size: 10, lastModified: 2 },
      { name: "big", size: 100, lastModified: 3 },
    ];
    expect(copiesToEvict(copies, "big", 100)).toEqual(["x", "y"]);
  });
});
