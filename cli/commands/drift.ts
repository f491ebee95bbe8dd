/**
 * `assay profile` and `assay drift`: drift through streamed profiles (lib/audit/streaming).
 * `profile` saves a data file's profile as JSON once; `drift` compares two inputs, each a data
 * file or a saved profile, so a large reference is read once and never shipped to CI again.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { basename } from "node:path";
import {
  parseStreamedProfile,
  profileStream,
  STREAMED_PROFILE_FORMAT,
  type StreamedProfile,
  streamedDrift,
  wholeRelation,
} from "../../lib/audit/streaming";
import type { DriftResult } from "../../lib/audit/drift/types";
import {
  type FlagSpec,
  type FlagValues,
  listFlag,
  numberFlag,
  parseFlags,
  parseWithPositionals,
  requiredFlag,
  stringFlag,
} from "../args";
import { ENGINE_FLAGS, type EngineSession, openEngineSession } from "../engine-session";
import { CliError, cliErrorOf, EXIT, type ExitCode, firstLine } from "../errors";
import { openInput } from "../inputs";
import type { CliIo } from "../io";
import { writeOutput } from "../output";
import { table } from "../summary-table";

export const PROFILE_HELP = `Usage: assay profile FILE --out PROFILE.json [--columns A,B] [--categorical A]

Profiles a data file for drift: per numeric column counts, min, max, mean, std and a
histogram on a fixed grid (bins at most 0.39% wide); per categorical column counts per
value. The profile is small JSON that stands in for the file in \`assay drift\`.

  --out FILE               where to write the profile (- for stdout; required)
  --columns A,B,...        columns to profile (default: every numeric and text column)
  --categorical A,...      columns to profile as categories even when numeric
  --memory-limit, --temp-dir, --threads   as for \`assay audit\`

Exit codes: 0 written, 2 bad input. Docs: docs/cli.md`;

export const DRIFT_HELP = `Usage: assay drift --reference FILE|PROFILE --current FILE|PROFILE [options]

Drift of CURRENT against REFERENCE, each a data file or a profile saved by \`assay profile\`.
Numbers come from the profiles: exact for categories and small integers, and otherwise with
bounds that hold the exact value (KS D, Wasserstein); see docs/metrics/drift.md.

  --reference FILE         baseline data or profile (required)
  --current FILE           data or profile under audit (required)
  --columns A,B,...        columns to compare (default: every column profiled on both sides)
  --categorical A,...      columns to treat as categories (for data files)
  --max-drift-share X      the check fails when the share of drifted columns reaches X
                           (default 0.05); a column whose verdict could change within its
                           bounds (undetermined) counts as drifted
  --save-reference FILE    also write the reference's profile, to reuse it next time
  --json FILE              write the drift result as JSON (- for stdout)
  --memory-limit, --temp-dir, --threads   as for \`assay audit\`

Exit codes: 0 pass, 1 drift at or above --max-drift-share, 2 bad input. Docs: docs/cli.md`;

const COLUMN_FLAGS: FlagSpec = {
  columns: { type: "string", multiple: true },
  categorical: { type: "string", multiple: true },
};

const PROFILE_FLAGS: FlagSpec = {
  out: { type: "string" },
  ...COLUMN_FLAGS,
  ...ENGINE_FLAGS,
  help: { type: "boolean", short: "h" },
};

const DRIFT_FLAGS: FlagSpec = {
  reference: { type: "string" },
  current: { type: "string" },
  "max-drift-share": { type: "string" },
  "save-reference": { type: "string" },
  json: { type: "string" },
  ...COLUMN_FLAGS,
  ...ENGINE_FLAGS,
  help: { type: "boolean", short: "h" },
};

function columnOptions(values: FlagValues) {
  const columns = listFlag(values, "columns", true);
  const categorical = listFlag(values, "categorical", true);
  return { ...(columns.length > 0 ? { columns } : {}), ...(categorical.length > 0 ? { categorical } : {}) };
}

/** A saved profile, when `path` is one (JSON whose `format` says so); null for a data file. */
function savedProfile(path: string, role: string): StreamedProfile | null {
  let head: string;
  try {
    // Only the first bytes: a data file may be larger than memory (or than Node's 2 GiB read).
    const fd = openSync(path, "r");
    try {
      const bytes = Buffer.alloc(4096);
      head = bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 0)).toString("utf8");
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `Cannot read the ${role} "${path}": ${code === "ENOENT" ? "no such file" : String(code ?? error)}.`,
    );
  }
  if (!head.trimStart().startsWith("{") || !head.includes(STREAMED_PROFILE_FORMAT)) return null;
  try {
    return parseStreamedProfile(JSON.parse(readFileSync(path, "utf8")));
  } catch (error) {
    const why =
      error instanceof SyntaxError
        ? `it is not valid JSON (${error.message})`
        : firstLine(String((error as Error).message));
    throw new CliError(
      `The ${role} "${basename(path)}" looks like an Assay profile but cannot be read: ${why}. Profile the data again with \`assay profile\`.`,
    );
  }
}

