/**
 * A small JSON Schema checker for the keywords docs/cli.schema.json uses: type (with
 * "integer" and "null"), required, properties, items, enum, const, pattern, minimum,
 * allOf, anyOf and local `$ref`s into `$defs`. Used by the tests to hold the --json output
 * to its documented schema without a validator dependency. Returns the problems found.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON Schema (object form). */
export type Schema = { [key: string]: Json };

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === "integer") return typeof value === "number" && Number.isInteger(value);
  return typeOf(value) === type;
}

function resolve(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported: ${ref}`);
  let node: Json = root;
  for (const part of ref.slice(2).split("/")) {
    node = (node as Record<string, Json>)[part] ?? null;
  }
  if (node === null || typeof node !== "object") throw new Error(`unresolved $ref ${ref}`);
  return node as Schema;
}

/** Problems of `value` against `schema` (empty when it conforms). */
export function checkSchema(value: unknown, schema: Schema, root: Schema = schema, path = "$"): string[] {
  if (typeof schema.$ref === "string") return checkSchema(value, resolve(root, schema.$ref), root, path);
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) return [`${path}: expected ${types.join(" | ")}, got ${typeOf(value)}`];
  }
  if ("const" in schema && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as Json)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof schema.pattern === "string" && typeof value === "string" && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${path}: "${value}" does not match ${schema.pattern}`);
  }
  if (typeof schema.minimum === "number" && typeof value === "number" && value < schema.minimum) {
    problems.push(`${path}: ${value} < ${schema.minimum}`);
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) problems.push(...checkSchema(value, part as Schema, root, path));
  }
  if (Array.isArray(schema.anyOf)) {
    const tries = schema.anyOf.map((part) => checkSchema(value, part as Schema, root, path));
    if (!tries.some((t) => t.length === 0)) {
      const best = tries.reduce((a, b) => (b.length < a.length ? b : a));
      problems.push(`${path}: matches no alternative; closest: ${best.join("; ")}`);
    }
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) problems.push(`${path}: missing "${key}"`);
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, sub] of Object.entries(properties)) {
      if (key in object) problems.push(...checkSchema(object[key], sub, root, `${path}.${key}`));
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => {
      problems.push(...checkSchema(item, schema.items as Schema, root, `${path}[${i}]`));
    });
  }
  return problems;
}
