/**
 * Non-fatal caveats of a metric ("group 'x' has 12 rows"). Collected through one
 * `warn()` that drops exact repeats, so results carry each caveat once and tests can
 * assert on them.
 */
export interface AuditWarning {
  code: string;
  message: string;
  column?: string;
}

export class WarningLog {
  readonly #seen = new Set<string>();
  readonly items: AuditWarning[] = [];

  warn(code: string, message: string, column?: string): void {
    const key = `${code}\u0000${column ?? ""}\u0000${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.items.push(column === undefined ? { code, message } : { code, message, column });
  }
}
