import { describe, expect, it } from "vitest";
import { isQueryStatement, splitStatements } from "./statements";

describe("splitStatements", () => {
  it("splits at top-level semicolons only", () => {
    const sql = `SELECT 'a;b' AS "x;y"; -- comment; here
      /* block ; */ SELECT $$dollar;quoted$$;
      SELECT 1`;
    expect(splitStatements(sql)).toEqual([
      `SELECT 'a;b' AS "x;y"`,
      "-- comment; here\n      /* block ; */ SELECT $$dollar;quoted$$",
      "SELECT 1",
    ]);
  });

  it("drops empty and comment-only statements", () => {
    expect(splitStatements(";; -- nothing\n;")).toEqual([]);
  });

  it("handles doubled quotes", () => {
    expect(splitStatements(`SELECT 'it''s;'; SELECT 2`)).toEqual([`SELECT 'it''s;'`, "SELECT 2"]);
  });
});

describe("isQueryStatement", () => {
  it("recognises row-producing statements", () => {
    expect(isQueryStatement("  -- c\n WITH t AS (SELECT 1) SELECT * FROM t")).toBe(true);
    expect(isQueryStatement("FROM reference LIMIT 3")).toBe(true);
    expect(isQueryStatement("(SELECT 1) UNION (SELECT 2)")).toBe(true);
    expect(isQueryStatement("CREATE TABLE x AS SELECT 1")).toBe(false);
    expect(isQueryStatement("DESCRIBE reference")).toBe(false);
  });
});
