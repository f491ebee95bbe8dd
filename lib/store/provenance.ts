/**
 * Evidence that someone else can check: export the notebook as a sealed (optionally signed)
 * file, import one with its verification shown, re-run an imported notebook and compare
 * every result hash, and the hash-chained evidence log of check runs.
 */
import { EXPECTED_DUCKDB_VERSION } from "../engine/session-settings";
import { checkInputs } from "../notebook/dependencies";
import { buildNotebookFile } from "../notebook/format/build";
import { serializeNotebook } from "../notebook/format/serialize";
import type { AssayNotebookFile, CellResultRecord } from "../notebook/format/types";
import type { CellData, CellKind, NotebookDocument } from "../notebook/types";
import { getMeta, putMeta } from "../persistence/notebook-db";
import { type RunComparison, compareRuns } from "../provenance/compare-runs";
import { appendEvidence } from "../provenance/evidence-log";
import { resultRecord } from "../provenance/result-record";
import {
  exportSigningKey,
  formatFingerprint,
  generateSigningKey,
  importSigningKey,
  type SigningKey,
  signNotebook,
} from "../provenance/signature";
import { type NotebookVerification, verifyNotebookText } from "../provenance/verify-notebook";
import { checkResultTable, checkVerdicts } from "../runner/check-record";
import { splitStatements } from "../sql/statements";
import { APP_NAME, APP_VERSION } from "../version";
import { type CellRuntime, notebookActions, storeInternals, useNotebookStore } from "./notebook-store";
import { openDocument } from "./session";
import { serialized } from "./serialized";

/**
 * Whether a query's row order is part of its meaning: its last statement ends with a
 * top-level ORDER BY (text inside parentheses is ignored). Unordered results are hashed
 * order-insensitively (see docs/notebook-format.md).
 */
export function isOrderedQuery(sql: string): boolean {
  const last = splitStatements(sql).at(-1) ?? "";
  let depth = 0;
  let top = "";
  for (const ch of last.replace(/'([^']|'')*'/g, "''").replace(/--[^\n]*/g, "")) {
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) top += ch;
  }
  return /\border\s+by\b/i.test(top);
}

const engine = () => {
  const e = storeInternals.engine();
  if (!e) throw new Error("The engine is not attached yet.");
  return e;
};

function engineVersion(): string {
  const status = useNotebookStore.getState().engineStatus;
  return status.state === "ready" ? status.version : EXPECTED_DUCKDB_VERSION;
}

/** The result record of a check outcome (its measurements as a small ordered table). */
export function checkRecord(runtime: CellRuntime, ranAt: string): Promise<CellResultRecord> | null {
  if (!runtime.check) return null;
  return resultRecord(checkResultTable(runtime.check), {
    ordered: true,
    ranAt,
    engineVersion: engineVersion(),
    verdicts: checkVerdicts(runtime.check),
  });
}

/** Result records for every cell that has a current result (imported ones kept when not re-run). */
export async function collectResults(): Promise<Record<string, CellResultRecord>> {
  const { doc, cells } = useNotebookStore.getState();
  const out: Record<string, CellResultRecord> = {};
  const ranAt = new Date().toISOString();
  for (const cell of doc.cells) {
    const runtime = cells[cell.id];
    if (runtime?.status === "done" && runtime.check) {
      const record = checkRecord(runtime, ranAt);
      if (record) out[cell.id] = await record;
    } else if (runtime?.status === "done" && runtime.result?.kind === "table") {
      out[cell.id] = await engine().recordResult(cell.name, isOrderedQuery(cell.source), ranAt);
    } else if (doc.imported?.results[cell.id]) {
      out[cell.id] = doc.imported.results[cell.id] as CellResultRecord;
    }
  }
  return out;
}

const KEY = "signing-key";

/** This browser's signing key, made on first use and kept in IndexedDB. */
export async function signingKey(): Promise<SigningKey> {
  const saved = await getMeta<string>(KEY);
  if (saved) return importSigningKey(saved);
  const key = await generateSigningKey();
  await putMeta(KEY, exportSigningKey(key));
  return key;
}

/** The key as a JWK file the person can keep (it signs as them: store it safely). */
export async function signingKeyText(): Promise<string> {
  return exportSigningKey(await signingKey());
}

export async function exportNotebook(options: { sign: boolean }): Promise<{ file: AssayNotebookFile; text: string }> {
  const { doc } = useNotebookStore.getState();
  let file = await buildNotebookFile({
    document: {
      title: doc.title,
      datasets: doc.datasets,
      cells: doc.cells.map((c) => ({ ...c, params: c.params as unknown as Record<string, unknown> | undefined })),
    },
    results: await collectResults(),
    evidence: doc.evidence ?? [],
    app: { name: APP_NAME, version: APP_VERSION },
    engine: { version: engineVersion(), nativeVersion: EXPECTED_DUCKDB_VERSION },
  });
  if (options.sign) {
    const key = await signingKey();
    file = await signNotebook(file, key.privateKey, key.publicJwk);
  }
  return { file, text: serializeNotebook(file) };
}

