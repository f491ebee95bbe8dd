/**
 * The notebook file's shape as data. The validator (validate.ts) walks it to check a parsed
 * file, and json-schema.ts turns it into docs/notebook.schema.json, so the two cannot disagree.
 */

/** A described shape; `hint` is how a pattern is explained in an error message. */
export type Spec = { description?: string } & (
  | { type: "string"; pattern?: string; hint?: string; enum?: readonly string[] }
  | { type: "integer"; minimum?: number }
  | { type: "boolean" }
  | { type: "const"; value: string | number }
  | { type: "array"; items: Spec }
  | { type: "object"; properties: Record<string, Spec>; optional?: readonly string[] }
  | { type: "map"; values: Spec }
  | { type: "nullable"; of: Spec }
  | { type: "json" }
);

const HEX64 = { type: "string", pattern: "^[0-9a-f]{64}$", hint: "64 lower-case hex digits (a SHA-256)" } as const;
const DATE_TIME = {
  type: "string",
  pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$",
  hint: "an ISO-8601 UTC time such as 2025-01-31T12:00:00.000Z",
} as const;
const COUNT = { type: "integer", minimum: 0 } as const;
const VERDICT_STATUS = { type: "string", enum: ["pass", "warn", "fail", "error"] } as const;
const COLUMNS: Spec = {
  type: "array",
  items: {
    type: "object",
    properties: { name: { type: "string" }, type: { type: "string", description: "The engine's type name." } },
  },
};

export const NOTEBOOK_SPEC: Spec = {
  type: "object",
  description: "An Assay notebook file, format version 1 (docs/notebook-format.md).",
  properties: {
    format: { type: "const", value: "assay-notebook" },
    version: { type: "const", value: 1 },
    createdAt: { ...DATE_TIME, description: "When the file was written." },
    app: { type: "object", properties: { name: { type: "string" }, version: { type: "string" } } },
    engine: {
      type: "object",
      properties: {
        name: { type: "const", value: "duckdb" },
        version: { type: "string", description: "DuckDB version the results were computed with." },
        nativeVersion: { type: "string", description: "Native DuckDB version, when run by the CLI." },
      },
      optional: ["nativeVersion"],
    },
    notebook: {
      type: "object",
      properties: {
        title: { type: "string" },
        cells: {
          type: "array",
          items: {
            type: "object",
            properties: {
              id: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", hint: "1-64 letters, digits, _ or -" },
              kind: { type: "string", pattern: "^[a-z][a-z0-9_-]*$", hint: 'a lower-case word such as "sql"' },
              name: { type: "string" },
              source: { type: "string", description: "Cell text with \\n line ends." },
              params: { type: "map", values: { type: "json" }, description: "Parameters of a check cell." },
            },
            optional: ["params"],
          },
        },
        datasets: {
          type: "array",
          items: {
            type: "object",
            properties: {
              name: { type: "string", description: "Table name the cells query." },
              fileName: { type: "string", description: "Name of the original file." },
              format: { type: "string" },
              sizeBytes: COUNT,
              rows: COUNT,
              columns: COLUMNS,
              sha256: { ...HEX64, description: "SHA-256 of the file's bytes." },
              streamed: {
                type: "boolean",
                description:
                  "Streamed (read row group by row group) instead of loaded: SQL cannot read it; every check family reads it (docs/notebook-format.md).",
              },
            },
            optional: ["streamed"],
          },
        },
      },
    },
    results: {
      type: "map",
      description: "Last result of each cell, by cell id.",
      values: {
        type: "object",
        properties: {
          resultHash: HEX64,
          ordered: { type: "boolean" },
          rowCount: COUNT,
          columns: COLUMNS,
          summary: { type: "array", items: { type: "array", items: { type: "json" } } },
          verdicts: {
            type: "array",
            items: {
              type: "object",
              properties: { label: { type: "string" }, status: VERDICT_STATUS, detail: { type: "json" } },
              optional: ["detail"],
            },
          },
          ranAt: DATE_TIME,
          engineVersion: { type: "string" },
        },
        optional: ["verdicts"],
      },
    },
    evidence: {
      type: "array",
      description: "Hash-chained log of check runs.",
      items: {
        type: "object",
        properties: {
          at: DATE_TIME,
          cellId: { type: "string" },
          cellName: { type: "string" },
          inputs: {
            type: "array",
            items: { type: "object", properties: { name: { type: "string" }, sha256: HEX64 } },
          },
          verdict: { type: "nullable", of: VERDICT_STATUS },
          resultHash: HEX64,
          prev: HEX64,
          hash: HEX64,
        },
      },
    },
    manifest: {
      type: "object",
      properties: {
        algorithm: { type: "const", value: "sha-256" },
        canonicalization: { type: "const", value: "assay-jcs-1" },
        digest: HEX64,
        parts: { type: "map", values: HEX64 },
      },
    },
    signature: {
      type: "object",
      properties: {
        algorithm: { type: "string", enum: ["ECDSA-P256-SHA256", "Ed25519"] },
        publicKeyJwk: {
          type: "object",
          properties: {
            kty: { type: "string", enum: ["EC", "OKP"] },
            crv: { type: "string", enum: ["P-256", "Ed25519"] },
            x: { type: "string", pattern: "^[A-Za-z0-9_-]+$", hint: "base64url" },
            y: { type: "string", pattern: "^[A-Za-z0-9_-]+$", hint: "base64url" },
          },
          optional: ["y"],
        },
        fingerprint: HEX64,
        value: { type: "string", pattern: "^[A-Za-z0-9_-]+$", hint: "base64url" },
      },
    },
  },
  optional: ["signature"],
};
