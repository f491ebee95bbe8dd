/**
 * What `assay run` and `assay verify` share: reading a notebook file and verifying it
 * (lib/provenance verifyNotebookText), and the `--data NAME=PATH` flags that attach a data
 * file to each of the notebook's datasets. Every problem is a one-line CliError (exit 2).
 */
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { AssayNotebookFile, FileDataset } from "../lib/notebook/format/types";
import type { NotebookVerification, Problem } from "../lib/provenance/verify-notebook";
import { verifyNotebookText } from "../lib/provenance/verify-notebook";
import { type FlagValues, listFlag } from "./args";
import { CliError } from "./errors";

/** A notebook file that parsed; `verification` says whether it is intact. */
export interface ReadNotebook {
  path: string;
  file: AssayNotebookFile;
  verification: Extract<NotebookVerification, { ok: true }>;
}

/** Reads and verifies a notebook; a file that cannot be read or parsed is a CliError. */
export async function readNotebook(path: string): Promise<ReadNotebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : String(code ?? error);
    throw new CliError(`Cannot read the notebook "${path}": ${why}. Check the path.`);
  }
  const verification = await verifyNotebookText(text);
  if (!verification.ok) {
    const [first] = verification.errors;
    const more = verification.errors.length > 1 ? ` (and ${verification.errors.length - 1} more problems)` : "";
    throw new CliError(
      `"${basename(path)}" is not a readable Assay notebook: ${first ? `${first.path ? `${first.path}: ` : ""}${first.message}` : "unknown problem"}${more}.`,
    );
  }
  return { path, file: verification.file, verification };
}

/** Problems that mean the content is not what was sealed or signed (not mere reformatting). */
export function integrityProblems(notebook: ReadNotebook): Problem[] {
  return notebook.verification.problems.filter((p) => !p.part.startsWith("text "));
}

/** One line naming what was altered, e.g. `notebook.cells[2].source: the source of cell "q3" was altered`. */
export function alteredLine(notebook: ReadNotebook, problems: readonly Problem[]): string {
  const [first] = problems;
  const more =
    problems.length > 1
      ? ` (and ${problems.length - 1} more: ${problems
          .slice(1)
          .map((p) => p.part)
          .join(", ")})`
      : "";
  return `"${basename(notebook.path)}" was altered after it was sealed: ${first?.part}: ${trimDot(first?.message ?? "")}${more}. Re-export it from Assay or ask its author for the original.`;
}

const trimDot = (s: string) => s.replace(/\.\s*$/, "");

/** The `--data NAME=PATH` flags as dataset name → path; each NAME must be a dataset of the notebook. */
export function dataFlags(values: FlagValues, datasets: readonly FileDataset[]): Map<string, string> {
  const out = new Map<string, string>();
  const names = datasets.map((d) => d.name);
  for (const item of listFlag(values, "data", false)) {
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1) {
      throw new CliError(
        `--data must be NAME=PATH (the dataset's name in the notebook, then the file); got "${item}".`,
      );
    }
    const name = item.slice(0, eq);
    const path = item.slice(eq + 1);
    if (!names.includes(name)) {
      throw new CliError(
        `--data ${name}=…: the notebook has no dataset "${name}"; its datasets: ${names.map((n) => `"${n}"`).join(", ") || "none"}.`,
      );
    }
    if (out.has(name)) throw new CliError(`--data ${name}=… is given twice; give each dataset once.`);
    out.set(name, path);
  }
  return out;
}

/** Quotes a shell word when it needs it, so a suggested flag can be pasted as is. */
export function shellWord(word: string): string {
  return /^[\w./@%+:,=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The exact flags that would attach the datasets not given, e.g. `--data production=production.parquet`. */
export function missingDataFlags(datasets: readonly FileDataset[], given: ReadonlyMap<string, string>): string[] {
  return datasets.filter((d) => !given.has(d.name)).map((d) => `--data ${shellWord(`${d.name}=${d.fileName}`)}`);
}
