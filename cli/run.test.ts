/**
 * `assay run` and `assay verify` on a notebook over the bundled samples whose results were
 * recorded by running lib/runner once (lib/runner/testing/recorded-notebook.ts). Most cases
 * call `main` in process (exit codes are its return value); two spawn the real bin end to end.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSampleEngine } from "../lib/audit/testing/sample-data";
import { buildNotebookFile } from "../lib/notebook/format/build";
import { serializeNotebook } from "../lib/notebook/format/serialize";
import type { AssayNotebookFile } from "../lib/notebook/format/types";
import { sealNotebook } from "../lib/provenance/manifest";
import { formatFingerprint, generateSigningKey, signNotebook } from "../lib/provenance/signature";
import {
  CALIBRATION_PARAMS,
  recordedNotebook,
  SAMPLE_FILES,
  sampleCells,
} from "../lib/runner/testing/recorded-notebook";
import { main } from "./main";

const root = join(__dirname, "..");
let dir: string;
let file: AssayNotebookFile;
const paths = {
  good: "",
  failing: "",
  tampered: "",
  signed: "",
  resigned: "",
  crlf: "",
  wrongData: "",
};
const DATA = [`--data`, `reference=${SAMPLE_FILES.reference}`, `--data`, `production=${SAMPLE_FILES.production}`];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function assay(args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

function spawnAssay(args: string[]): Run {
  const r = spawnSync(process.execPath, [join(root, "cli", "assay.mjs"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "assay-run-test-"));
  const engine = await openSampleEngine();
  try {
    file = await recordedNotebook(engine.query);
  } finally {
    await engine.close();
  }
  const text = serializeNotebook(file);
  const write = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  paths.good = write("good.assay.json", text);
  // A stricter threshold than when the results were recorded: the check fails and its hash changes.
  const failing = await buildNotebookFile({
    document: {
      title: file.notebook.title,
      cells: sampleCells({ k2: { ...CALIBRATION_PARAMS, maxEce: 0.0001 } as typeof CALIBRATION_PARAMS }),
      datasets: file.notebook.datasets.map((d) => ({ ...d })),
    },
    results: file.results,
    evidence: file.evidence,
    app: file.app,
    engine: file.engine,
    createdAt: file.createdAt,
  });
  paths.failing = write("failing.assay.json", serializeNotebook(failing));
  // One byte of a SQL cell's source changed after sealing.
  const tampered = text.replace("GROUP BY age_band", "GROUP BY age_banD");
  expect(tampered).not.toBe(text);
  paths.tampered = write("tampered.assay.json", tampered);
  const key = await generateSigningKey();
  const signed = await signNotebook(file, key.privateKey, key.publicJwk);
  paths.signed = write("signed.assay.json", serializeNotebook(signed));
  // Edited after signing and re-sealed: the manifest is consistent, the signature is not.
  const edited = await sealNotebook({ ...signed, notebook: { ...signed.notebook, title: "Forged" } });
  paths.resigned = write("resealed.assay.json", serializeNotebook({ ...edited, signature: signed.signature }));
  paths.crlf = write("crlf.assay.json", text.replace(/\n/g, "\r\n"));
  paths.wrongData = join(dir, "production-copy.parquet");
  copyFileSync(SAMPLE_FILES.reference, paths.wrongData);
  (globalThis as { fingerprint?: string }).fingerprint = key.fingerprint;
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("assay run", () => {
  it("reproduces every recorded hash: exit 0, summary, JSON, JUnit and HTML", async () => {
    const json = join(dir, "run.json");
    const junit = join(dir, "run.xml");
    const html = join(dir, "run.html");
    const r = await assay([
      "run",
      paths.good,
      ...DATA,
      "--json",
      json,
      "--junit",
      junit,
      "--html",
      html,
      "--threads",
      "1",
    ]);
    expect(r.stderr).not.toMatch(/warning|could not/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/by_band\s+sql\s+same/);
    expect(r.stdout).toMatch(/fairness\s+check\s+pass\s+same/);
    expect(r.stdout).toMatch(/plot\s+ts\s+skipped\s+TypeScript cells run only in the browser sandbox/);
    expect(r.stdout).toMatch(/5 of 5 results reproduce, 1 skipped; 2 checks\. Verdict: pass/);
    expect(r.stderr).toMatch(/\[1\/6\] by_band \(sql\): same in/);

    const doc = JSON.parse(readFileSync(json, "utf8"));
    expect(doc.format).toBe("assay-run/1");
    expect(doc.exitCode).toBe(0);
    expect(doc.datasets.map((d: { status: string }) => d.status)).toEqual(["match", "match"]);
    expect(doc.cells.map((c: { id: string; hash: string | null }) => [c.id, c.hash])).toEqual([
      ...["s1", "s2", "s3", "k1", "k2"].map((id) => [id, file.results[id]?.resultHash ?? "?"]),
      ["t1", null],
    ]);

    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testsuites name="assay run good" tests="8" failures="0" errors="0" skipped="1"/);
    expect(xml).toMatch(/<testsuite name="good: checks" tests="2" failures="0" errors="0" skipped="0"/);
    expect(xml).toContain('<testcase name="fairness" classname="good.checks"');
    expect(xml).toContain('<testcase name="by_band: result hash reproduces" classname="good.reproducibility"');
    expect(xml).toMatch(/<testcase name="plot: result hash reproduces"[^>]*>\s*<skipped message="TypeScript cells/);

    const page = readFileSync(html, "utf8");
    expect(page).toContain("Re-run with <code>assay run</code>: ");
    expect(page).toMatch(/<section class="rerun">[\s\S]*<section class="cells">/);
    expect(page).toContain(file.results.k1?.resultHash.slice(0, 16));
    expect(page).not.toMatch(/<script|https?:\/\//);
  });

  it("a stricter threshold fails the check: exit 1 and a JUnit failure with the value", async () => {
    const junit = join(dir, "failing.xml");
    const r = await assay(["run", paths.failing, ...DATA, "--junit", junit, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/calibration\s+check\s+FAIL\s+DIFFERENT/);
    expect(r.stdout).toMatch(/1 of 2 checks FAIL\. Verdict: FAIL/);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testsuite name="failing: checks" tests="2" failures="1"/);
    expect(xml).toMatch(
      /<testcase name="calibration"[^>]*>\s*<failure message="Expected calibration error = 0\.1027 \(threshold ≤ 1\.00e-4\): fail" type="AssertionError">/,
    );
    expect(xml).toMatch(
      /<testcase name="calibration: result hash reproduces"[^>]*>\s*<failure message="Different result hash/,
    );
  });

  it("an altered notebook stops before anything runs: exit 2 and one line naming the part", async () => {
    const r = await assay(["run", paths.tampered, ...DATA]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^assay: "tampered\.assay\.json" was altered after it was sealed: notebook\.cells\[1\]\.source: /,
    );
  });

  it("a re-sealed file with a broken signature is refused", async () => {
    const r = await assay(["run", paths.resigned, ...DATA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^assay: "resealed\.assay\.json" was altered after it was sealed: signature: /);
  });

  it("a data file that is not the audited one: exit 2 naming the dataset; --allow-data-mismatch runs (exit 1)", async () => {
    const data = ["--data", `reference=${SAMPLE_FILES.reference}`, "--data", `production=${paths.wrongData}`];
    const r = await assay(["run", paths.good, ...data, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^assay: --data production=.*production-copy\.parquet is not the audited production\.parquet: its SHA-256 is/,
    );
    const allowed = await assay(["run", paths.good, ...data, "--quiet", "--allow-data-mismatch"]);
    expect(allowed.stderr).toMatch(/warning: --data production=.* running anyway/);
    expect(allowed.code).toBe(1);
    expect(allowed.stdout).toMatch(/by_band\s+sql\s+DIFFERENT/);
  });

  it("missing, unknown or malformed --data: exit 2 with the flag to add", async () => {
    const missing = await assay(["run", paths.good, "--data", `reference=${SAMPLE_FILES.reference}`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'assay: The notebook needs data for "production": add --data production=production.parquet (the path to your copy of each file).',
    );
    const unknown = await assay(["run", paths.good, ...DATA, "--data", "preds=x.csv"]);
    expect(unknown.stderr).toMatch(/the notebook has no dataset "preds"; its datasets: "reference", "production"/);
    const malformed = await assay(["run", paths.good, "--data", "production"]);
    expect(malformed.stderr).toMatch(/--data must be NAME=PATH/);
    const noFile = await assay(["run", join(dir, "nope.assay.json"), ...DATA]);
    expect(noFile.stderr).toMatch(/Cannot read the notebook .*nope\.assay\.json": no such file/);
    const notNotebook = await assay(["run", SAMPLE_FILES.production, ...DATA]);
    expect(notNotebook.code).toBe(2);
    expect(notNotebook.stderr).toMatch(/is not a readable Assay notebook/);
    const noArg = await assay(["run"]);
    expect(noArg.stderr).toMatch(/NOTEBOOK is required/);
  });

  it("a reformatted file (CRLF) runs with a warning", async () => {
    const r = await assay(["run", paths.crlf, ...DATA, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^assay: warning: The file's text was changed at line 1/);
  });
});

describe("assay verify", () => {
  it("a valid unsigned file: exit 0; given data is checked", async () => {
    const r = await assay(["verify", paths.good, "--data", `production=${SAMPLE_FILES.production}`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/Digest {5}valid/);
    expect(r.stdout).toMatch(/Signature {2}unsigned/);
    expect(r.stdout).toMatch(/Evidence {3}valid, 2 entries/);
    expect(r.stdout).toMatch(/production\s+production\.parquet\s+[0-9a-f]{64}\s+matches/);
    expect(r.stdout).toMatch(/reference\s+reference\.parquet\s+[0-9a-f]{64}\s+not checked/);
    expect(r.stdout).toMatch(/Verdict: valid \(data not checked: add --data reference=reference\.parquet\)/);
  });

  it("a signed file shows the key fingerprint", async () => {
    const r = await assay(["verify", paths.signed]);
    expect(r.code).toBe(0);
    const fp = (globalThis as { fingerprint?: string }).fingerprint as string;
    expect(r.stdout).toContain(`Signature  valid (ECDSA-P256-SHA256), key fingerprint ${formatFingerprint(fp)}`);
  });

  it("tampered, re-sealed, reformatted or wrong data: exit 2, one stderr line per problem", async () => {
    const tampered = await assay(["verify", paths.tampered]);
    expect(tampered.code).toBe(2);
    expect(tampered.stdout).toMatch(/Digest {5}INVALID/);
    expect(tampered.stderr).toMatch(/^assay: tampered\.assay\.json: notebook\.cells\[1\]\.source: /);
    const resealed = await assay(["verify", paths.resigned]);
    expect(resealed.code).toBe(2);
    expect(resealed.stdout).toMatch(/Signature {2}INVALID/);
    expect(resealed.stderr.split("\n")).toEqual([expect.stringMatching(/^assay: resealed\.assay\.json: signature: /)]);
    const crlf = await assay(["verify", paths.crlf]);
    expect(crlf.code).toBe(2);
    expect(crlf.stdout).toMatch(/Form {7}REFORMATTED/);
    const wrong = await assay(["verify", paths.good, "--data", `production=${paths.wrongData}`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/production\s+production\.parquet\s+[0-9a-f]{64}\s+DIFFERS/);
    expect(wrong.stderr).toMatch(/^assay: good\.assay\.json: notebook\.datasets "production": The file attached/);
  });
});

describe("assay run / verify end to end (spawned)", () => {
  it("run exits 0 on the recorded notebook and 2 on the tampered one", () => {
    const ok = spawnAssay(["run", paths.good, ...DATA, "--quiet"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Verdict: pass/);
    const bad = spawnAssay(["verify", paths.tampered]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/notebook\.cells\[1\]\.source/);
  }, 60_000);
});
