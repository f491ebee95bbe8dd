"use client";

import { useEffect, useState } from "react";
import { formatMs } from "@/lib/format";
import type { CellId } from "@/lib/notebook/types";
import { useNotebookStore } from "@/lib/store/notebook-store";

/** Status with a live elapsed-time counter while the cell runs. */
export function CellStatusLabel({ id }: { id: CellId }) {
  const runtime = useNotebookStore((s) => s.cells[id]);
  const [now, setNow] = useState(() => performance.now());
  const running = runtime?.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [running]);
  if (!runtime || runtime.status === "idle") return null;
  const text =
    runtime.status === "running"
      ? `running ${formatMs(now - (runtime.startedAt ?? now))}`
      : runtime.status === "done" && runtime.result
        ? `${formatMs(runtime.result.elapsedMs)}`
        : runtime.status;
  return (
    <span className={`status ${runtime.status}`} data-testid="cell-status">
      {text}
    </span>
  );
}
