/**
 * `assay`: the command line of Assay. Parses the command name, dispatches, and turns every
 * error into a one-line message and an exit code (see errors.ts).
 */
import { auditCommand } from "./commands/audit";
import { driftCommand, profileCommand } from "./commands/drift";
import { runCommand } from "./commands/run";
import { verifyCommand } from "./commands/verify";
import { CliError, EXIT, type ExitCode } from "./errors";
import { type CliIo, processIo } from "./io";

/** A subcommand: takes its own arguments, returns the exit code. */
export interface Command {
  summary: string;
  run(argv: readonly string[], io: CliIo): Promise<ExitCode>;
}

/** Subcommands by name; add new ones here. */
export const COMMANDS: Record<string, Command> = {
  audit: { summary: "run the standard audit of a current file against a reference file", run: auditCommand },
  profile: { summary: "save a data file's drift profile (small JSON) to compare against later", run: profileCommand },
  drift: { summary: "drift of a current file or profile against a reference file or profile", run: driftCommand },
  run: { summary: "re-run an exported notebook on its data and check that every result reproduces", run: runCommand },
  verify: { summary: "verify a notebook's digest, signature, evidence chain and data hashes", run: verifyCommand },
};

/** Top-level usage text. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: assay <command> [options]

Commands
${lines.join("\n")}

Run \`assay <command> --help\` for a command's flags. Docs: docs/cli.md`;
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new CliError(`unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(", ")}.`);
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`assay: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}
