"use client";

import type { DatasetRuntime } from "@/lib/store/notebook-store";

export function LoadingDataset({ name, runtime }: { name: string; runtime: DatasetRuntime }) {
  const fraction = runtime.progress?.fraction;
  return (
    <div className="dataset" data-testid="dataset-loading" data-name={name}>
      <div className="dataset-head">
        <span className="spinner" />
        <strong>{name}</strong>
      </div>
      <div className="meta">
        {runtime.fileName} — {runtime.progress?.message ?? "Reading…"}
      </div>
      <div className="progress">
        <div style={{ width: `${Math.round((fraction ?? 0.05) * 100)}%` }} />
      </div>
    </div>
  );
}
