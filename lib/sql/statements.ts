/**
 * Splits SQL text into statements at top-level semicolons, skipping those inside quotes,
 * dollar-quoted strings and comments. Used to run every statement of a SQL cell and to
 * materialise the last one as the cell's named result.
 */
export function splitStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    const next = text[i + 1];
    if (ch === "'" || ch === '"') {
      i++;
      while (i < n) {
        if (text[i] === ch) {
          if (text[i + 1] === ch) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (ch === "-" && next === "-") {
      while (i < n && text[i] !== "\n") i++;
    } else if (ch === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      } else i++;
    } else if (ch === ";") {
      statements.push(text.slice(start, i));
      i++;
      start = i;
    } else i++;
  }
  statements.push(text.slice(start));
  return statements.map((s) => s.trim()).filter((s) => stripComments(s).trim().length > 0);
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}

/**
 * True when a statement produces rows that can be wrapped in `CREATE TABLE … AS`.
 * DESCRIBE, SHOW, PRAGMA, EXPLAIN and DDL are run as they are.
 */
export function isQueryStatement(statement: string): boolean {
  const head = stripComments(statement)
    .trimStart()
    .replace(/^\(+\s*/, "");
  return /^(select|with|from|values|table|pivot|unpivot)\b/i.test(head);
}
