/** Writing a command's output files (--json, --junit, --html). */
import { writeFileSync } from "node:fs";
import { CliError } from "./errors";

/** Writes `text` to `path`; a failure ends the command with a one-line message naming the flag. */
export function writeOutput(path: string, text: string, flag: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CliError(`Cannot write ${flag} "${path}": ${code}. Check that the folder exists and is writable.`);
  }
}
