/**
 * The table names a SQL text may refer to: every identifier token outside strings and
 * comments (bare words and "quoted" names), lower-cased for bare words. It over-approximates
 * (column names are identifiers too), which is what dependency tracking wants: a cell is
 * upstream when its name appears, and only cell names are looked up.
 */
export interface IdentifierToken {
  /** The name as SQL resolves it: bare words case-folded, quoted names exact. */
  name: string;
  quoted: boolean;
  start: number;
  end: number;
}

export function identifierTokens(sql: string): IdentifierToken[] {
  const tokens: IdentifierToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "'") {
      i++;
      while (i < n && !(sql[i] === "'" && sql[i + 1] !== "'")) i += sql[i] === "'" ? 2 : 1;
      i++;
    } else if (ch === "-" && next === "-") {
      while (i < n && sql[i] !== "\n") i++;
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === '"') {
      const start = i;
      let name = "";
      i++;
      while (i < n) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') {
            name += '"';
            i += 2;
            continue;
          }
          break;
        }
        name += sql[i];
        i++;
      }
      i++;
      tokens.push({ name, quoted: true, start, end: i });
    } else if (/[A-Za-z_\u00C0-\uFFFF]/.test(ch)) {
      const start = i;
      while (i < n && /[A-Za-z0-9_$\u00C0-\uFFFF]/.test(sql[i] as string)) i++;
      tokens.push({ name: sql.slice(start, i).toLowerCase(), quoted: false, start, end: i });
    } else if (/[0-9]/.test(ch)) {
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i] as string)) i++;
    } else i++;
  }
  return tokens;
}

/** The distinct names a SQL text mentions (see identifierTokens). */
export function referencedNames(sql: string): Set<string> {
  return new Set(identifierTokens(sql).map((t) => t.name));
}

/**
 * Replaces references to table `from` with `to`: bare words matching case-insensitively and
 * quoted names matching exactly. Strings and comments are left alone.
 */
export function renameReferences(sql: string, from: string, to: string): string {
  const lower = from.toLowerCase();
  const hits = identifierTokens(sql).filter((t) => (t.quoted ? t.name === from : t.name === lower));
  let out = sql;
  for (const t of hits.reverse()) {
    const replacement = /^[A-Za-z_][A-Za-z0-9_]*$/.test(to) && !t.quoted ? to : `"${to.replaceAll('"', '""')}"`;
    out = out.slice(0, t.start) + replacement + out.slice(t.end);
  }
  return out;
}
