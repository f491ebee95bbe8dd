"use client";

import type { CellId } from "@/lib/notebook/types";
import { isStale, useNotebookStore } from "@/lib/store/notebook-store";

/** Shown on a SQL cell whose result no longer reflects its source or inputs. */
export function StaleMark({ id }: { id: CellId }) {
  const stale = useNotebookStore((s) => {
    const cell = s.doc.cells.find((c) => c.id === id);
    return cell ? isStale(s, cell) : false;
  });
  if (!stale) return null;
  return (
    <span className="stale-mark" data-testid="stale" title="The source or an input changed since this cell ran">
      stale
    </span>
  );
}