async function profileFile(
  session: EngineSession,
  path: string,
  role: string,
  options: ReturnType<typeof columnOptions>,
  io: CliIo,
): Promise<StreamedProfile> {
  const file = await openInput(session.engine, path, role, role, session.scratch);
  const { profile, warnings } = await profileStream(
    session.engine.query,
    await wholeRelation(session.engine.query, file.relation, basename(path)),
    options,
  );
  for (const w of warnings.items) io.stderr(`assay: ${role}: ${w.message}`);
  return profile;
}

async function withSession<T>(values: FlagValues, work: (session: EngineSession) => Promise<T>): Promise<T> {
  const session = await openEngineSession(values);
  try {
    return await work(session);
  } catch (error) {
    throw cliErrorOf(error);
  } finally {
    await session.close();
  }
}

function profileJson(profile: StreamedProfile): string {
  return `${JSON.stringify(profile)}\n`;
}

/** `assay profile FILE --out PROFILE.json`. */
export async function profileCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseWithPositionals(argv, PROFILE_FLAGS, "profile", ["FILE"]);
  if (values.help === true) {
    io.stdout(PROFILE_HELP);
    return EXIT.ok;
  }
  const out = requiredFlag(values, "out", "where to write the profile");
  const options = columnOptions(values);
  const profile = await withSession(values, (session) =>
    profileFile(session, positionals[0] as string, "data file", options, io),
  );
  if (out === "-") io.stdout(profileJson(profile).trimEnd());
  else writeOutput(out, profileJson(profile), "--out");
  io.stderr(`assay: profiled ${profile.rows} rows, ${profile.columns.length} columns of "${profile.source}"`);
  return EXIT.ok;
}

function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "—";
  return x === 0 ? "0" : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? x.toFixed(digits) : x.toExponential(2);
}

/** One row per column: the deciding test's statistic with its bound, and the verdict. */
export function driftLines(result: DriftResult): string[] {
  const rows = result.columns.map((c) => {
    const bound =
      c.errorBounds && c.method === "wasserstein"
        ? ` ± ${fmt(c.errorBounds.wasserstein)}`
        : c.errorBounds && c.method === "ks" && c.errorBounds.ks > 0
          ? ` (up to +${fmt(c.errorBounds.ks)})`
          : "";
    const verdict = c.undetermined ? "undetermined" : c.drifted ? "DRIFT" : "ok";
    return [
      c.column,
      c.kind,
      c.method,
      `${fmt(c.statistic)}${bound}`,
      c.pValue === null ? "—" : fmt(c.pValue),
      fmt(c.psi),
      verdict,
    ];
  });
  return table(["column", "kind", "test", "statistic", "p", "PSI", "verdict"], rows);
}

/** `assay drift --reference … --current …`. */
export async function driftCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const values = parseFlags(argv, DRIFT_FLAGS, "drift");
  if (values.help === true) {
    io.stdout(DRIFT_HELP);
    return EXIT.ok;
  }
  const referencePath = requiredFlag(values, "reference", "the baseline data file or profile");
  const currentPath = requiredFlag(values, "current", "the data file or profile under audit");
  const maxShare = numberFlag(values, "max-drift-share", 0, 1.01) ?? 0.05;
  const saveReference = stringFlag(values, "save-reference");
  const json = stringFlag(values, "json");
  const options = columnOptions(values);
  const savedReference = savedProfile(referencePath, "reference");
  const savedCurrent = savedProfile(currentPath, "current");
  const [reference, current] = await withSession(values, async (session) => [
    savedReference ?? (await profileFile(session, referencePath, "reference", options, io)),
    savedCurrent ?? (await profileFile(session, currentPath, "current", options, io)),
  ]);
  if (saveReference !== undefined) writeOutput(saveReference, profileJson(reference), "--save-reference");
  let result: DriftResult;
  try {
    result = streamedDrift(reference, current, options.columns ? { columns: options.columns } : {});
  } catch (error) {
    throw cliErrorOf(error);
  }
  const counted = result.columns.filter((c) => c.drifted || c.undetermined).length;
  const share = counted / result.columns.length;
  const failed = share >= maxShare;
  const lines = [
    ...driftLines(result),
    "",
    `drift: ${result.columns.filter((c) => c.drifted).length} of ${result.columns.length} columns drifted` +
      (result.columns.some((c) => c.undetermined)
        ? `, ${result.columns.filter((c) => c.undetermined).length} undetermined`
        : "") +
      ` ⇒ share ${fmt(share, 3)} ${failed ? "≥" : "<"} ${maxShare}: ${failed ? "FAIL" : "pass"}`,
  ];
  for (const w of result.warnings) lines.push(`warning: ${w.message}`);
  if (json === "-") {
    io.stderr(lines.join("\n"));
    io.stdout(JSON.stringify({ verdict: failed ? "fail" : "pass", maxDriftShare: maxShare, share, result }, null, 2));
  } else {
    io.stdout(lines.join("\n"));
    if (json !== undefined) {
      writeOutput(
        json,
        `${JSON.stringify({ verdict: failed ? "fail" : "pass", maxDriftShare: maxShare, share, result }, null, 2)}\n`,
        "--json",
      );
    }
  }
  return failed ? EXIT.checkFailed : EXIT.ok;
}
