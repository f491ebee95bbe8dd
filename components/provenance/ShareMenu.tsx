"use client";

import { useRef, useState } from "react";
import type { RunComparison } from "@/lib/provenance/compare-runs";
import type { NotebookVerification } from "@/lib/provenance/verify-notebook";
import { useNotebookStore } from "@/lib/store/notebook-store";
import { download, fileStem } from "./download";
import { RerunReport } from "./RerunReport";

/** Export, import and verify: the notebook as evidence someone else can check. */
export function ShareMenu() {
  const title = useNotebookStore((s) => s.doc.title);
  const imported = useNotebookStore((s) => s.doc.imported !== undefined);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [comparisons, setComparisons] = useState<RunComparison[] | null>(null);
  const importInput = useRef<HTMLInputElement>(null);

  const act = async (label: string, work: () => Promise<string | undefined>) => {
    setOpen(false);
    setBusy(label);
    setMessage(null);
    try {
      const done = await work();
      if (done) setMessage({ text: done, error: false });
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : String(error), error: true });
    } finally {
      setBusy(null);
    }
  };

  const stem = fileStem(title);
  // Hashing, signing and export code loads when first used, not with the page.
  const provenance = () => import("@/lib/store/provenance");
  const exportFile = (sign: boolean) =>
    act("Exporting…", async () => {
      const { text, file } = await (await provenance()).exportNotebook({ sign });
      download(`${stem}.assay.json`, text, "application/json");
      return sign ? `Exported and signed (${file.signature?.fingerprint.slice(0, 16)}…).` : "Exported.";
    });

  const onImport = (file: File) =>
    act("Importing…", async () => {
      const verification: NotebookVerification = await (await provenance()).importNotebook(
        await file.text(),
        file.name,
      );
      if (!verification.ok) {
        throw new Error(
          `"${file.name}" is not a valid Assay notebook: ${verification.errors
            .slice(0, 3)
            .map((e) => `${e.path}: ${e.message}`)
            .join("; ")}`,
        );
      }
      return undefined;
    });

  return (
    <div className="share-menu">
      <button
        type="button"
        data-testid="share-button"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        disabled={busy !== null}
      >
        {busy ?? "Share ▾"}
      </button>
      <input
        ref={importInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = "";
          if (file) void onImport(file);
        }}
      />
      {open && (
        <div className="menu" data-testid="share-menu">
          <button
            type="button"
            className="menu-item"
            data-testid="export-notebook"
            onClick={() => void exportFile(false)}
          >
            Export notebook (.assay.json)
          </button>
          <button type="button" className="menu-item" data-testid="export-signed" onClick={() => void exportFile(true)}>
            Export signed notebook (this browser's key)
          </button>
          <button
            type="button"
            className="menu-item"
            data-testid="export-report"
            onClick={() =>
              void act("Writing report…", async () => {
                const { exportNotebook, chartMarkup } = await provenance();
                const { file } = await exportNotebook({ sign: false });
                const { renderNotebookReport } = await import("@/lib/export/html-report");
                download(`${stem}.html`, renderNotebookReport(file, { charts: chartMarkup() }), "text/html");
                return "Report saved: it opens offline and prints.";
              })
            }
          >
            HTML report (offline, printable)
          </button>
          <button
            type="button"
            className="menu-item"
            data-testid="export-bundle"
            onClick={() =>
              void act("Bundling…", async () => {
                const { bundleSizeWarning, createBundle } = await import("@/lib/export/bundle");
                const { datasetBytes, datasetFiles, exportNotebook } = await provenance();
                const warning = bundleSizeWarning(datasetBytes());
                if (warning && !window.confirm(`${warning}\n\nBuild the bundle anyway?`)) return undefined;
                const { text } = await exportNotebook({ sign: false });
                const zip = createBundle({ notebookText: text, files: await datasetFiles() });
                download(`${stem}.zip`, zip as Uint8Array<ArrayBuffer>, "application/zip");
                return "Bundle saved: the notebook and its data files.";
              })
            }
          >
            Bundle with data files (.zip)
          </button>
          <hr />
          <button
            type="button"
            className="menu-item"
            data-testid="import-notebook"
            onClick={() => importInput.current?.click()}
          >
            Import a notebook…
          </button>
          {imported && (
            <button
              type="button"
              className="menu-item"
              data-testid="rerun-verify"
              onClick={() =>
                void act("Re-running…", async () => {
                  setComparisons(await (await provenance()).rerunAndVerify());
                  return undefined;
                })
              }
            >
              Re-run and verify
            </button>
          )}
          <hr />
          <button
            type="button"
            className="menu-item"
            onClick={() =>
              void act("Exporting key…", async () => {
                download("assay-signing-key.jwk.json", await (await provenance()).signingKeyText(), "application/json");
                return "Signing key saved. Anyone holding it can sign as you: keep it safe.";
              })
            }
          >
            Export my signing key
          </button>
        </div>
      )}
      {message && (
        <span className={`badge ${message.error ? "failed" : "ready"}`} data-testid="share-message" role="status">
          {message.text}
        </span>
      )}
      {comparisons && <RerunReport comparisons={comparisons} onClose={() => setComparisons(null)} />}
    </div>
  );
}
