"use client";

import type { CheckParams, Verdict } from "@/lib/audit/checks/types";
import type { CellId } from "@/lib/notebook/types";
import { isStale, useNotebookStore } from "@/lib/store/notebook-store";
import { VerdictBadge } from "./VerdictBadge";

export interface CheckState {
  verdict: Verdict | "not-run";
  stale: boolean;
}

/** A check's verdict, marked stale when its settings or inputs changed after it ran. */
export function useCheckState(id: CellId, params: CheckParams | undefined): CheckState {
  // The selector returns a string so the component re-renders only when it changes.
  const key = useNotebookStore((s) => {
    const runtime = s.cells[id];
    if (runtime?.status === "error") return "error|0";
    const cell = s.doc.cells.find((c) => c.id === id);
    if (!runtime?.check || !params || !cell) return "not-run|0";
    return `${runtime.check.verdict}|${isStale(s, cell) ? 1 : 0}`;
  });
  const [verdict, stale] = key.split("|");
  return { verdict: verdict as CheckState["verdict"], stale: stale === "1" };
}

export function CheckVerdict({ id, params }: { id: CellId; params: CheckParams }) {
  const { verdict, stale } = useCheckState(id, params);
  return <VerdictBadge verdict={verdict} stale={stale} />;
}
