import { describe, expect, it } from "vitest";
import type { CellRunReport, RunReport } from "../lib/runner/run-notebook";
import { junitXml } from "./junit";

const cell = (over: Partial<CellRunReport>): CellRunReport => ({
  cellId: "c1",
  name: "q",
  kind: "sql",
  status: "same",
  message: "Same result hash.",
  storedHash: "a".repeat(64),
  hash: "a".repeat(64),
  verdict: null,
  verdicts: [],
  record: null,
  comparison: null,
  check: null,
  error: null,
  elapsedMs: 1234,
  ...over,
});

const report = (cells: CellRunReport[]): RunReport => ({
  cells,
  engineVersion: "v1.4.3",
  counts: { same: 0, different: 0, new: 0, missing: 0, error: 0, skipped: 0 },
  failedChecks: 0,
  verdict: "pass",
  mismatch: false,
  elapsedMs: 2000,
});

describe("junitXml", () => {
  it("escapes names and messages and drops characters XML forbids", () => {
    const xml = junitXml(
      report([
        cell({ name: `a<b & "c"`, status: "error", hash: null, message: "Binder Error:\u0001 column <x>" }),
        cell({
          cellId: "k",
          name: "chk",
          kind: "check",
          verdict: "error",
          status: "error",
          message: 'Column "y" is missing',
        }),
      ]),
      "nb & co",
      "2026-03-02T10:00:00.000Z",
    );
    expect(xml).toContain(
      '<testsuites name="assay run nb &#38; co" tests="3" failures="0" errors="3" skipped="0" time="2.000">',
    );
    expect(xml).toContain('<testcase name="a&#60;b &#38; &#34;c&#34;: result hash reproduces"');
    expect(xml).toContain('<error message="Binder Error: column &#60;x&#62;" type="Error"/>');
    expect(xml).toContain('<testcase name="chk" classname="nb &#38; co.checks" time="1.234">');
    expect(xml).toContain('timestamp="2026-03-02T10:00:00"');
    expect(xml.includes(String.fromCharCode(1))).toBe(false);
  });

  it("a new result passes with a note; a difference fails with both hashes and the differing values", () => {
    const xml = junitXml(
      report([
        cell({ status: "new", storedHash: null }),
        cell({
          name: "d",
          status: "different",
          hash: "b".repeat(64),
          message: "Different result hash.",
          comparison: {
            cellId: "c1",
            status: "different",
            differences: [{ row: 0, column: 1, name: "n", before: 3, after: 4 }],
            message: "Different result hash.",
          },
        }),
      ]),
      "nb",
      "2026-03-02T10:00:00.000Z",
    );
    expect(xml).toMatch(
      /<testcase name="q: result hash reproduces"[^>]*>\s*<system-out>No stored result; recomputed a{64}/,
    );
    expect(xml).toMatch(
      /<failure message="Different result hash." type="AssertionError">stored: {5}a{64}\nrecomputed: b{64}\nrow 1, n: 3 → 4<\/failure>/,
    );
  });
});
