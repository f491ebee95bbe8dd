"use client";

import { useEffect, useState } from "react";
import { formatBytes, formatCount, formatMs } from "@/lib/format";
import type { DatasetRef } from "@/lib/notebook/types";
import { KEEP_FILE_MAX_BYTES } from "@/lib/persistence/dataset-store";
import { type DatasetRuntime, notebookActions } from "@/lib/store/notebook-store";

export function DatasetCard({ dataset, runtime }: { dataset: DatasetRef; runtime: DatasetRuntime | undefined }) {
  const [name, setName] = useState(dataset.name);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setName(dataset.name), [dataset.name]);

  const commit = async () => {
    const next = name.trim();
    if (next === dataset.name) return;
    const problem = await notebookActions.renameDataset(dataset.name, next);
    setError(problem);
    if (problem) setName(dataset.name);
  };

  const hashing = dataset.sha256 === undefined && !runtime?.hashError;
  return (
    <div className="dataset" data-testid="dataset" data-name={dataset.name}>
      <div className="dataset-head">
        <input
          type="text"
          value={name}
          aria-label={`Table name for ${dataset.fileName}`}
          data-testid="dataset-name"
          onChange={(e) => setName(e.target.value)}
          onBlur={() => void commit()}
          onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
        />
        <button
          type="button"
          className="danger"
          title="Remove dataset"
          onClick={() => void notebookActions.removeDataset(dataset.name)}
        >
          ×
        </button>
      </div>
      {error && <div className="alert">{error}</div>}
      {runtime?.hashMismatch && (
        <div className="alert" data-testid="hash-mismatch">
          This file is not the one the notebook was made with: its SHA-256 is {runtime.hashMismatch.actual.slice(0, 16)}
          …, the notebook recorded {runtime.hashMismatch.expected.slice(0, 16)}…. Results computed on it may differ.
        </div>
      )}
      {runtime?.hashError && <div className="alert">Could not compute the file's SHA-256: {runtime.hashError}</div>}
      <div className="meta">
        {dataset.fileName} · {dataset.format} · {formatBytes(dataset.sizeBytes)}
        <br />
        <span data-testid="dataset-rows">{formatCount(dataset.rows)}</span> rows · {dataset.columns.length} columns
        {runtime?.loadMs !== undefined && (
          <>
            {" "}
            · {dataset.streamed ? "profiled" : "loaded"} in {formatMs(runtime.loadMs)}
          </>
        )}
      </div>
      {dataset.streamed && (
        <div className="hash" data-testid="dataset-streamed">
          Streamed: read row group by row group, not loaded. Quality, drift and operational checks read its profile;
          fairness, calibration and performance checks add up its counts; SQL and other checks cannot read it.
          {runtime?.notes?.map((note) => (
            <div key={note} data-testid="dataset-note">
              {note}
            </div>
          ))}
        </div>
      )}
      {hashing ? (
        <>
          <div className="hash">SHA-256: computing…</div>
          <div className="progress">
            <div style={{ width: `${Math.round((runtime?.hashProgress ?? 0) * 100)}%` }} />
          </div>
        </>
      ) : (
        <div className="hash" data-testid="dataset-sha256" title="SHA-256 of the file's bytes">
          SHA-256 {dataset.sha256}
        </div>
      )}
      {dataset.sizeBytes > KEEP_FILE_MAX_BYTES && (
        <div className="hash" data-testid="dataset-not-kept">
          Not copied into browser storage (over {formatBytes(KEEP_FILE_MAX_BYTES)}): after a reload, pick the file
          again.
        </div>
      )}
      <details>
        <summary>Columns</summary>
        <ul className="columns">
          {dataset.columns.map((c) => (
            <li key={c.name}>
              <span>{c.name}</span>
              <span className="type">{c.type}</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
