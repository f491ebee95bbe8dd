import { describe, expect, it } from "vitest";
import { sampleNotebook } from "../../provenance/testing/sample-notebook";
import { parseJsonText } from "./json-text";
import { parseNotebook } from "./parse";
import { serializeNotebook } from "./serialize";
import type { AssayNotebookFile } from "./types";

type Mutable = Record<string, unknown> & { notebook: { cells: Record<string, unknown>[] } };

async function sampleRaw(): Promise<Mutable> {
  return JSON.parse(serializeNotebook(await sampleNotebook())) as Mutable;
}

function errorsOf(text: string) {
  const result = parseNotebook(text);
  if (result.ok) throw new Error("expected the file to be rejected");
  return result.errors;
}

describe("serializeNotebook / parseNotebook", () => {
  it("round-trips losslessly", async () => {
    const file = await sampleNotebook();
    const text = serializeNotebook(file);
    const parsed = parseNotebook(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.file).toEqual(file);
    expect(serializeNotebook(parsed.file)).toBe(text);
  });

  it("writes sorted keys, two-space indent, \\n line ends in sources and one final newline", async () => {
    const file = await sampleNotebook();
    const text = serializeNotebook(file);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text.startsWith('{\n  "app": {')).toBe(true);
    expect(file.notebook.cells[0]?.source).toBe('SELECT label, avg("score é")\nFROM preds\nGROUP BY 1');
    expect(text).not.toContain("\\r");
  });

  it("carries any cell kind and any JSON params through", async () => {
    const raw = await sampleRaw();
    raw.notebook.cells[2] = { ...raw.notebook.cells[2], kind: "future-kind", params: { deep: [{ x: [null, true] }] } };
    const result = parseNotebook(JSON.stringify(raw));
    expect(result.ok && result.file.notebook.cells[2]).toMatchObject({
      kind: "future-kind",
      params: { deep: [{ x: [null, true] }] },
    });
  });
});

describe("parseNotebook on malformed files", () => {
  it("names a missing field and the expected type", async () => {
    const raw = await sampleRaw();
    delete raw.notebook.cells[2]?.name;
    expect(errorsOf(JSON.stringify(raw))).toEqual([
      { path: "notebook.cells[2].name", message: "missing; expected a string" },
    ]);
  });

  it("names a field of the wrong type and shows the value", async () => {
    const raw = await sampleRaw();
    (raw.notebook as unknown as { datasets: Record<string, unknown>[] }).datasets[0]!.sizeBytes = "12";
    expect(errorsOf(JSON.stringify(raw))).toEqual([
      { path: "notebook.datasets[0].sizeBytes", message: 'expected a whole number ≥ 0, found a string ("12")' },
    ]);
  });

  it("names a malformed digest, an unknown field and a bad verdict", async () => {
    const raw = await sampleRaw();
    (raw.manifest as { digest: string }).digest = "XYZ";
    raw.notebook.cells[0]!.nmae = "typo";
    (raw.results as { c3: { verdicts: { status: string }[] } }).c3.verdicts[0]!.status = "ok";
    const errors = errorsOf(JSON.stringify(raw));
    expect(errors.map((e) => e.path).sort()).toEqual([
      "manifest.digest",
      "notebook.cells[0].nmae",
      "results.c3.verdicts[0].status",
    ]);
    expect(errors.find((e) => e.path === "manifest.digest")?.message).toMatch(/64 lower-case hex digits/);
    expect(errors.find((e) => e.path === "notebook.cells[0].nmae")?.message).toMatch(
      /unknown field \(allowed here: id, kind, name, source, params\)/,
    );
    expect(errors.find((e) => e.path.endsWith("status"))?.message).toMatch(/one of "pass", "warn", "fail", "error"/);
  });

  it("explains text that is not JSON, with line and column", () => {
    expect(errorsOf("hello")).toEqual([
      { path: "", message: 'not valid JSON: unexpected "h", expected a value (line 1, column 1)' },
    ]);
    expect(errorsOf("")[0]?.message).toMatch(/the end of the file/);
    expect(errorsOf("[1, 2]")[0]?.message).toMatch(/expected a JSON object/);
  });

  it("names the field being read when the file is truncated", async () => {
    const text = serializeNotebook(await sampleNotebook());
    const cut = text.slice(0, text.indexOf("ünïcode") + 3);
    const [error] = errorsOf(cut);
    expect(error?.path).toBe("notebook.cells[1].source");
    expect(error?.message).toMatch(/unterminated string \(the file may be truncated\) \(line \d+, column \d+\)/);
    const cut2 = text.slice(0, text.indexOf('"evidence"') + 20);
    expect(errorsOf(cut2)[0]?.path).toMatch(/^evidence/);
  });

  it("rejects duplicated keys, naming them", () => {
    expect(parseJsonText('{"a": {"b": 1, "b": 2}}')).toMatchObject({
      ok: false,
      error: { path: "a.b", message: "field appears twice" },
    });
  });

  it("says when a file comes from a newer Assay", async () => {
    const raw = await sampleRaw();
    raw.version = 2;
    expect(errorsOf(JSON.stringify(raw))).toEqual([
      {
        path: "version",
        message:
          "this notebook uses format version 2, and this version of Assay reads versions up to 1: open it with a newer Assay",
      },
    ]);
  });

  it("rejects other files and unsupported old versions", async () => {
    expect(errorsOf('{"cells": []}')[0]).toMatchObject({
      path: "format",
      message: expect.stringMatching(/not an Assay notebook/),
    });
    const raw = await sampleRaw();
    raw.version = 0;
    expect(errorsOf(JSON.stringify(raw))[0]).toMatchObject({
      path: "version",
      message: expect.stringMatching(/version 0 is not supported/),
    });
  });

  it("runs migrations from older versions", async () => {
    const raw = await sampleRaw();
    const { notebook, ...rest } = raw;
    const v0 = { ...rest, version: 0, doc: notebook };
    const result = parseNotebook(JSON.stringify(v0), {
      migrations: { 0: ({ doc, ...others }) => ({ ...others, version: 1, notebook: doc ?? null }) },
    });
    expect(result.ok && result.file.notebook).toEqual(raw.notebook);
  });

  it("cross-checks ids, result owners and summary widths", async () => {
    const raw = await sampleRaw();
    raw.notebook.cells[1]!.id = "c1";
    const results = raw.results as Record<string, { summary: unknown[][] }>;
    results.c3!.summary[0] = ["auc"];
    const errors = errorsOf(JSON.stringify(raw));
    expect(errors).toContainEqual({ path: "notebook.cells[1].id", message: '"c1" is used by two cells' });
    expect(errors).toContainEqual({
      path: "results.c3.summary[0]",
      message: "expected 2 values (one per column), found 1",
    });
  });

  it("never throws, whatever the text", async () => {
    const text = serializeNotebook((await sampleNotebook()) as AssayNotebookFile);
    for (let n = 0; n < text.length; n += 97) expect(() => parseNotebook(text.slice(0, n))).not.toThrow();
  });
});