/** Human-readable lines for what verification found. */
export function verificationLines(v: Extract<NotebookVerification, { ok: true }>): string[] {
  const lines = [
    v.manifest.valid ? "Content digest: valid (nothing was altered)" : `Content digest: ALTERED`,
    ...v.problems.map((p) => `${p.part}: ${p.message}`),
    v.signature.status === "valid"
      ? `Signature: valid, signed by ${formatFingerprint(v.signature.fingerprint ?? "")}`
      : v.signature.status === "unsigned"
        ? "Signature: none (the file is not signed)"
        : `Signature: INVALID — ${v.signature.message}`,
    v.evidence.valid
      ? `Evidence log: intact (${v.file.evidence.length} entries)`
      : `Evidence log: BROKEN — ${v.evidence.message}`,
  ];
  if (!v.form.canonical) lines.push(v.form.message);
  return [...new Set(lines)];
}

function documentFromFile(
  file: AssayNotebookFile,
  fileName: string,
  lines: string[],
  valid: boolean,
): NotebookDocument {
  return {
    title: file.notebook.title,
    cells: file.notebook.cells.map(
      (c) =>
        ({
          id: c.id,
          kind: c.kind as CellKind,
          name: c.name,
          source: c.source,
          ...(c.params ? { params: c.params } : {}),
        }) as unknown as CellData,
    ),
    datasets: file.notebook.datasets.map((d) => ({ ...d, columns: d.columns.map((c) => ({ ...c })) })),
    evidence: file.evidence,
    // Code from a file does not run until the person trusts this notebook (see docs/security.md).
    trusted: false,
    imported: { fileName, at: new Date().toISOString(), results: file.results, verification: lines, valid },
  };
}

/**
 * Reads a notebook file: verifies it, and (when it parses) opens it as a new notebook with
 * its recorded results shown, its datasets to re-attach, and its code not yet trusted.
 */
export async function importNotebook(text: string, fileName: string): Promise<NotebookVerification> {
  const verification = await verifyNotebookText(text);
  if (!verification.ok) return verification;
  const lines = verificationLines(verification);
  const doc = documentFromFile(verification.file, fileName, lines, verification.valid);
  const runtimes: Record<string, CellRuntime> = {};
  for (const [id, record] of Object.entries(verification.file.results)) {
    runtimes[id] = {
      status: "idle",
      restored: {
        rowCount: record.rowCount,
        columns: record.columns,
        rows: record.summary,
        at: Date.parse(record.ranAt) || Date.now(),
      },
    };
  }
  await openDocument(doc, runtimes);
  return verification;
}

/** Re-runs every cell of an imported notebook and compares each result hash with the file's. */
export async function rerunAndVerify(): Promise<RunComparison[]> {
  await notebookActions.runAll();
  const { doc } = useNotebookStore.getState();
  const stored = doc.imported?.results ?? {};
  const fresh = await collectResults();
  const recomputed = Object.fromEntries(
    Object.entries(fresh)
      .filter(([id, r]) => r !== stored[id])
      .map(([id, r]) => [id, { resultHash: r.resultHash, rowCount: r.rowCount, summary: r.summary }]),
  );
  return compareRuns(
    stored,
    recomputed,
    doc.cells.map((c) => c.id),
  );
}

/**
 * Appends a check's run to the notebook's hash-chained evidence log. Serialized: Run all finishes checks side by side, and
 * each append reads the chain's head, awaits hashing, then writes.
 */
export const recordCheckEvidence = serialized(async (cell: CellData): Promise<void> => {
  const state = useNotebookStore.getState();
  const runtime = state.cells[cell.id];
  if (!runtime?.check || !cell.params) return;
  const at = new Date().toISOString();
  const record = await checkRecord(runtime, at);
  if (!record) return;
  const names = new Set(checkInputs(cell.params));
  const inputs = state.doc.datasets
    .filter((d) => names.has(d.name))
    .map((d) => ({ name: d.name, sha256: d.sha256 ?? "" }));
  const evidence = await appendEvidence(useNotebookStore.getState().doc.evidence ?? [], {
    at,
    cellId: cell.id,
    cellName: cell.name,
    inputs,
    verdict: runtime.check.verdict,
    resultHash: record.resultHash,
  });
  storeInternals.set((s) => ({ doc: { ...s.doc, evidence } }));
});

let evidenceStarted = false;
/** Starts appending every check run to the evidence log (once). */
export function startEvidenceLog(): void {
  if (evidenceStarted) return;
  evidenceStarted = true;
  storeInternals.onCheckRan((cell) => void recordCheckEvidence(cell));
}

/** The SVG charts drawn for each check cell, for the HTML report. */
export function chartMarkup(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const cell of useNotebookStore.getState().doc.cells) {
    if (cell.kind !== "check") continue;
    const svgs = Array.from(document.querySelectorAll(`section[data-cell-id="${cell.id}"] figure.chart svg`))
      .filter((svg) => svg.getAttribute("class")?.includes("plot") || svg.querySelector("g"))
      .map((svg) => svg.outerHTML);
    if (svgs.length > 0) out[cell.id] = svgs;
  }
  return out;
}

/** The files behind the loaded datasets, for a bundle. */
export async function datasetFiles(): Promise<{ name: string; data: Uint8Array }[]> {
  const { doc } = useNotebookStore.getState();
  const out: { name: string; data: Uint8Array }[] = [];
  for (const d of doc.datasets) {
    const file = storeInternals.loadedFiles.get(d.name);
    if (file) out.push({ name: d.fileName, data: new Uint8Array(await file.arrayBuffer()) });
  }
  return out;
}

/** Total bytes of the loaded dataset files. */
export function datasetBytes(): number {
  let total = 0;
  for (const file of storeInternals.loadedFiles.values()) total += file.size;
  return total;
}
