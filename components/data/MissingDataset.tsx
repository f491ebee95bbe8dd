"use client";

import { formatBytes } from "@/lib/format";
import type { DatasetRef } from "@/lib/notebook/types";
import { notebookActions } from "@/lib/store/notebook-store";

/** A dataset the notebook names whose file this browser does not hold: ask for it, then check its hash. */
export function MissingDataset({ dataset }: { dataset: DatasetRef }) {
  return (
    <div className="dataset missing" data-testid="dataset-missing" data-name={dataset.name}>
      <div className="dataset-head">
        <strong>{dataset.name}</strong>
      </div>
      <div className="meta">
        Needs <code>{dataset.fileName}</code> ({formatBytes(dataset.sizeBytes)}, {dataset.rows.toLocaleString("en-US")}{" "}
        rows).
        {dataset.sha256 && (
          <>
            {" "}
            Its SHA-256 must be <span className="hash">{dataset.sha256.slice(0, 16)}…</span>
          </>
        )}
      </div>
      <label className="button-like">
        Choose the file…
        <input
          type="file"
          hidden
          data-testid="reattach-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (file) void notebookActions.loadFile(file, dataset.name, { reattach: true });
          }}
        />
      </label>
    </div>
  );
}
