import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseNotebook } from "../notebook/format/parse";
import { serializeNotebook } from "../notebook/format/serialize";
import type { AssayNotebookFile } from "../notebook/format/types";
import { sealNotebook, verifyManifest } from "./manifest";
import { generateSigningKey, signNotebook, type SigningKey } from "./signature";
import { sampleNotebook } from "./testing/sample-notebook";
import { verifyNotebookText } from "./verify-notebook";

let key: SigningKey;
let signed: AssayNotebookFile;
let signedText: string;

beforeAll(async () => {
  key = await generateSigningKey();
  signed = await signNotebook(await sampleNotebook(), key.privateKey, key.publicJwk);
  signedText = serializeNotebook(signed);
});

/** Parses text that must parse. */
function fileOf(text: string): AssayNotebookFile {
  const parsed = parseNotebook(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.file;
}

describe("verifyNotebookText", () => {
  it("accepts an untouched signed file", async () => {
    const result = await verifyNotebookText(signedText);
    expect(result.ok && result.valid).toBe(true);
    expect(result.ok && result.signature).toMatchObject({ status: "valid", fingerprint: key.fingerprint });
    expect(result.ok && result.problems).toEqual([]);
  });

  it("names the altered cell field", async () => {
    const text = signedText.replace("GROUP BY 1", "GROUP BY 2");
    const result = await verifyNotebookText(text);
    if (!result.ok) throw new Error("should parse");
    expect(result.valid).toBe(false);
    expect(result.manifest.mismatches).toEqual([
      { part: "notebook.cells[0].source", message: 'the source of cell "q1" was altered' },
    ]);
    expect(result.signature.status).toBe("invalid");
  });

  it("names an altered dataset hash, result value and evidence entry", async () => {
    const file = fileOf(signedText);
    const edited = structuredClone(file);
    edited.notebook.datasets[0]!.sha256 = "b".repeat(64);
    edited.results.c1!.summary[0]![1] = 0.2;
    edited.evidence[1]!.verdict = "pass";
    const check = await verifyManifest(edited);
    expect(check.mismatches.map((m) => m.part)).toEqual([
      "notebook.datasets[0].sha256",
      "results.c1.summary",
      "evidence[1]",
    ]);
    const result = await verifyNotebookText(serializeNotebook(edited));
    expect(result.ok && result.problems.map((p) => p.part)).toContain("evidence[1]");
  });

  it("names removed and added parts", async () => {
    const file = fileOf(signedText);
    const edited = structuredClone(file);
    edited.notebook.cells.splice(1, 1);
    edited.evidence.pop();
    const parts = (await verifyManifest(edited)).mismatches.map((m) => m.part);
    expect(parts).toContain("notebook.cells");
    expect(parts).toContain("notebook.cells.c2.source");
    expect(parts).toContain("evidence");
  });

  it("detects a re-sealed file by its signature only", async () => {
    const file = fileOf(signedText);
    const { signature, ...rest } = structuredClone(file);
    rest.notebook.title = "Nothing to see";
    const resealed = { ...(await sealNotebook(rest)), signature };
    const result = await verifyNotebookText(serializeNotebook(resealed));
    if (!result.ok) throw new Error("should parse");
    expect(result.manifest.valid).toBe(true);
    expect(result.signature.status).toBe("invalid");
    expect(result.problems.map((p) => p.part)).toEqual(["signature"]);
  });

  it("tells a manifest whose part list was edited", async () => {
    const file = fileOf(signedText);
    const edited = structuredClone(file);
    edited.manifest.parts["notebook.title"] = "0".repeat(64);
    const check = await verifyManifest(edited);
    expect(check.mismatches).toEqual([
      {
        part: 'manifest.parts["notebook.title"]',
        message: "manifest entry for notebook.title was edited (the content matches the digest)",
      },
    ]);
  });

  it("notices a reformatted file whose content is unchanged", async () => {
    const result = await verifyNotebookText(signedText.replace(/\n/g, "\r\n"));
    if (!result.ok) throw new Error("should parse");
    expect(result.manifest.valid).toBe(true);
    expect(result.signature.status).toBe("valid");
    expect(result.form).toMatchObject({ canonical: false, line: 1, column: 2 });
    expect(result.valid).toBe(false);
  });

  it("reads a file an editor saved with a byte-order mark, and says it was reformatted", async () => {
    const result = await verifyNotebookText(`\ufeff${signedText}`);
    expect(result.ok && result.manifest.valid).toBe(true);
    expect(result.ok && result.form).toMatchObject({ canonical: false, line: 1, column: 1 });
  });

  it("fails, naming a part, when any single byte of a signed or unsigned file is flipped", async () => {
    const variants = [
      new TextEncoder().encode(signedText),
      new TextEncoder().encode(serializeNotebook(await sampleNotebook())),
    ];
    const decoder = new TextDecoder("utf-8", { fatal: false });
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 255 }),
        async (variant, where, mask) => {
          const bytes = variants[variant] as Uint8Array;
          const at = Math.floor(where * bytes.length);
          const flipped = bytes.slice();
          flipped[at] = (flipped[at] as number) ^ mask;
          const result = await verifyNotebookText(decoder.decode(flipped));
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            expect(result.errors[0]?.message).toMatch(/\w/);
            expect(result.errors.every((e) => typeof e.path === "string")).toBe(true);
            return;
          }
          expect(result.valid).toBe(false);
          expect(result.problems.length).toBeGreaterThan(0);
          expect(result.problems.every((p) => p.part.length > 0)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("fails on every flip of every byte of a small region (exhaustive)", async () => {
    const bytes = new TextEncoder().encode(signedText);
    const start = signedText.indexOf('"evidence"');
    for (let at = start; at < start + 120; at++) {
      for (const mask of [1, 2, 4, 32, 64, 128]) {
        const flipped = bytes.slice();
        flipped[at] = (flipped[at] as number) ^ mask;
        const result = await verifyNotebookText(new TextDecoder().decode(flipped));
        expect(result.ok === false || result.valid === false).toBe(true);
      }
    }
  });
});
