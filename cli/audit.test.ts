/**
 * Spawns the real CLI (`node cli/assay.mjs audit …`) on a golden fixture (sklearn / SciPy /
 * numpy values from cli/testdata/generate.py; awkward column names), written to a temp dir as
 * Parquet and CSV, and on the bundled samples. Checks numbers against the goldens (1e-9
 * relative, absolute 1e-12 near 0) and against runStandardAudit in process, the exit codes,
 * the one-line errors, and the --json output against docs/cli.schema.json.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableToIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runStandardAudit, type StandardAuditResult } from "../lib/audit/standard-audit";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../lib/audit/testing/fixture-engine";
import type { NodeEngine } from "../lib/engine/node-engine";
import { quoteIdentifier, quoteString } from "../lib/sql/identifiers";
import { checkSchema, type Schema } from "./schema-check";
import golden from "./testdata/audit.json";

const root = join(__dirname, "..");
const samples = join(root, "public", "samples");
const schema = JSON.parse(readFileSync(join(root, "docs", "cli.schema.json"), "utf8")) as Schema;

interface Golden {
  spec: { label: string; score: string; group: string; threshold: number };
  tables: Record<"reference" | "current", Record<string, FixtureColumn>>;
  expected: {
    performance: Record<string, unknown>;
    calibration: { ece: number; mce: number; bins: Record<string, number>[] };
    fairness: Record<string, unknown>;
    drift: Record<string, Record<string, unknown>>;
    latency: Record<string, number>;
    errorRate: number;
  };
}
const data = golden as unknown as Golden;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function assay(args: string[]): Run {
  const r = spawnSync(process.execPath, [join(root, "cli", "assay.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Compares every number in `expected` with `actual` (1e-9 relative, 1e-12 absolute). */
