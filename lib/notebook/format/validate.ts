/**
 * Checks a parsed JSON value against a Spec and reports every problem with the field's path
 * and what was expected: `notebook.cells[2].name: expected a string, found a number (42)`.
 */
import type { JsonValue } from "../../provenance/canonical-json";
import type { FormatError } from "./types";
import { childPath } from "./json-text";
import type { Spec } from "./spec";

/** Stops collecting after this many problems; one broken file should not flood the screen. */
export const MAX_ERRORS = 20;

/** What a spec expects, in words. */
export function expected(spec: Spec): string {
  switch (spec.type) {
    case "string":
      if (spec.enum) return `one of ${spec.enum.map((v) => JSON.stringify(v)).join(", ")}`;
      return spec.hint ? `a string of ${spec.hint}` : "a string";
    case "integer":
      return spec.minimum === 0 ? "a whole number ≥ 0" : "a whole number";
    case "boolean":
      return "true or false";
    case "const":
      return JSON.stringify(spec.value);
    case "array":
      return "an array";
    case "object":
    case "map":
      return "an object";
    case "nullable":
      return `${expected(spec.of)} or null`;
    case "json":
      return "any JSON value";
  }
}

function found(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const shown = JSON.stringify(value);
  const short = shown.length > 40 ? `${shown.slice(0, 37)}…` : shown;
  return `${typeof value === "string" ? "a string" : `a ${typeof value}`} (${short})`;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates `value` against `spec`; returns the problems (empty when it fits). */
export function validate(value: unknown, spec: Spec, path = ""): FormatError[] {
  const errors: FormatError[] = [];
  const report = (at: string, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ path: at, message });
  };
  const mismatch = (at: string, s: Spec, v: unknown) => report(at, `expected ${expected(s)}, found ${found(v)}`);

  const walk = (v: unknown, s: Spec, at: string): void => {
    if (errors.length >= MAX_ERRORS) return;
    switch (s.type) {
      case "string":
        if (typeof v !== "string" || (s.enum && !s.enum.includes(v)) || (s.pattern && !new RegExp(s.pattern).test(v))) {
          mismatch(at, s, v);
        }
        return;
      case "integer":
        if (typeof v !== "number" || !Number.isSafeInteger(v) || (s.minimum !== undefined && v < s.minimum)) {
          mismatch(at, s, v);
        }
        return;
      case "boolean":
        if (typeof v !== "boolean") mismatch(at, s, v);
        return;
      case "const":
        if (v !== s.value) mismatch(at, s, v);
        return;
      case "json":
        return;
      case "nullable":
        if (v !== null) walk(v, s.of, at);
        return;
      case "array":
        if (!Array.isArray(v)) {
          mismatch(at, s, v);
          return;
        }
        v.forEach((item, i) => {
          walk(item, s.items, childPath(at, i));
        });
        return;
      case "map":
        if (!isObject(v)) {
          mismatch(at, s, v);
          return;
        }
        for (const [k, item] of Object.entries(v)) walk(item, s.values, childPath(at, k));
        return;
      case "object": {
        if (!isObject(v)) {
          mismatch(at, s, v);
          return;
        }
        const optional = new Set(s.optional ?? []);
        for (const [k, fieldSpec] of Object.entries(s.properties)) {
          const fieldPath = childPath(at, k);
          if (Object.hasOwn(v, k)) walk(v[k], fieldSpec, fieldPath);
          else if (!optional.has(k)) report(fieldPath, `missing; expected ${expected(fieldSpec)}`);
        }
        for (const k of Object.keys(v)) {
          if (!Object.hasOwn(s.properties, k)) {
            report(childPath(at, k), `unknown field (allowed here: ${Object.keys(s.properties).join(", ")})`);
          }
        }
        return;
      }
    }
  };
  walk(value, spec, path);
  return errors;
}
