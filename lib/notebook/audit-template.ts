/**
 * "New audit": the standard audit as notebook cells, in the order an auditor reads it —
 * quality → drift → performance → calibration → fairness → slices, then latency and canary
 * where the data has what they need.
 */
import { type CheckContext, defaultCheckParams } from "../audit/checks/defaults";
import { type CheckFamily, type CheckParams, STREAMABLE_FAMILIES } from "../audit/checks/types";
import { addCell, uniqueCellName } from "./document";
import type { NotebookDocument } from "./types";

export interface AuditTemplateChoices {
  reference: string;
  current: string;
  label: string;
  score: string;
  prediction?: string;
  groups: string[];
  /** Model-version column and its two values, for a canary check. */
  canary?: { column: string; baseline: string; candidate: string };
}

const ORDER: CheckFamily[] = ["quality", "drift", "performance", "calibration", "fairness", "slices", "operational"];

/** The check params the template creates, before they become cells. */
export function auditTemplateParams(doc: NotebookDocument, choices: AuditTemplateChoices): CheckParams[] {
  const find = (name: string) => doc.datasets.find((d) => d.name === name);
  const current = find(choices.current);
  const reference = find(choices.reference);
  if (!current) throw new Error(`No dataset named "${choices.current}".`);
  const context: CheckContext = {
    current: { name: current.name, columns: current.columns },
    ...(reference ? { reference: { name: reference.name, columns: reference.columns } } : {}),
  };
  const excluded = new Set([choices.label, choices.score, choices.prediction, ...choices.groups]);
  // A streamed dataset has no table: only the families that read its row groups are offered.
  const streamed = Boolean(current.streamed || reference?.streamed);
  const out: CheckParams[] = [];
  for (const family of ORDER) {
    if (streamed && !STREAMABLE_FAMILIES.includes(family)) continue;
    const base = defaultCheckParams(family, context);
    if (base.family === "operational" && !base.latency && !base.error) continue;
    if ("label" in base && base.family !== "canary") {
      Object.assign(base, { label: choices.label, score: choices.score });
      if (choices.prediction) Object.assign(base, { prediction: choices.prediction });
    }
    if (base.family === "drift") base.columns = base.columns.filter((c) => !excluded.has(c));
    if (base.family === "fairness") base.attributes = choices.groups;
    if (base.family === "fairness" && choices.groups.length === 0) continue;
    out.push(base);
  }
  if (choices.canary && (!streamed || STREAMABLE_FAMILIES.includes("canary"))) {
    const canary = defaultCheckParams("canary", context);
    if (canary.family === "canary") {
      out.push({
        ...canary,
        versionColumn: choices.canary.column,
        baseline: choices.canary.baseline,
        candidate: choices.canary.candidate,
        label: choices.label,
        score: choices.score,
      });
    }
  }
  return out;
}

/** Why some checks are missing when a chosen dataset was streamed, or "". */
function streamedNote(doc: NotebookDocument, choices: AuditTemplateChoices): string {
  const streamed = [choices.current, choices.reference].filter(
    (name) => doc.datasets.find((d) => d.name === name)?.streamed,
  );
  if (streamed.length === 0) return "";
  const left = [...ORDER, "canary" as const].filter((family) => !STREAMABLE_FAMILIES.includes(family));
  const names = `${streamed.map((s) => `\`${s}\``).join(" and ")} ${streamed.length > 1 ? "were" : "was"}`;
  return `\n\n${names} streamed (read row group by row group, not loaded): the checks read their profiles or read the files again row group by row group, and say where a value is approximate and by how much.${
    left.length > 0 ? ` ${left.join(" and ")} checks need a loaded table and are left out.` : ""
  }`;
}

/** Appends the standard audit to a notebook (an empty one becomes the audit). */
export function addAuditTemplate(doc: NotebookDocument, choices: AuditTemplateChoices): NotebookDocument {
  let next = doc;
  if (doc.cells.length === 0) next = { ...next, title: `Audit: ${choices.current} vs ${choices.reference}` };
  next = addCell(next, "markdown", {
    name: uniqueCellName(next, "audit_notes"),
    source: `## Model audit: \`${choices.current}\` against \`${choices.reference}\`

Label \`${choices.label}\`, score \`${choices.score}\`${choices.prediction ? `, prediction \`${choices.prediction}\`` : ""}${
      choices.groups.length ? `; sensitive attributes ${choices.groups.map((g) => `\`${g}\``).join(", ")}` : ""
    }. Each check below states its threshold; edit it in the check's form.${streamedNote(next, choices)}`,
  }).doc;
  for (const params of auditTemplateParams(next, choices)) {
    next = addCell(next, "check", { params, name: uniqueCellName(next, params.family) }).doc;
  }
  return next;
}
