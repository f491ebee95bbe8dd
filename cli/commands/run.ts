/**
 * `assay run NOTEBOOK --data NAME=PATH…`: re-runs an exported notebook headlessly on native
 * DuckDB (lib/runner) after checking that the file is intact and the data files are the
 * audited ones; prints one row per cell and writes JSON / JUnit / HTML when asked.
 * Exit codes: 0 every result reproduces and no check fails, 1 a check fails or a result hash
 * differs, 2 bad input (altered notebook, wrong or missing data, a cell that could not run).
 */
import { basename } from "node:path";
import { type DatasetCheck, verifyDatasets } from "../../lib/provenance/verify-datasets";
import { type RunProgress, type RunReport, runNotebook } from "../../lib/runner/run-notebook";
import { type FlagSpec, type FlagValues, parseWithPositionals, stringFlag } from "../args";
import { ENGINE_FLAGS, openEngineSession } from "../engine-session";
import { CliError, EXIT, type ExitCode, firstLine } from "../errors";
import { writeOutput } from "../output";
import { type InputFile, openInput } from "../inputs";
import type { CliIo } from "../io";
import { junitXml } from "../junit";
import {
  alteredLine,
  dataFlags,
  integrityProblems,
  missingDataFlags,
  type ReadNotebook,
  readNotebook,
  shellWord,
} from "../notebook-input";
import { runHtml } from "../run-html";
import { runJson, runOutcome, runSummaryLines } from "../run-summary";
import { collectVersions } from "../versions";

/** `assay run --help`. */
export const RUN_HELP = `Usage: assay run NOTEBOOK --data NAME=PATH... [options]

Re-runs an exported Assay notebook (*.assay.json) on native DuckDB and checks that it
reproduces: every SQL and check cell runs in order, and each result hash is compared with
the one stored in the file. Markdown cells are skipped; TypeScript cells run only in the
browser sandbox and are reported as skipped.

Before anything runs, the notebook's digest, signature and evidence chain are verified
(an altered file stops the run), and each data file's SHA-256 must match the notebook's.

Data
  --data NAME=PATH         the file for the notebook's dataset NAME; repeat for each dataset
                           (Parquet, Arrow IPC, CSV/TSV, JSON/NDJSON)
  --allow-data-mismatch    run even when a file's SHA-256 differs from the notebook's
                           (the results will then usually differ too)

Output
  --json FILE              the run as JSON, format assay-run/1 (- for stdout)
  --junit FILE             JUnit XML: one testcase per check cell, one per cell for
                           "result hash reproduces"
  --html FILE              a small self-contained HTML report
  --quiet                  no progress on stderr

Engine
  --memory-limit SIZE      DuckDB memory limit, e.g. 4GB (it spills to --temp-dir beyond)
  --temp-dir DIR           where DuckDB spills (default: a fresh folder in the OS temp dir)
  --threads N              DuckDB worker threads (default: all cores)

Exit codes: 0 every result reproduces and no check fails, 1 a check fails or a result
hash differs, 2 bad input (altered notebook, missing or wrong data file, bad flag, or a
cell that could not run). Docs: docs/cli.md`;

const FLAGS: FlagSpec = {
  data: { type: "string", multiple: true },
  "allow-data-mismatch": { type: "boolean" },
  json: { type: "string" },
  junit: { type: "string" },
  html: { type: "string" },
  quiet: { type: "boolean" },
  ...ENGINE_FLAGS,
  help: { type: "boolean", short: "h" },
};

interface AttachedInput {
  name: string;
  input: InputFile;
  check: DatasetCheck;
}

function progress(io: CliIo, quiet: boolean) {
  return (e: RunProgress) => {
    if (quiet || e.phase !== "done") return;
    const r = e.report;
    const what = r.status === "skipped" ? "skipped" : r.status === "error" ? "could not run" : r.status;
    const verdict = r.verdict ? `${r.verdict}, ` : "";
    io.stderr(
      `assay: [${e.index + 1}/${e.total}] ${r.name} (${r.kind}): ${verdict}${what} in ${(r.elapsedMs / 1000).toFixed(2)} s`,
    );
  };
}

/** Reads the notebook and refuses one whose content was altered; a reformatted file only warns. */
async function intactNotebook(path: string, io: CliIo): Promise<ReadNotebook> {
  const notebook = await readNotebook(path);
  const problems = integrityProblems(notebook);
  if (problems.length > 0) throw new CliError(alteredLine(notebook, problems));
  if (!notebook.verification.form.canonical) {
    io.stderr(
      `assay: warning: ${notebook.verification.form.message} The content is intact (the digest matches), so the run goes on.`,
    );
  }
  return notebook;
}

