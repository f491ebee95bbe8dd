"use client";

import { FAMILY_TITLES } from "@/lib/audit/checks/defaults";
import type { Verdict } from "@/lib/audit/checks/types";
import { worstVerdict } from "@/lib/audit/checks/verdict";
import { isStale, useNotebookStore } from "@/lib/store/notebook-store";
import { VerdictBadge } from "../checks/VerdictBadge";

const show = (x: number | null | undefined) =>
  x === null || x === undefined ? "—" : Number(x.toPrecision(4)).toString();

function scrollToCell(id: string) {
  document.querySelector(`[data-cell-id="${id}"]`)?.scrollIntoView({ behavior: "smooth", block: "start" });
}

/** Every check's verdict in one place, with the notebook's overall verdict. */
export function AuditSummary() {
  const doc = useNotebookStore((s) => s.doc);
  const runtimes = useNotebookStore((s) => s.cells);
  const checks = doc.cells.filter((c) => c.kind === "check" && c.params);
  // TypeScript cells' check() calls, one row each.
  const tsRows = doc.cells.flatMap((cell) =>
    cell.kind !== "ts"
      ? []
      : (runtimes[cell.id]?.ts?.checks ?? []).map((c) => ({
          cell,
          verdict: c.verdict as Verdict | "not-run",
          stale: isStale({ doc, cells: runtimes }, cell),
          main: {
            id: c.name,
            label: c.name,
            value: c.value,
            comparator: c.comparator,
            threshold: c.threshold,
            verdict: c.verdict,
          },
          running: false,
        })),
  );
  if (checks.length === 0 && tsRows.length === 0) return null;

  const rows = checks.map((cell) => {
    const runtime = runtimes[cell.id];
    const outcome = runtime?.status === "error" ? undefined : runtime?.check;
    const verdict: Verdict | "not-run" = runtime?.status === "error" ? "error" : (outcome?.verdict ?? "not-run");
    const stale = outcome !== undefined && isStale({ doc, cells: runtimes }, cell);
    const main = outcome?.measurements.find((m) => m.verdict === outcome.verdict) ?? outcome?.measurements[0];
    return { cell, verdict, stale, main, running: runtime?.status === "running" || runtime?.status === "queued" };
  });
  rows.push(...tsRows);
  const ran = rows.filter((r) => r.verdict !== "not-run");
  const overall: Verdict | "not-run" =
    ran.length === 0 ? "not-run" : worstVerdict(ran.map((r) => r.verdict as Verdict));
  const staleCount = rows.filter((r) => r.stale).length;

  return (
    <section className="audit-summary" data-testid="audit-summary" data-overall={overall}>
      <div className="summary-head">
        <h2>Audit summary</h2>
        <VerdictBadge verdict={overall} />
        <span className="muted" data-testid="summary-count">
          {ran.length} of {rows.length} checks ran
          {staleCount > 0 ? ` · ${staleCount} stale: inputs or settings changed since they ran` : ""}
        </span>
      </div>
      <table className="summary-table">
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.cell.id}:${r.cell.kind === "ts" ? r.main?.id : ""}`}
              data-testid="summary-row"
              data-cell-name={r.cell.name}
              data-verdict={r.verdict}
            >
              <td>
                <VerdictBadge verdict={r.verdict} stale={r.stale} />
              </td>
              <td>
                <button type="button" className="link" onClick={() => scrollToCell(r.cell.id)}>
                  {r.cell.name}
                </button>
                <span className="muted">
                  {" "}
                  · {r.cell.params ? FAMILY_TITLES[r.cell.params.family] : r.cell.kind === "ts" ? r.main?.label : ""}
                </span>
              </td>
              <td className="muted">
                {r.running
                  ? "running…"
                  : r.main
                    ? `${r.main.label}: ${show(r.main.value)} (threshold ${r.main.comparator} ${show(r.main.threshold)})`
                    : r.verdict === "error"
                      ? (runtimes[r.cell.id]?.error?.message ?? "error")
                      : "not run yet"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
