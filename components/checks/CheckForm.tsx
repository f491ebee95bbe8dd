"use client";

import { useEffect, useMemo, useState } from "react";
import type { CheckParams } from "@/lib/audit/checks/types";
import type { CellId } from "@/lib/notebook/types";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { FIELDS, type Field } from "./fields";

/** Tables a check can read: datasets and SQL cell results, with their columns. */
function useTables(): { name: string; columns: { name: string; type: string }[] }[] {
  const datasets = useNotebookStore((s) => s.doc.datasets);
  const cells = useNotebookStore((s) => s.doc.cells);
  const runtimes = useNotebookStore((s) => s.cells);
  return useMemo(() => {
    const results = cells
      .filter((c) => c.kind === "sql")
      .map((c) => ({ name: c.name, columns: runtimes[c.id]?.result?.columns ?? [] }));
    return [...datasets.map((d) => ({ name: d.name, columns: d.columns })), ...results];
  }, [datasets, cells, runtimes]);
}

function DistinctValueSelect(props: {
  table: string;
  column: string;
  value: string;
  testId: string;
  onChange(v: string): void;
}) {
  const [values, setValues] = useState<string[]>([]);
  useEffect(() => {
    if (!props.table || !props.column) return;
    let stale = false;
    notebookActions
      .distinctValues(props.table, props.column)
      .then((v) => !stale && setValues(v))
      .catch(() => !stale && setValues([]));
    return () => {
      stale = true;
    };
  }, [props.table, props.column]);
  const options = values.includes(props.value) || props.value === "" ? values : [props.value, ...values];
  return (
    <select value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">—</option>
      {options.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}

export function CheckForm({ id, params }: { id: CellId; params: CheckParams }) {
  const tables = useTables();
  const record = params as unknown as Record<string, unknown>;
  const update = (key: string, value: unknown) => {
    const next: Record<string, unknown> = { ...record };
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
    notebookActions.updateParams(id, next as unknown as CheckParams);
  };
  const columnsOf = (table: unknown) => tables.find((t) => t.name === table)?.columns ?? [];

  const input = (field: Field) => {
    const testId = `field-${field.key}`;
    const value = record[field.key];
    switch (field.kind) {
      case "table":
        return (
          <select value={String(value ?? "")} data-testid={testId} onChange={(e) => update(field.key, e.target.value)}>
            {(field.optional || !value) && <option value="">—</option>}
            {tables.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
            {typeof value === "string" && value && !tables.some((t) => t.name === value) && (
              <option value={value}>{value} (missing)</option>
            )}
          </select>
        );
      case "column": {
        const columns = columnsOf(record[field.from]);
        return (
          <select value={String(value ?? "")} data-testid={testId} onChange={(e) => update(field.key, e.target.value)}>
            {(field.optional || !value) && <option value="">—</option>}
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type})
              </option>
            ))}
            {typeof value === "string" && value && !columns.some((c) => c.name === value) && (
              <option value={value}>{value} (missing)</option>
            )}
          </select>
        );
      }
      case "columns": {
        const chosen = Array.isArray(value) ? (value as string[]) : [];
        const columns = columnsOf(record[field.from]);
        return (
          <details className="columns-picker">
            <summary data-testid={testId}>{chosen.length === 0 ? (field.hint ?? "none") : chosen.join(", ")}</summary>
            {columns.map((c) => (
              <label key={c.name} className="check-option">
                <input
                  type="checkbox"
                  checked={chosen.includes(c.name)}
                  onChange={(e) =>
                    update(field.key, e.target.checked ? [...chosen, c.name] : chosen.filter((x) => x !== c.name))
                  }
                />{" "}
                {c.name}
              </label>
            ))}
          </details>
        );
      }
      case "value":
        return (
          <DistinctValueSelect
            table={String(record[field.from] ?? "")}
            column={String(record[field.column] ?? "")}
            value={String(value ?? "")}
            testId={testId}
            onChange={(v) => update(field.key, v)}
          />
        );
      case "number":
        return (
          <input
            type="number"
            step={field.step}
            min={field.min}
            max={field.max}
            value={typeof value === "number" ? value : ""}
            data-testid={testId}
            onChange={(e) => {
              const n = e.target.valueAsNumber;
              if (Number.isFinite(n)) update(field.key, n);
            }}
          />
        );
      case "select":
        return (
          <select value={String(value ?? "")} data-testid={testId} onChange={(e) => update(field.key, e.target.value)}>
            {field.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        );
    }
  };

  return (
    <div className="check-form" data-testid="check-form">
      {FIELDS[params.family].map((field) => (
        // biome-ignore lint/a11y/noLabelWithoutControl: the control is rendered inside by input().
        <label key={field.key} className={field.kind === "number" && field.threshold ? "threshold" : undefined}>
          <span>{field.label}</span>
          {input(field)}
        </label>
      ))}
    </div>
  );
}
