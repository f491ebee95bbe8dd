/**
 * Messages between the app, the sandbox frame (an opaque-origin iframe) and the worker inside
 * it that runs a TypeScript cell. Everything here is plain structured-cloneable data; Arrow
 * tables cross as IPC stream bytes.
 */

/** A value interpolated into the `sql` tag. Identifiers are marked, everything else is a value. */
export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Date
  | { $identifier: string }
  | SqlValue[];

/** What a cell shows. */
export type TsOutput =
  | { kind: "text"; text: string }
  | { kind: "json"; text: string }
  | { kind: "table"; ipc: Uint8Array; rowCount: number }
  | { kind: "plot"; parts: PlotPart[] };

/** A plot as SVG documents and the text (title, legend labels) around them. */
export type PlotPart = { kind: "svg"; markup: string; width: number; height: number } | { kind: "text"; text: string };

export type Comparator = "<" | "<=" | ">" | ">=" | "=";

/** A verdict a TypeScript cell produced with `check(name, value, threshold, comparator)`. */
export interface TsCheck {
  name: string;
  value: number | null;
  threshold: number;
  comparator: Comparator;
}

/** From the app to the frame (and on to the worker). */
export type ToSandbox =
  | { type: "run"; runId: string; code: string; cellName: string }
  | { type: "sql-result"; runId: string; reqId: number; ipc?: Uint8Array; error?: string };

/** From the worker (through the frame) to the app. */
export type FromSandbox =
  | { type: "ready" }
  | { type: "sql"; runId: string; reqId: number; strings: string[]; values: SqlValue[] }
  | { type: "display"; runId: string; output: TsOutput }
  | { type: "check"; runId: string; check: TsCheck }
  | { type: "done"; runId: string; value?: TsOutput; table?: Uint8Array }
  | { type: "failed"; runId: string; message: string };

const TYPES = new Set(["ready", "sql", "display", "check", "done", "failed"]);

/** True when `data` has the shape of a message from the sandbox (it is untrusted input). */
export function isFromSandbox(data: unknown): data is FromSandbox {
  if (typeof data !== "object" || data === null) return false;
  const d = data as { type?: unknown; runId?: unknown };
  return typeof d.type === "string" && TYPES.has(d.type) && (d.type === "ready" || typeof d.runId === "string");
}
