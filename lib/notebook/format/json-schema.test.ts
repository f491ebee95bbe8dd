import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { notebookJsonSchema } from "./json-schema";

const SCHEMA_PATH = fileURLToPath(new URL("../../../docs/notebook.schema.json", import.meta.url));

describe("docs/notebook.schema.json", () => {
  it("is the schema the validator is built from (UPDATE_SCHEMA=1 rewrites it)", () => {
    const generated = `${JSON.stringify(notebookJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(SCHEMA_PATH, generated);
    expect(readFileSync(SCHEMA_PATH, "utf8")).toBe(generated);
  });

  it("requires the top-level fields and forbids unknown ones", () => {
    const schema = notebookJsonSchema() as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual([
      "format",
      "version",
      "createdAt",
      "app",
      "engine",
      "notebook",
      "results",
      "evidence",
      "manifest",
    ]);
    expect(schema.additionalProperties).toBe(false);
  });
});
