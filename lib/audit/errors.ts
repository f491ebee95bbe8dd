/** What is wrong with an audit's input; stable names that UIs and the CLI can branch on. */
export type AuditInputProblem =
  | "missing-column"
  | "empty-table"
  | "wrong-type"
  | "label-not-binary"
  | "score-out-of-range"
  | "non-finite-values"
  | "single-group"
  | "all-null"
  | "invalid-option"
  /** A table or view gave other rows on a second read (LIMIT without ORDER BY, USING SAMPLE, random()). */
  | "unstable-source";

/**
 * A problem with the data or the options an audit was given. The message names the
 * column (when there is one), what was found, and what to do about it.
 */
export class AuditInputError extends Error {
  override name = "AuditInputError";
  constructor(
    readonly problem: AuditInputProblem,
    message: string,
    readonly column?: string,
  ) {
    super(message);
  }
}
