/**
 * Errors that end a command. The exit code is decided here, at the CLI edge, never in lib/:
 * 0 all checks pass (or only warn), 1 a check failed, 2 bad input (a missing column, an
 * unreadable file, an unknown flag, or an audit family that could not run on the data).
 */
import { AuditInputError } from "../lib/audit/errors";
import { EngineError } from "../lib/engine/types";

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2 } as const;
/** One of the three exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem to report as one line on stderr, with the exit code to end on. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.badInput,
  ) {
    super(message);
  }
}

/**
 * An audit's input problem or a DuckDB failure as the CliError a command ends on; anything else
 * (a bug) is returned as it is, to surface with its stack.
 */
export function cliErrorOf(error: unknown): unknown {
  if (error instanceof AuditInputError) return new CliError(firstLine(error.message));
  if (error instanceof EngineError) {
    return new CliError(
      `DuckDB failed: ${firstLine(error.message)}. If it ran out of memory, set --memory-limit and --temp-dir.`,
    );
  }
  return error;
}

/** The first line of an error message (DuckDB's messages run over several lines). */
export function firstLine(message: string): string {
  return message.split("\n").find((l) => l.trim() !== "") ?? message;
}
