"use client";

import { type DragEvent, useState } from "react";
import { notebookActions, useNotebookStore } from "@/lib/store/notebook-store";
import { DatasetCard } from "./DatasetCard";
import { LoadingDataset } from "./LoadingDataset";
import { MissingDataset } from "./MissingDataset";
import { UrlLoader } from "./UrlLoader";

const ACCEPT = ".parquet,.pq,.arrow,.feather,.ipc,.csv,.tsv,.txt,.json,.ndjson,.jsonl";

export function DataPanel() {
  const datasets = useNotebookStore((s) => s.doc.datasets);
  const runtimes = useNotebookStore((s) => s.datasets);
  const loadErrors = useNotebookStore((s) => s.loadErrors);
  const [dragging, setDragging] = useState(false);

  const loading = Object.entries(runtimes).filter(([, r]) => r.status === "loading");
  const loadingNames = new Set(loading.map(([name]) => name));
  const missing = datasets.filter((d) => runtimes[d.name]?.status === "missing");
  const missingNames = new Set(missing.map((d) => d.name));

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0) void notebookActions.loadFiles(files);
  };

  return (
    <aside className="data-panel" data-testid="data-panel">
      <h2>Data</h2>
      <section
        className={`dropzone${dragging ? " active" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        aria-label="Drop files here"
      >
        Drop Parquet, Arrow, CSV or JSON files here, or{" "}
        <label>
          choose files
          <input
            type="file"
            multiple
            accept={ACCEPT}
            hidden
            data-testid="file-input"
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = "";
              if (files.length > 0) void notebookActions.loadFiles(files);
            }}
          />
        </label>
        .<br />
        <small>Files stay on this machine.</small>
        <br />
        <small>
          Parquet too large for memory?{" "}
          <label title="Read the file row group by row group instead of loading it: memory stays at a few row groups. Quality, drift and operational checks read its profile (quantiles, KS and Wasserstein with stated bounds); fairness, calibration and performance checks add up its counts (ROC AUC within a stated interval). There is no table to query.">
            stream it
            <input
              type="file"
              multiple
              accept=".parquet,.pq"
              hidden
              data-testid="stream-input"
              onChange={(e) => {
                const files = Array.from(e.currentTarget.files ?? []);
                e.currentTarget.value = "";
                if (files.length > 0) void notebookActions.loadFiles(files, undefined, { stream: true });
              }}
            />
          </label>
        </small>
      </section>
      <UrlLoader />
      {loadErrors.map((error) => (
        <div className="alert" role="alert" key={error.id} data-testid="load-error">
          <button type="button" onClick={() => notebookActions.dismissLoadError(error.id)} aria-label="Dismiss">
            ×
          </button>
          {error.message}
        </div>
      ))}
      {loading.map(([name, runtime]) => (
        <LoadingDataset key={name} name={name} runtime={runtime} />
      ))}
      {missing.map((d) => (
        <MissingDataset key={d.name} dataset={d} />
      ))}
      {datasets
        .filter((d) => !loadingNames.has(d.name) && !missingNames.has(d.name))
        .map((d) => (
          <DatasetCard key={d.name} dataset={d} runtime={runtimes[d.name]} />
        ))}
    </aside>
  );
}
