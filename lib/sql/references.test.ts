import { describe, expect, it } from "vitest";
import { referencedNames, renameReferences } from "./references";

describe("referencedNames", () => {
  it("collects bare and quoted identifiers, not strings or comments", () => {
    const names = referencedNames(`-- from hidden
      SELECT a.x, "Weird ""Name""" FROM Summary a JOIN "by group" b ON a.k = b.k WHERE s = 'summary2' /* other */`);
    expect(names.has("summary")).toBe(true);
    expect(names.has("by group")).toBe(true);
    expect(names.has('Weird "Name"')).toBe(true);
    expect(names.has("summary2")).toBe(false);
    expect(names.has("hidden")).toBe(false);
    expect(names.has("other")).toBe(false);
  });
});

describe("renameReferences", () => {
  it("renames table references only", () => {
    expect(renameReferences(`SELECT * FROM q1 JOIN "q1" USING (id) WHERE name = 'q1' -- q1`, "q1", "by_sex")).toBe(
      `SELECT * FROM by_sex JOIN "by_sex" USING (id) WHERE name = 'q1' -- q1`,
    );
    expect(renameReferences("SELECT q10 FROM Q1", "q1", "t")).toBe("SELECT q10 FROM t");
  });
});
