/** Turns a Spec into a JSON Schema (draft 2020-12); docs/notebook.schema.json is its output. */
import type { JsonValue } from "../../provenance/canonical-json";
import { NOTEBOOK_SPEC, type Spec } from "./spec";

export function toJsonSchema(spec: Spec): { [key: string]: JsonValue } {
  const described = (schema: { [key: string]: JsonValue }) =>
    spec.description ? { description: spec.description, ...schema } : schema;
  switch (spec.type) {
    case "string":
      return described({
        type: "string",
        ...(spec.enum ? { enum: [...spec.enum] } : {}),
        ...(spec.pattern ? { pattern: spec.pattern } : {}),
      });
    case "integer":
      return described({
        type: "integer",
        ...(spec.minimum !== undefined ? { minimum: spec.minimum } : {}),
        // The validator accepts only integers a double holds exactly.
        maximum: Number.MAX_SAFE_INTEGER,
      });
    case "boolean":
      return described({ type: "boolean" });
    case "const":
      return described({ const: spec.value });
    case "array":
      return described({ type: "array", items: toJsonSchema(spec.items) });
    case "map":
      return described({ type: "object", additionalProperties: toJsonSchema(spec.values) });
    case "nullable":
      return described({ anyOf: [toJsonSchema(spec.of), { type: "null" }] });
    case "json":
      return described({});
    case "object": {
      const optional = new Set(spec.optional ?? []);
      return described({
        type: "object",
        properties: Object.fromEntries(Object.entries(spec.properties).map(([k, s]) => [k, toJsonSchema(s)])),
        required: Object.keys(spec.properties).filter((k) => !optional.has(k)),
        additionalProperties: false,
      });
    }
  }
}

/** The full JSON Schema of the notebook file. */
export function notebookJsonSchema(): { [key: string]: JsonValue } {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Assay notebook file",
    ...toJsonSchema(NOTEBOOK_SPEC),
  };
}