function close(actual: unknown, expected: unknown, what: string): void {
  if (expected === undefined) return;
  if (typeof expected === "number") {
    expect(typeof actual, what).toBe("number");
    const error = Math.abs((actual as number) - expected);
    expect(error <= Math.max(1e-12, 1e-9 * Math.abs(expected)), `${what}: ${actual} vs ${expected}`).toBe(true);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual), what).toBe(true);
    expect((actual as unknown[]).length, `${what}.length`).toBe(expected.length);
    expected.forEach((e, i) => {
      close((actual as unknown[])[i], e, `${what}[${i}]`);
    });
  } else if (expected !== null && typeof expected === "object") {
    for (const [k, v] of Object.entries(expected)) close((actual as Record<string, unknown>)?.[k], v, `${what}.${k}`);
  } else {
    expect(actual, what).toEqual(expected);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON documents are walked by path in these tests
type Doc = any;

function readJson(path: string): Doc {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** A value as it appears in the JSON file (NaN → null, undefined dropped). */
function asJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

function ensureSamples(): void {
  if (existsSync(join(samples, "reference.parquet")) && existsSync(join(samples, "production.parquet"))) return;
  execFileSync(process.execPath, [join(root, "scripts", "generate-samples.mjs")], { cwd: root, stdio: "ignore" });
}

const LOOSE = [
  "--max-drift-share",
  "1.01",
  "--max-ece",
  "1",
  "--min-parity-ratio",
  "0",
  "--max-p99-ms",
  "1e9",
  "--max-error-rate",
  "1",
];

describe("assay audit on the golden fixture", () => {
  let dir: string;
  let engine: NodeEngine;
  const files = {
    parquet: { reference: "", current: "" },
    csv: { reference: "", current: "" },
    arrow: { reference: "", current: "" },
    json: { reference: "", current: "" },
  };
  const spec = data.spec;
  const base = () => [
    "audit",
    "--label",
    spec.label,
    "--score",
    spec.score,
    "--group",
    spec.group,
    "--threshold",
    String(spec.threshold),
    "--quiet",
  ];
  let parquetRun: Run;
  let parquetJson: Doc;
  let inProcess: StandardAuditResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "assay-cli-test-"));
    engine = await openFixtureEngine();
    for (const side of ["reference", "current"] as const) {
      await createFixtureTable(engine, side, data.tables[side]);
      for (const format of ["parquet", "csv", "json"] as const) {
        const path = join(dir, `${side}.${format === "json" ? "ndjson" : format}`);
        const options = { parquet: "parquet", csv: "csv, HEADER true", json: "json" }[format];
        await engine.exec(`COPY ${quoteIdentifier(side)} TO ${quoteString(path)} (FORMAT ${options})`);
        files[format][side] = path;
      }
      files.arrow[side] = join(dir, `${side}.arrow`);
      writeFileSync(
        files.arrow[side],
        tableToIPC(await engine.query(`SELECT * FROM ${quoteIdentifier(side)}`), "file"),
      );
      // In-process twin of what the CLI opens: a view over the same Parquet file.
      await engine.exec(
        `CREATE OR REPLACE VIEW ${quoteIdentifier(`${side}_file`)} AS SELECT * FROM read_parquet(${quoteString(files.parquet[side])})`,
      );
    }
    const json = join(dir, "golden.json");
    parquetRun = assay([
      ...base(),
      "--reference",
      files.parquet.reference,
      "--current",
      files.parquet.current,
      "--json",
      json,
      // One thread, as the in-process twin: parallel sums may differ in the last bit.
      "--threads",
      "1",
    ]);
    parquetJson = readJson(json);
    inProcess = await runStandardAudit(engine.query, {
      reference: "reference_file",
      current: "current_file",
      label: spec.label,
      score: spec.score,
      groups: [spec.group],
      threshold: spec.threshold,
    });
  }, 180_000);
  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("matches scikit-learn, SciPy and numpy", () => {
    expect(parquetRun.stderr).toBe("");
    const e = data.expected;
    close(parquetJson.performance, e.performance, "performance");
    close(parquetJson.calibration.ece, e.calibration.ece, "ece");
    close(parquetJson.calibration.mce, e.calibration.mce, "mce");
    close(parquetJson.calibration.bins, e.calibration.bins, "calibration.bins");
    expect(parquetJson.fairness).toHaveLength(1);
    close(parquetJson.fairness[0], e.fairness, "fairness");
    for (const [column, expected] of Object.entries(e.drift)) {
      const actual = parquetJson.drift.columns.find((c: Doc) => c.column === column);
      close(actual, expected, `drift.${column}`);
    }
    close(parquetJson.latency, e.latency, "latency");
    close(parquetJson.errorRate.rate, e.errorRate, "errorRate");
    expect(parquetJson.spec.features).toEqual(["x1", "cat"]);
  });

  it("equals runStandardAudit on the same file (the CLI adds no math)", () => {
    const r = inProcess;
    const strip = (doc: Doc) => asJson({ ...doc, trace: undefined, warnings: undefined });
    const { reference: _ref, ...current } = parquetJson.performance;
    expect(strip(current)).toEqual(strip(r.performance.current));
    expect(strip(parquetJson.performance.reference)).toEqual(strip(r.performance.reference));
    expect(strip(parquetJson.calibration)).toEqual(strip(r.calibration));
    expect(asJson(parquetJson.fairness[0].groups)).toEqual(asJson(r.fairness?.result?.attributes[0]?.groups));
    const drift = r.drift.features as { columns: { trace: unknown }[]; shareDrifted: number };
    expect(parquetJson.drift.shareDrifted).toBe(drift.shareDrifted);
    expect(parquetJson.drift.columns.map((c: Doc) => ({ ...c, trace: undefined }))).toEqual(
      asJson(drift.columns.map((c) => ({ ...c, trace: undefined }))),
    );
    expect(parquetJson.quality.columns).toEqual(asJson((r.quality.current as { columns: unknown }).columns));
  });

  it("fails the run (exit 1) when a check fails, and names the check", () => {
    expect(parquetRun.code).toBe(1);
    const ece = parquetJson.checks.find((c: Doc) => c.id === "calibration.ece");
    expect(ece).toMatchObject({ verdict: "fail", threshold: 0.05, comparator: "<=" });
    expect(parquetJson.verdict).toBe("fail");
    expect(parquetRun.stdout).toMatch(/Expected calibration error\s+0\.08996\s+≤ 0\.05\s+FAIL/);
  });

  it("passes (exit 0) with loose thresholds and fails on one strict flag", () => {
    const args = [...base(), "--reference", files.parquet.reference, "--current", files.parquet.current];
    const loose = assay([...args, ...LOOSE]);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/Verdict: (pass|warn)/);
    const strict = assay([...args, ...LOOSE, "--max-ece", "0.0001"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/Expected calibration error.*FAIL/);
  });

  it.each(["csv", "json"] as const)("reads %s to the same numbers as Parquet", (format) => {
    const json = join(dir, `${format}.json`);
    const r = assay([
      ...base(),
      "--reference",
      files[format].reference,
      "--current",
      files[format].current,
      "--json",
      json,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const csv = readJson(json);
    expect(csv.inputs.current.format).toBe(format);
    for (const key of ["accuracy", "rocAuc", "prAuc", "logLoss", "brier", "confusion"]) {
      close(csv.performance[key], parquetJson.performance[key], key); // parallel sums: last-bit differences
    }
    close(csv.calibration.bins, parquetJson.calibration.bins, "calibration.bins");
    close(csv.fairness[0].groups, parquetJson.fairness[0].groups, "fairness");
    close(
      csv.drift.columns,
      parquetJson.drift.columns.map((c: Doc) => ({ ...c, trace: undefined })),
      "drift",
    );
    expect(csv.latency).toEqual(parquetJson.latency);
  });

  it("reads Arrow IPC to the same numbers as Parquet", () => {
    const json = join(dir, "arrow.json");
    const r = assay([
      ...base(),
      "--reference",
      files.arrow.reference,
      "--current",
      files.arrow.current,
      "--json",
      json,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const arrow = readJson(json);
    expect(arrow.inputs.current).toMatchObject({ format: "arrow", rows: 1200 });
    close(arrow.performance, { ...parquetJson.performance, trace: undefined, reference: undefined }, "performance");
    close(arrow.calibration.bins, parquetJson.calibration.bins, "calibration.bins");
    close(
      arrow.fairness,
      parquetJson.fairness.map((f: Doc) => ({ ...f, trace: undefined })),
      "fairness",
    );
    close(
      arrow.drift.columns,
      parquetJson.drift.columns.map((c: Doc) => ({ ...c, trace: undefined })),
      "drift",
    );
    expect(checkSchema(arrow, schema)).toEqual([]);
  });

  it("records inputs (path, rows, SHA-256) and both DuckDB versions", () => {
    const sha = createHash("sha256").update(readFileSync(files.parquet.current)).digest("hex");
    expect(parquetJson.inputs.current).toMatchObject({ path: files.parquet.current, rows: 1200, sha256: sha });
    expect(parquetJson.versions).toMatchObject({
      duckdb: "v1.4.3",
      duckdbNodeApi: "1.4.3-r.3",
      duckdbWasm: expect.any(String),
      browserDuckdb: "v1.4.3",
    });
    expect(parquetJson.format).toBe("assay-audit/1");
  });

  it("writes JSON that satisfies docs/cli.schema.json", () => {
    expect(checkSchema(parquetJson, schema)).toEqual([]);
    expect(checkSchema({ ...parquetJson, performance: { accuracy: 1 } }, schema).length).toBeGreaterThan(0);
  });

  it("writes JSON to stdout with --json - and a self-contained HTML summary", () => {
    const html = join(dir, "out.html");
    const r = assay([
      ...base(),
      "--reference",
      files.parquet.reference,
      "--current",
      files.parquet.current,
      "--json",
      "-",
      "--html",
      html,
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).format).toBe("assay-audit/1");
    expect(r.stderr).toContain("Verdict: FAIL");
    const page = readFileSync(html, "utf8");
    expect(page).toContain("<table>");
    expect(page).toContain("Expected calibration error");
    expect(page).toContain(parquetJson.inputs.current.sha256);
    expect(page).not.toMatch(/(src|href)=/);
  });

  it("takes the engine flags", () => {
    const temp = mkdtempSync(join(dir, "spill-"));
    const r = assay([
      ...base(),
      ...LOOSE,
      "--reference",
      files.parquet.reference,
      "--current",
      files.parquet.current,
      "--memory-limit",
      "512MB",
      "--threads",
      "2",
      "--temp-dir",
      temp,
    ]);
    expect(r.code).toBe(0);
    expect(assay([...base(), "--reference", "a", "--current", "b", "--memory-limit", "lots"]).code).toBe(2);
  });

  it("bad input: exit 2 and one line on stderr", () => {
    const args = ["--reference", files.parquet.reference, "--current", files.parquet.current];
    const oneLine = (r: Run, pattern: RegExp) => {
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(pattern);
    };
    oneLine(
      assay([...base(), ...args, "--group", "nope"]),
      /^assay: Column "nope" \(--group\) is not in the current file/,
    );
    oneLine(
      assay(["audit", "--quiet", ...args, "--label", "Y TRUE", "--score", spec.score]),
      /did you mean "y true"\? Names are case-sensitive/,
    );
    const truncated = join(dir, "truncated.parquet");
    writeFileSync(truncated, readFileSync(files.parquet.current).subarray(0, 700));
    oneLine(
      assay([...base(), "--reference", files.parquet.reference, "--current", truncated]),
      /^assay: Could not read the current "truncated.parquet" as Parquet: .*Check that the file is complete/,
    );
    oneLine(
      assay([...base(), "--reference", join(dir, "missing.parquet"), "--current", files.parquet.current]),
      /no such file/,
    );
    const arrow = join(dir, "broken.arrow");
    writeFileSync(arrow, readFileSync(files.arrow.current).subarray(0, 300));
    oneLine(
      assay([...base(), "--reference", arrow, "--current", files.parquet.current]),
      /^assay: Could not read the reference "broken.arrow" as Arrow IPC: /,
    );
    oneLine(assay([...base(), ...args, "--bogus"]), /Unknown option '--bogus'/);
    oneLine(assay([...base(), ...args, "--threshold", "x"]), /--threshold must be a number/);
    oneLine(assay(["audit", "--current", files.parquet.current]), /--reference is required/);
  });

  it("checks a data contract: violations fail the run", () => {
    const contract = join(dir, "contract.json");
    writeFileSync(contract, JSON.stringify({ columns: { x1: { min: -1 }, cat: { allowed: ["u", "v", "w", "z"] } } }));
    const json = join(dir, "contract-out.json");
    const args = [...base(), ...LOOSE, "--reference", files.parquet.reference, "--current", files.parquet.current];
    const r = assay([...args, "--contract", contract, "--json", json]);
    expect(r.code).toBe(1);
    const doc = readJson(json);
    const check = doc.checks.find((c: Doc) => c.id === "quality.contract");
    expect(check).toMatchObject({ verdict: "fail", comparator: "<=", threshold: 0 });
    expect(check.value).toBe(doc.quality.contract.totalViolations);
    expect(doc.quality.contract.violations[0]).toMatchObject({ column: "x1", rule: "min" });
    writeFileSync(contract, JSON.stringify({ rules: [] }));
    const bad = assay([...args, "--contract", contract]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs a "columns" object/);
  });

  it("bad data in one family: that check errs, the rest runs, exit 2", () => {
    // The label as the score: still in [0, 1], but the group column is not binary-safe for operational.
    const r = assay([
      "audit",
      "--quiet",
      "--reference",
      files.parquet.reference,
      "--current",
      files.parquet.current,
      "--label",
      spec.label,
      "--score",
      spec.score,
      "--error",
      "cat",
      "--json",
      join(dir, "err.json"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^assay: Error rate could not run: The label column "cat" must hold only 0 and 1/m);
    const doc = readJson(join(dir, "err.json"));
    expect(doc.errorRate.error).toMatchObject({ problem: "label-not-binary", column: "cat" });
    expect(doc.calibration.ece).toBeGreaterThan(0);
    expect(checkSchema(doc, schema)).toEqual([]);
  });
});

describe("assay audit on the bundled samples", () => {
  let dir: string;
  beforeAll(() => {
    ensureSamples();
    dir = mkdtempSync(join(tmpdir(), "assay-cli-samples-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the documented example: the samples' drift, fairness gap and calibration fail (exit 1)", async () => {
    const json = join(dir, "samples.json");
    const r = assay([
      "audit",
      "--reference",
      "public/samples/reference.parquet",
      "--current",
      "public/samples/production.parquet",
      "--label",
      "label",
      "--score",
      "score",
      "--group",
      "sex",
      "--json",
      json,
      "--threads",
      "1",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("assay: drift done in");
    const doc = readJson(json);
    expect(checkSchema(doc, schema)).toEqual([]);
    const failed = doc.checks.filter((c: Doc) => c.verdict === "fail").map((c: Doc) => c.id);
    expect(failed).toEqual(expect.arrayContaining(["drift.share", "fairness.parity-ratio.sex", "calibration.ece"]));
    expect(doc.spec.latency).toBe("latency_ms");
    expect(doc.spec.error).toBe("is_error");
    expect(Object.keys(doc.latency)).toEqual(expect.arrayContaining(["p50", "p95", "p99"]));

    const engine = await openFixtureEngine();
    try {
      for (const [view, file] of [
        ["reference", "reference.parquet"],
        ["current", "production.parquet"],
      ] as const) {
        await engine.exec(
          `CREATE VIEW ${quoteIdentifier(view)} AS SELECT * FROM read_parquet(${quoteString(join(samples, file))})`,
        );
      }
      const result = await runStandardAudit(engine.query, {
        reference: "reference",
        current: "current",
        label: "label",
        score: "score",
        groups: ["sex"],
      });
      expect(doc.drift.shareDrifted).toBe((result.drift.features as { shareDrifted: number }).shareDrifted);
      expect(doc.fairness[0].demographicParityRatio).toBe(
        result.fairness?.result?.attributes[0]?.demographicParityRatio,
      );
      expect(doc.latency).toEqual(asJson((result.operational as { latency: unknown }).latency));
    } finally {
      await engine.close();
    }
  });

  it("reads the samples' CSV twins to the same performance", () => {
    const json = join(dir, "csv.json");
    const r = assay([
      "audit",
      "--quiet",
      "--reference",
      "public/samples/reference.csv",
      "--current",
      "public/samples/production.csv",
      "--label",
      "label",
      "--score",
      "score",
      "--json",
      json,
    ]);
    expect(r.code).toBe(1);
    const parquet = join(dir, "samples.json");
    const a = readJson(json);
    const b = readJson(parquet);
    for (const key of ["accuracy", "rocAuc", "prAuc", "logLoss", "brier", "confusion"]) {
      close(a.performance[key], b.performance[key], key);
    }
  });
});

describe("assay help and commands", () => {
  it("prints usage", () => {
    const top = assay(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("Usage: assay <command>");
    const audit = assay(["audit", "--help"]);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain("--reference FILE");
    expect(audit.stdout).toContain("--max-drift-share");
    expect(assay([]).code).toBe(2);
  });

  it("refuses unknown commands (run and verify are tested in run.test.ts)", () => {
    const r = assay(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
});
