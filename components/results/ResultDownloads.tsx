"use client";

import { useState } from "react";
import { notebookActions } from "@/lib/store/notebook-store";
import { download } from "../provenance/download";

/** Saves a cell's whole result as CSV or Parquet. */
export function ResultDownloads({ table }: { table: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="downloads">
      <button
        type="button"
        disabled={busy}
        data-testid="download-csv"
        onClick={() =>
          void run(async () => {
            const { csvChunks } = await import("@/lib/export/csv");
            const all = await notebookActions.queryTable(table);
            download(`${table}.csv`, new Blob(Array.from(csvChunks(all))), "text/csv");
          })
        }
      >
        CSV
      </button>{" "}
      <button
        type="button"
        disabled={busy}
        data-testid="download-parquet"
        onClick={() =>
          void run(async () => {
            const bytes = await notebookActions.exportParquet(table);
            download(`${table}.parquet`, bytes as Uint8Array<ArrayBuffer>, "application/vnd.apache.parquet");
          })
        }
      >
        Parquet
      </button>
      {error && <span className="name-error"> {error}</span>}
    </span>
  );
}
