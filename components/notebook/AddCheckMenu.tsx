"use client";

import { defaultCheckParams, FAMILY_TITLES } from "@/lib/audit/checks/defaults";
import { CHECK_FAMILIES, type CheckFamily } from "@/lib/audit/checks/types";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";

/** Adds one audit check, its datasets and columns guessed from the data loaded last. */
export function AddCheckMenu() {
  const datasets = useNotebookStore((s) => s.doc.datasets);
  const add = (family: CheckFamily) => {
    const current = datasets.at(-1);
    const reference = datasets.length > 1 ? datasets[0] : undefined;
    const params = defaultCheckParams(family, {
      current: { name: current?.name ?? "", columns: current?.columns ?? [] },
      ...(reference ? { reference: { name: reference.name, columns: reference.columns } } : {}),
    });
    notebookActions.addCheck(params);
  };
  return (
    <select
      value=""
      data-testid="add-check"
      aria-label="Add an audit check"
      onChange={(e) => {
        if (e.target.value) add(e.target.value as CheckFamily);
      }}
    >
      <option value="">+ Audit check…</option>
      {CHECK_FAMILIES.map((f) => (
        <option key={f} value={f}>
          {FAMILY_TITLES[f]}
        </option>
      ))}
    </select>
  );
}
