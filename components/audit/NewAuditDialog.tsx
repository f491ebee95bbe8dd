"use client";

import { useEffect, useMemo, useState } from "react";
import { guessColumns } from "@/lib/audit/checks/guess-columns";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";

/** "New audit": pick the data and its columns once; the standard checks are added in one step. */
export function NewAuditDialog({ onClose }: { onClose(): void }) {
  const datasets = useNotebookStore((s) => s.doc.datasets);
  const [reference, setReference] = useState(datasets[0]?.name ?? "");
  const [current, setCurrent] = useState(datasets[1]?.name ?? datasets[0]?.name ?? "");
  const columns = useMemo(() => datasets.find((d) => d.name === current)?.columns ?? [], [datasets, current]);
  const guesses = useMemo(() => guessColumns(columns), [columns]);
  const [label, setLabel] = useState("");
  const [score, setScore] = useState("");
  const [prediction, setPrediction] = useState("");
  const [groups, setGroups] = useState<string[]>([]);
  const [canary, setCanary] = useState<{ column: string; baseline: string; candidate: string } | null>(null);

  useEffect(() => {
    setLabel(guesses.label ?? "");
    setScore(guesses.score ?? "");
    setPrediction(guesses.prediction ?? "");
    setGroups(guesses.groups);
    setCanary(null);
    if (guesses.version && current) {
      notebookActions
        .distinctValues(current, guesses.version, 3)
        .then((values) => {
          if (values.length === 2)
            setCanary({
              column: guesses.version as string,
              baseline: values[0] as string,
              candidate: values[1] as string,
            });
        })
        // A column whose values cannot be listed offers no canary pair.
        .catch(() => undefined);
    }
  }, [guesses, current]);

  const ready = reference && current && label && score;
  const select = (value: string, onChange: (v: string) => void, testId: string, optional = false) => (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {(optional || !value) && <option value="">—</option>}
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  );

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-label="New audit"
        data-testid="new-audit-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>New audit</h2>
        {datasets.length === 0 ? (
          <p>Load a reference dataset (e.g. the validation period) and a current one (e.g. production logs) first.</p>
        ) : (
          <div className="check-form">
            <label>
              <span>Reference</span>
              <select value={reference} onChange={(e) => setReference(e.target.value)} data-testid="audit-reference">
                {datasets.map((d) => (
                  <option key={d.name}>{d.name}</option>
                ))}
              </select>
            </label>
            <label>
              <span>Current</span>
              <select value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="audit-current">
                {datasets.map((d) => (
                  <option key={d.name}>{d.name}</option>
                ))}
              </select>
            </label>
            <div className="field">
              <span>Label (0/1)</span>
              {select(label, setLabel, "audit-label")}
            </div>
            <div className="field">
              <span>Score</span>
              {select(score, setScore, "audit-score")}
            </div>
            <div className="field">
              <span>Prediction (optional)</span>
              {select(prediction, setPrediction, "audit-prediction", true)}
            </div>
            <fieldset>
              <legend>Sensitive attributes</legend>
              {columns.map((c) => (
                <label key={c.name} className="check-option">
                  <input
                    type="checkbox"
                    checked={groups.includes(c.name)}
                    onChange={(e) =>
                      setGroups(e.target.checked ? [...groups, c.name] : groups.filter((g) => g !== c.name))
                    }
                  />{" "}
                  {c.name}
                </label>
              ))}
            </fieldset>
            {canary && (
              <p className="check-note">
                Canary check: <code>{canary.column}</code> {canary.baseline} vs {canary.candidate}.
              </p>
            )}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!ready}
            data-testid="create-audit"
            onClick={() => {
              notebookActions.applyAuditTemplate({
                reference,
                current,
                label,
                score,
                ...(prediction ? { prediction } : {}),
                groups,
                ...(canary ? { canary } : {}),
              });
              onClose();
              void notebookActions.runAll();
            }}
          >
            Create and run
          </button>
        </div>
      </div>
    </div>
  );
}
