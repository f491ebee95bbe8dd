/**
 * `assay profile` and `assay drift` on the bundled samples, in process: a saved profile stands in
 * for its file exactly, the numbers agree with the table path (runDrift), and bad input exits 2
 * with a message that names the problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDrift } from "../lib/audit/drift/run-drift";
import type { DriftResult } from "../lib/audit/drift/types";
import { openSampleEngine } from "../lib/audit/testing/sample-data";
import { SAMPLE_FILES } from "../lib/runner/testing/recorded-notebook";
import { main } from "./main";

let dir: string;
let exact: DriftResult;

async function assay(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** JSON with every number, also those quoted in traces, to 10 significant digits. */
function rounded(value: unknown): string {
  const round = (x: number) => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(10)) : x);
  return JSON.stringify(value, (_, v) =>
    typeof v === "number"
      ? round(v)
      : typeof v === "string"
        ? v.replace(/-?\d+\.\d+(e-?\d+)?/g, (m) => String(round(Number(m))))
        : v,
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "assay-drift-"));
  const engine = await openSampleEngine();
  exact = await runDrift(engine.query, { reference: "reference", current: "production" });
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("assay profile and assay drift", () => {
  it("a saved profile gives the same drift as its file, and the numbers hold the table path's", async () => {
    const profile = join(dir, "reference.profile.json");
    const saved = await assay(["profile", SAMPLE_FILES.reference, "--out", profile]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/profiled 6000 rows/);
    expect(saved.stderr).toMatch(/"ts" \(TIMESTAMP\) is neither numeric nor categorical/);

    const fromFile = await assay([
      "drift",
      "--reference",
      SAMPLE_FILES.reference,
      "--current",
      SAMPLE_FILES.production,
      "--json",
      "-",
    ]);
    const fromProfile = await assay([
      "drift",
      "--reference",
      profile,
      "--current",
      SAMPLE_FILES.production,
      "--json",
      "-",
    ]);
    expect(fromFile.code).toBe(1);
    expect(fromProfile.code).toBe(1);
    const a = JSON.parse(fromFile.stdout);
    const b = JSON.parse(fromProfile.stdout);
    // Sums over threads may differ in the last bit between two runs (as on the table path).
    expect(rounded(b.result.columns)).toEqual(rounded(a.result.columns));
    expect(fromProfile.stderr).toMatch(/drift: 8 of 16 columns drifted ⇒ share 0\.500 ≥ 0\.05: FAIL/);

    for (const s of a.result.columns as DriftResult["columns"]) {
      const t = exact.columns.find((c) => c.column === s.column);
      expect(t, s.column).toBeDefined();
      if (!t) continue;
      expect(s.method, s.column).toBe(t.method);
      expect(s.drifted, s.column).toBe(t.drifted);
      if (s.kind === "categorical" || !s.errorBounds) {
        expect(s.statistic, s.column).toBeCloseTo(t.statistic, 12);
      } else {
        expect(Math.abs(s.statistic - t.statistic), s.column).toBeLessThanOrEqual(s.errorBounds.wasserstein + 1e-12);
      }
    }
  });

  it("passes under a looser threshold and writes the result and the reference profile", async () => {
    const json = join(dir, "drift.json");
    const saved = join(dir, "saved.json");
    const run = await assay([
      "drift",
      "--reference",
      SAMPLE_FILES.reference,
      "--current",
      SAMPLE_FILES.production,
      "--columns",
      "sex,device,label",
      "--max-drift-share",
      "0.5",
      "--json",
      json,
      "--save-reference",
      saved,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 of 3 columns drifted .*: pass/);
    expect(JSON.parse(readFileSync(json, "utf8")).verdict).toBe("pass");
    const again = await assay([
      "drift",
      "--reference",
      saved,
      "--current",
      SAMPLE_FILES.production,
      "--columns",
      "sex",
    ]);
    expect(again.code).toBe(0);
  });

  it("bad input exits 2 and says what to do", async () => {
    const broken = join(dir, "broken.json");
    writeFileSync(broken, '{"format": "assay-streamed-profile", "version": 1, "columns": [');
    const cases: [string[], RegExp][] = [
      [["profile", SAMPLE_FILES.reference], /--out is required/],
      [["drift", "--reference", join(dir, "nope.parquet"), "--current", SAMPLE_FILES.production], /no such file/],
      [
        ["drift", "--reference", broken, "--current", SAMPLE_FILES.production],
        /looks like an Assay profile but cannot be read: it is not valid JSON/,
      ],
      [
        ["drift", "--reference", SAMPLE_FILES.reference, "--current", SAMPLE_FILES.production, "--columns", "nope"],
        /nope/,
      ],
      [
        [
          "drift",
          "--reference",
          SAMPLE_FILES.reference,
          "--current",
          SAMPLE_FILES.production,
          "--max-drift-share",
          "2",
        ],
        /max-drift-share/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await assay(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
  });
});
