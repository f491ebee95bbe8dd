/**
 * `assay run --junit OUT`: JUnit XML for CI test reporters. Two suites:
 * - `checks`: one testcase per check cell; a failing verdict is a <failure>, a check that could
 *   not run an <error>; pass and warn pass (a warning goes to <system-out>).
 * - `reproducibility`: one testcase per SQL and check cell, "result hash reproduces": a
 *   different hash is a <failure>, a cell that could not run an <error>, a cell that cannot
 *   run headlessly (TypeScript) <skipped>, a cell with no stored result passes with a note.
 */
import type { CellRunReport, RunReport } from "../lib/runner/run-notebook";
import { formatNumber } from "./summary-table";

const xml = (s: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; drop them.
  s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const seconds = (ms: number) => (ms / 1000).toFixed(3);

const COMPARATOR: Record<string, string> = { "<": "<", "<=": "≤", "=": "=", ">=": "≥", ">": ">" };

interface Case {
  name: string;
  classname: string;
  ms: number;
  outcome: { kind: "pass"; note?: string } | { kind: "failure" | "error" | "skipped"; message: string; body?: string };
}

function verdictText(c: CellRunReport): string {
  return c.verdicts
    .map((v) => {
      const d = (v.detail ?? {}) as { value?: number | null; threshold?: number; comparator?: string };
      return `${v.label} = ${formatNumber(d.value ?? null)} (threshold ${COMPARATOR[d.comparator ?? ""] ?? d.comparator} ${formatNumber(d.threshold)}): ${v.status}`;
    })
    .join("\n");
}

function checkCase(c: CellRunReport, classname: string): Case {
  const base = { name: c.name, classname, ms: c.elapsedMs };
  if (c.status === "error") return { ...base, outcome: { kind: "error", message: c.message } };
  const failing = c.verdicts.filter((v) => v.status === "fail" || v.status === "error");
  if (c.verdict === "fail" || c.verdict === "error") {
    const message = failing.length > 0 ? verdictText({ ...c, verdicts: failing }).replace(/\n/g, "; ") : c.message;
    return { ...base, outcome: { kind: c.verdict === "fail" ? "failure" : "error", message, body: verdictText(c) } };
  }
  return { ...base, outcome: { kind: "pass", note: verdictText(c) } };
}

function reproducibilityCase(c: CellRunReport, classname: string): Case {
  const base = { name: `${c.name}: result hash reproduces`, classname, ms: c.elapsedMs };
  switch (c.status) {
    case "same":
      return { ...base, outcome: { kind: "pass", note: `${c.hash}` } };
    case "new":
      return { ...base, outcome: { kind: "pass", note: `No stored result; recomputed ${c.hash}` } };
    case "skipped":
      return { ...base, outcome: { kind: "skipped", message: c.message } };
    case "error":
      return { ...base, outcome: { kind: "error", message: c.message } };
    case "different":
    case "missing": {
      const diffs = (c.comparison?.differences ?? [])
        .slice(0, 20)
        .map(
          (d) =>
            `row ${d.row + 1}, ${d.name ?? `column ${d.column + 1}`}: ${JSON.stringify(d.before)} → ${JSON.stringify(d.after)}`,
        );
      const body = [`stored:     ${c.storedHash}`, `recomputed: ${c.hash ?? "—"}`, ...diffs].join("\n");
      return { ...base, outcome: { kind: "failure", message: c.message, body } };
    }
  }
}

function caseXml(c: Case): string {
  const open = `    <testcase name="${xml(c.name)}" classname="${xml(c.classname)}" time="${seconds(c.ms)}"`;
  const o = c.outcome;
  if (o.kind === "pass") {
    return o.note ? `${open}>\n      <system-out>${xml(o.note)}</system-out>\n    </testcase>` : `${open}/>`;
  }
  const tag = o.kind;
  const type = o.kind === "failure" ? ' type="AssertionError"' : o.kind === "error" ? ' type="Error"' : "";
  const inner = o.body ? `>${xml(o.body)}</${tag}>` : "/>";
  return `${open}>\n      <${tag} message="${xml(o.message)}"${type}${inner}\n    </testcase>`;
}

function suiteXml(name: string, cases: readonly Case[], timestamp: string): string {
  const count = (k: Case["outcome"]["kind"]) => cases.filter((c) => c.outcome.kind === k).length;
  const ms = cases.reduce((s, c) => s + c.ms, 0);
  return [
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${count("failure")}" errors="${count("error")}" skipped="${count("skipped")}" time="${seconds(ms)}" timestamp="${timestamp}">`,
    ...cases.map(caseXml),
    "  </testsuite>",
  ].join("\n");
}

/** The JUnit XML document for a run of `notebookName`. */
export function junitXml(report: RunReport, notebookName: string, timestamp: string): string {
  const ts = timestamp.replace(/\.\d+Z$/, "").replace(/Z$/, "");
  const checks = report.cells.filter((c) => c.kind === "check").map((c) => checkCase(c, `${notebookName}.checks`));
  const repro = report.cells.map((c) => reproducibilityCase(c, `${notebookName}.reproducibility`));
  const all = [...checks, ...repro];
  const count = (k: Case["outcome"]["kind"]) => all.filter((c) => c.outcome.kind === k).length;
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="assay run ${xml(notebookName)}" tests="${all.length}" failures="${count("failure")}" errors="${count("error")}" skipped="${count("skipped")}" time="${seconds(report.elapsedMs)}">
${suiteXml(`${notebookName}: checks`, checks, ts)}
${suiteXml(`${notebookName}: reproducibility`, repro, ts)}
</testsuites>
`;
}
