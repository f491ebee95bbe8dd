/**
 * Everything checked when a notebook file is opened: it parses, its text is the canonical
 * serialisation, the manifest matches, the signature (if any) is valid and the evidence chain
 * is intact. Re-attached data (verify-datasets.ts) and re-runs (compare-runs.ts) come later,
 * when the reviewer supplies the data.
 */
import { parseNotebook } from "../notebook/format/parse";
import { serializeNotebook } from "../notebook/format/serialize";
import type { AssayNotebookFile, FormatError } from "../notebook/format/types";
import { childPath } from "../notebook/format/json-text";
import { type EvidenceCheck, verifyEvidence } from "./evidence-log";
import { type ManifestCheck, verifyManifest } from "./manifest";
import { type SignatureCheck, verifySignature } from "./signature";

/** Where the text differs from the canonical serialisation of what it holds. */
export interface FormCheck {
  canonical: boolean;
  line?: number;
  column?: number;
  message: string;
}

/** One reason the notebook does not verify, naming the part. */
export interface Problem {
  part: string;
  message: string;
}

export type NotebookVerification =
  | { ok: false; errors: FormatError[] }
  | {
      ok: true;
      file: AssayNotebookFile;
      /** True when nothing below found a problem (an unsigned file can be valid). */
      valid: boolean;
      form: FormCheck;
      manifest: ManifestCheck;
      signature: SignatureCheck;
      evidence: EvidenceCheck;
      problems: Problem[];
    };

function checkForm(text: string, file: AssayNotebookFile): FormCheck {
  const expected = serializeNotebook(file);
  if (text === expected) return { canonical: true, message: "The file is exactly as Assay wrote it." };
  let i = 0;
  while (i < text.length && text[i] === expected[i]) i++;
  const before = text.slice(0, i);
  const line = before.split("\n").length;
  const column = i - before.lastIndexOf("\n");
  return {
    canonical: false,
    line,
    column,
    message: `The file's text was changed at line ${line}, column ${column} (spacing, line ends or number spelling) although what it holds may not be.`,
  };
}

function evidencePart(check: EvidenceCheck, file: AssayNotebookFile): string {
  return check.brokenAt === undefined || check.brokenAt >= file.evidence.length
    ? "evidence"
    : childPath("evidence", check.brokenAt);
}

export async function verifyNotebookText(text: string): Promise<NotebookVerification> {
  const parsed = parseNotebook(text);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  const [manifest, signature, evidence] = await Promise.all([
    verifyManifest(file),
    verifySignature(file),
    verifyEvidence(file.evidence),
  ]);
  const form = checkForm(text, file);
  const problems: Problem[] = manifest.mismatches.map((m) => ({ part: m.part, message: m.message }));
  if (signature.status === "invalid") problems.push({ part: "signature", message: signature.message });
  if (!evidence.valid) problems.push({ part: evidencePart(evidence, file), message: evidence.message });
  if (!form.canonical)
    problems.push({ part: `text (line ${form.line}, column ${form.column})`, message: form.message });
  return { ok: true, file, valid: problems.length === 0, form, manifest, signature, evidence, problems };
}