async function attachData(
  values: FlagValues,
  notebook: ReadNotebook,
  session: Awaited<ReturnType<typeof openEngineSession>>,
  given: ReadonlyMap<string, string>,
  io: CliIo,
): Promise<AttachedInput[]> {
  const datasets = notebook.file.notebook.datasets;
  const inputs: InputFile[] = [];
  for (const d of datasets) {
    const path = given.get(d.name) as string;
    inputs.push(await openInput(session.engine, path, d.name, `file for dataset "${d.name}"`, session.scratch));
  }
  const checks = verifyDatasets(datasets, new Map(datasets.map((d, i) => [d.name, inputs[i]?.sha256 as string])));
  const attached = checks.map((check, i) => ({ name: check.name, input: inputs[i] as InputFile, check }));
  const allow = values["allow-data-mismatch"] === true;
  for (const a of attached) {
    if (a.check.status === "match") continue;
    const line = `--data ${shellWord(`${a.name}=${a.input.path}`)} is not the audited ${a.check.fileName}: its SHA-256 is ${a.input.sha256.slice(0, 16)}…, the notebook expects ${a.check.expected.slice(0, 16)}…`;
    if (!allow) {
      throw new CliError(
        `${line}. Pass the file the notebook was run on, or --allow-data-mismatch to run on this one anyway.`,
      );
    }
    io.stderr(`assay: warning: ${line}; running anyway (--allow-data-mismatch).`);
  }
  return attached;
}

function exitCodeFor(report: RunReport): ExitCode {
  const { errors, failedChecks, mismatches } = runOutcome(report);
  if (errors > 0) return EXIT.badInput;
  if (failedChecks > 0 || mismatches > 0) return EXIT.checkFailed;
  return EXIT.ok;
}

/** Runs `assay run` with its arguments; returns the exit code (CliError for bad input). */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseWithPositionals(argv, FLAGS, "run", ["NOTEBOOK"]);
  if (values.help === true) {
    io.stdout(RUN_HELP);
    return EXIT.ok;
  }
  const notebookPath = positionals[0] as string;
  const json = stringFlag(values, "json");
  const junit = stringFlag(values, "junit");
  const html = stringFlag(values, "html");
  const quiet = values.quiet === true;
  const say = (line: string) => {
    if (!quiet) io.stderr(line);
  };

  const notebook = await intactNotebook(notebookPath, io);
  const { datasets } = notebook.file.notebook;
  const given = dataFlags(values, datasets);
  const missing = missingDataFlags(datasets, given);
  if (missing.length > 0) {
    const names = datasets.filter((d) => !given.has(d.name)).map((d) => `"${d.name}"`);
    throw new CliError(
      `The notebook needs data for ${names.join(", ")}: add ${missing.join(" ")} (the path to your copy of each file).`,
    );
  }

  const session = await openEngineSession(values);
  try {
    const t0 = performance.now();
    say(`assay: reading and hashing ${datasets.length} data file${datasets.length === 1 ? "" : "s"}…`);
    const attached = await attachData(values, notebook, session, given, io);
    say(`assay: data ready in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    const report = await runNotebook(session.engine.query, notebook.file, { onProgress: progress(io, quiet) });
    const exitCode = exitCodeFor(report);
    const createdAt = new Date().toISOString();
    const jsonToStdout = json === "-";
    const summary = runSummaryLines(notebook, attached, report).join("\n");
    if (jsonToStdout) io.stderr(summary);
    else io.stdout(summary);
    const versions = collectVersions(await session.engine.version());
    if (json !== undefined) {
      const doc = runJson({ argv, notebook, inputs: attached, report, versions, createdAt, exitCode });
      const text = `${JSON.stringify(doc, null, 2)}\n`;
      if (jsonToStdout) io.stdout(text.trimEnd());
      else writeOutput(json, text, "--json");
    }
    const name = basename(notebookPath).replace(/\.assay\.json$|\.json$/, "");
    if (junit !== undefined) writeOutput(junit, junitXml(report, name, createdAt), "--junit");
    if (html !== undefined) {
      const verdict = exitCode === EXIT.ok ? "pass" : exitCode === EXIT.checkFailed ? "fail" : "error";
      writeOutput(html, runHtml({ notebook, inputs: attached, report, verdict, versions, createdAt }), "--html");
    }
    for (const c of report.cells) {
      if (c.status === "error") io.stderr(`assay: cell "${c.name}" could not run: ${firstLine(c.message)}`);
    }
    return exitCode;
  } finally {
    await session.close();
  }
}
