"use client";

import { useState } from "react";
import { notebookActions } from "@/lib/store/notebook-store";

/** Loads a dataset from a URL: an explicit, online-only action the person takes. */
export function UrlLoader() {
  const [url, setUrl] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    setError(null);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      setError("Enter a full URL, e.g. https://example.org/predictions.parquet");
      return;
    }
    setBusy(true);
    try {
      const response = await fetch(parsed);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const name = decodeURIComponent(parsed.pathname.split("/").pop() || "download");
      await notebookActions.loadFile(new File([await response.blob()], name));
      setUrl("");
    } catch (e) {
      setError(
        `Could not fetch ${parsed.href}: ${e instanceof Error ? e.message : String(e)}. Are you online, and does the server allow it (CORS)?`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="url-row">
        <input
          type="url"
          placeholder="or a URL (when online)"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && void load()}
          aria-label="Dataset URL"
        />
        <button type="button" disabled={busy || url.trim() === ""} onClick={() => void load()}>
          {busy ? "…" : "Load"}
        </button>
      </div>
      {error && <div className="alert">{error}</div>}
    </>
  );
}
