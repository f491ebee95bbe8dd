"use client";

import { useNotebookStore } from "@/lib/store/notebook-store";

export function EngineBadge() {
  const status = useNotebookStore((s) => s.engineStatus);
  const label =
    status.state === "ready"
      ? `DuckDB ${status.version}`
      : status.state === "failed"
        ? "Engine failed"
        : status.state === "starting"
          ? "Starting engine…"
          : "Engine idle";
  return (
    <span
      className={`badge ${status.state}`}
      data-testid="engine-status"
      data-state={status.state}
      title={status.state === "failed" ? status.message : undefined}
    >
      {label}
    </span>
  );
}
