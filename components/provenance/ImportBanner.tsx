"use client";

import { useNotebookStore } from "@/lib/store/notebook-store";

/** What verification found when this notebook was imported. */
export function ImportBanner() {
  const imported = useNotebookStore((s) => s.doc.imported);
  if (!imported) return null;
  return (
    <section
      className={`import-banner ${imported.valid ? "valid" : "altered"}`}
      data-testid="import-banner"
      data-valid={imported.valid}
    >
      <strong>
        Imported from <code>{imported.fileName}</code>: {imported.valid ? "verified" : "verification FAILED"}
      </strong>
      <ul data-testid="verification">
        {imported.verification.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <span className="muted">
        Re-attach its datasets on the left (their SHA-256 is checked), then Share ▸ Re-run and verify.
      </span>
    </section>
  );
}
