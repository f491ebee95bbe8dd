/**
 * `assay verify NOTEBOOK [--data NAME=PATH…]`: checks a notebook without running a query —
 * manifest digest (and which part was altered), signature, evidence chain, that the text is
 * exactly what Assay wrote, and the SHA-256 of each data file given. Exit 0 when everything
 * checked is valid, 2 otherwise (one line per problem on stderr).
 */
import { basename } from "node:path";
import { formatFingerprint } from "../../lib/provenance/signature";
import { verifyDatasets } from "../../lib/provenance/verify-datasets";
import { type FlagSpec, parseWithPositionals } from "../args";
import { CliError, EXIT, type ExitCode } from "../errors";
import { sha256File } from "../inputs";
import type { CliIo } from "../io";
import { dataFlags, missingDataFlags, readNotebook } from "../notebook-input";
import { table } from "../summary-table";

/** `assay verify --help`. */
export const VERIFY_HELP = `Usage: assay verify NOTEBOOK [--data NAME=PATH...]

Checks an exported Assay notebook (*.assay.json) without running any query: the manifest
digest (naming any part that was altered), the signature (valid, invalid or unsigned, with
the signer's key fingerprint), the evidence chain, that the text is byte for byte what
Assay wrote, and the SHA-256 of each data file given against the notebook's.

  --data NAME=PATH   a file for the notebook's dataset NAME; repeat for several. Datasets
                     without --data are listed as not checked.

A valid signature proves only that the holder of that key signed this content: compare
the fingerprint with one you got from the author. Use \`assay run\` to re-run the cells.

Exit codes: 0 everything checked is valid, 2 a problem (or a bad flag). Docs: docs/cli.md`;

const FLAGS: FlagSpec = {
  data: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
};

/** Runs `assay verify` with its arguments; returns the exit code (CliError for bad input). */
export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseWithPositionals(argv, FLAGS, "verify", ["NOTEBOOK"]);
  if (values.help === true) {
    io.stdout(VERIFY_HELP);
    return EXIT.ok;
  }
  const path = positionals[0] as string;
  const notebook = await readNotebook(path);
  const { file, verification: v } = notebook;
  const given = dataFlags(values, file.notebook.datasets);
  const hashes = new Map<string, string>();
  for (const [name, dataPath] of given) {
    try {
      hashes.set(name, await sha256File(dataPath));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(code ?? error);
      throw new CliError(`Cannot read --data ${name}=${dataPath}: ${why}. Check the path.`);
    }
  }
  const datasetChecks = verifyDatasets(file.notebook.datasets, hashes).filter((d) => d.status !== "missing");
  const sig = v.signature;
  const mark = (ok: boolean) => (ok ? "valid" : "INVALID");
  const lines = [
    `Notebook   ${path} — "${file.notebook.title}", ${file.notebook.cells.length} cells, ${file.notebook.datasets.length} datasets, created ${file.createdAt} by ${file.app.name} ${file.app.version}`,
    `Digest     ${mark(v.manifest.valid)} (sha-256 ${file.manifest.digest})`,
    ...v.manifest.mismatches.map((m) => `           ${m.part}: ${m.message}`),
    `Signature  ${
      sig.status === "valid"
        ? `valid (${sig.algorithm}), key fingerprint ${formatFingerprint(sig.fingerprint ?? "")}`
        : sig.status === "unsigned"
          ? "unsigned (anyone could have written this file)"
          : `INVALID: ${sig.message}`
    }`,
    `Evidence   ${v.evidence.valid ? `valid, ${file.evidence.length} entries, head ${v.evidence.head.slice(0, 16)}…` : `BROKEN: ${v.evidence.message}`}`,
    `Form       ${v.form.canonical ? "exactly as Assay wrote it" : `REFORMATTED: ${v.form.message}`}`,
  ];
  if (file.notebook.datasets.length > 0) {
    const byName = new Map(datasetChecks.map((d) => [d.name, d]));
    lines.push(
      "",
      ...table(
        ["Dataset", "File", "Expected SHA-256", "Given"],
        file.notebook.datasets.map((d) => {
          const c = byName.get(d.name);
          const status = !c ? "not checked" : c.status === "match" ? "matches" : `DIFFERS (${given.get(d.name)})`;
          return [d.name, d.fileName, d.sha256, status];
        }),
      ),
    );
  }
  const problems = [
    ...v.problems.map((p) => `${p.part}: ${p.message}`),
    ...datasetChecks.filter((d) => d.status === "mismatch").map((d) => `notebook.datasets "${d.name}": ${d.message}`),
  ];
  const unchecked = missingDataFlags(file.notebook.datasets, given);
  lines.push(
    "",
    problems.length === 0
      ? `Verdict: valid${unchecked.length ? ` (data not checked: add ${unchecked.join(" ")})` : ""}`
      : `Verdict: ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
  );
  io.stdout(lines.join("\n"));
  for (const p of problems) io.stderr(`assay: ${basename(path)}: ${p}`);
  return problems.length === 0 ? EXIT.ok : EXIT.badInput;
}
