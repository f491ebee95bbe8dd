import { describe, expect, it } from "vitest";
import { projectionIsSafe } from "./parquet-projection";

describe("a Parquet projection", () => {
  it("is asked for unless a non-ASCII name begins another column's name", () => {
    const all = ["温度", "温度差", "é", "é2", "a b", "ab", "abc"];
    expect(projectionIsSafe(["温度差", "é2", "a b"], all)).toBe(true);
    // ASCII prefixes are matched correctly by parquet-wasm.
    expect(projectionIsSafe(["ab"], all)).toBe(true);
    expect(projectionIsSafe(["温度"], all)).toBe(false);
    expect(projectionIsSafe(["a b", "é"], all)).toBe(false);
    expect(projectionIsSafe(["é"], ["é", "ü"])).toBe(true);
  });
});
