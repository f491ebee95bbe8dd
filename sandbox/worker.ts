/**
 * Runs one TypeScript cell inside the sandbox: a dedicated worker started by the sandbox frame
 * (an opaque-origin iframe whose CSP forbids every connection; the worker inherits it). The
 * frame starts a fresh worker for every run and terminates it to interrupt. Nothing here is
 * trusted by the app: every message is checked on arrival (lib/sandbox/protocol).
 */
import * as Plot from "@observablehq/plot";
import * as arrow from "apache-arrow";
import { transform } from "sucrase";
import * as audit from "../lib/audit";
import { MiniDocument, MiniElement } from "../lib/sandbox/mini-dom";
import type { Comparator, FromSandbox, PlotPart, SqlValue, ToSandbox, TsOutput } from "../lib/sandbox/protocol";

const send = self.postMessage.bind(self) as (message: FromSandbox) => void;
let runId = "";
let nextReq = 0;
const pending = new Map<number, { resolve(t: arrow.Table): void; reject(e: Error): void }>();

/** Plot draws into a small DOM of its own (a worker has none); outputs travel as SVG text. */
const miniDocument = new MiniDocument();
const plot = (options: Plot.PlotOptions = {}) => Plot.plot({ document: miniDocument as never, ...options });
// `mark.plot()` calls Plot's own plot() without our document.
(Plot.Mark.prototype as unknown as { plot(o?: Plot.PlotOptions): unknown }).plot = function (
  this: Plot.Markish,
  { marks = [], ...options }: Plot.PlotOptions = {},
) {
  return plot({ ...options, marks: [marks, this] });
};
const PlotApi = { ...Plot, plot };

function isSqlIdentifier(v: unknown): v is { $identifier: string } {
  return typeof v === "object" && v !== null && typeof (v as { $identifier?: unknown }).$identifier === "string";
}

function runSql(strings: readonly string[], values: unknown[]): Promise<arrow.Table> {
  for (const v of values) {
    const ok =
      v === null ||
      v === undefined ||
      ["string", "number", "bigint", "boolean"].includes(typeof v) ||
      v instanceof Date ||
      Array.isArray(v) ||
      isSqlIdentifier(v);
    if (!ok) return Promise.reject(new Error(`sql\`\` cannot interpolate ${Object.prototype.toString.call(v)}.`));
  }
  nextReq += 1;
  const reqId = nextReq;
  return new Promise((resolve, reject) => {
    pending.set(reqId, { resolve, reject });
    send({ type: "sql", runId, reqId, strings: [...strings], values: values as SqlValue[] });
  });
}

/** `sql\`SELECT … WHERE x > ${v}\``: values become literals app-side, never SQL text. */
function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<arrow.Table> {
  return runSql(strings, values);
}
sql.identifier = (name: string) => ({ $identifier: String(name) });
/** Rows as plain objects. */
sql.rows = async (strings: TemplateStringsArray, ...values: unknown[]) =>
  (await runSql(strings, values)).toArray().map((r) => r.toJSON() as Record<string, unknown>);
/** A QueryFn for the lib/audit functions (raw SQL text, as in a SQL cell). */
const query = (text: string) => runSql([text], []);

const TABLE_PREVIEW_ROWS = 1000;

function isRowArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((r) => typeof r === "object" && r !== null && !Array.isArray(r));
}

function toTable(value: unknown): arrow.Table | null {
  if (value instanceof arrow.Table) return value;
  if (isRowArray(value)) return arrow.tableFromJSON(value);
  return null;
}

function plotParts(el: MiniElement, parts: PlotPart[] = []): PlotPart[] {
  if (el.localName === "svg") {
    const width = Number(el.getAttribute("width") ?? 0);
    const height = Number(el.getAttribute("height") ?? 0);
    parts.push({ kind: "svg", markup: el.outerHTML, width, height });
    return parts;
  }
  if (el.localName === "style") return parts;
  for (const child of el.childNodes) {
    if (child instanceof MiniElement) plotParts(child, parts);
    else {
      const text = (child as { data?: string }).data?.trim();
      if (text) parts.push({ kind: "text", text });
    }
  }
  return parts;
}

const jsonReplacer = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);

function encode(value: unknown): TsOutput {
  if (value instanceof MiniElement) return { kind: "plot", parts: plotParts(value) };
  const table = toTable(value);
  if (table) {
    return {
      kind: "table",
      ipc: arrow.tableToIPC(table.slice(0, TABLE_PREVIEW_ROWS), "stream"),
      rowCount: table.numRows,
    };
  }
  if (value === undefined) return { kind: "text", text: "undefined" };
  if (value === null || ["string", "number", "boolean", "bigint"].includes(typeof value)) {
    return { kind: "text", text: String(value) };
  }
  if (value instanceof Error) return { kind: "text", text: `${value.name}: ${value.message}` };
  let text: string;
  try {
    text = JSON.stringify(value, jsonReplacer, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return { kind: "json", text: text.length > 20_000 ? `${text.slice(0, 20_000)}…` : text };
}

function display(value: unknown): void {
  send({ type: "display", runId, output: encode(value) });
}

const COMPARATORS = new Set(["<", "<=", ">", ">=", "="]);

function check(name: string, value: number | null, threshold: number, comparator: Comparator = ">="): void {
  if (!COMPARATORS.has(comparator)) throw new Error(`invalid comparator: ${comparator}`);
  if (typeof threshold !== "number" || !Number.isFinite(threshold)) throw new Error(`invalid threshold: ${threshold}`);
  const v = value === null || value === undefined ? null : Number(value);
  send({ type: "check", runId, check: { name: String(name), value: v, threshold, comparator } });
}

const console_ = {
  log: (...args: unknown[]) =>
    display(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a, jsonReplacer))).join(" ")),
};

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

const NOT_IN_SANDBOX = (what: string) => () => {
  throw new Error(`${what} is not available in a TypeScript cell: it runs without network or storage.`);
};

/**
 * Defence in depth under the frame's CSP (which Chromium does not apply to every request a
 * blob worker makes: synchronous XHR and dynamic import() still reached the network in
 * tests): the worker's network and code-loading APIs are removed before cell code runs, and
 * code can no longer be made from strings (which could hold an `import()`). Static and dynamic
 * imports in the cell itself are compiled to `require`, which refuses.
 */
function lockDown(): void {
  const scope = self as unknown as Record<string, unknown>;
  for (const name of [
    "fetch",
    "XMLHttpRequest",
    "WebSocket",
    "EventSource",
    "WebTransport",
    "importScripts",
    "Worker",
    "SharedWorker",
    "Request",
  ]) {
    for (let o: object | null = scope; o; o = Object.getPrototypeOf(o)) {
      if (Object.getOwnPropertyDescriptor(o, name)?.configurable) delete (o as Record<string, unknown>)[name];
    }
    Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false });
  }
  const noEval = NOT_IN_SANDBOX("Running code from a string");
  for (const fn of [() => {}, async () => {}, function* () {}, async function* () {}]) {
    Object.defineProperty(Object.getPrototypeOf(fn), "constructor", {
      value: noEval,
      writable: false,
      configurable: false,
    });
  }
  Object.defineProperty(scope, "eval", { value: noEval, writable: false, configurable: false });
  Object.defineProperty(scope, "Function", { value: noEval, writable: false, configurable: false });
  for (const timer of ["setTimeout", "setInterval"] as const) {
    const real = self[timer].bind(self) as (handler: unknown, ms?: number, ...args: unknown[]) => number;
    Object.defineProperty(scope, timer, {
      value: (handler: unknown, ms?: number, ...args: unknown[]) =>
        typeof handler === "function" ? real(handler, ms, ...args) : noEval(),
      writable: false,
      configurable: false,
    });
  }
}

/** The V8 function wrapper adds two lines before the cell's first line. */
const WRAPPER_LINES = 2;

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = /<anonymous>:(\d+):(\d+)/.exec(error.stack ?? "");
  const line = at ? Number(at[1]) - WRAPPER_LINES : null;
  return `${error.name}: ${error.message}${line && line > 0 ? ` (line ${line})` : ""}`;
}

async function run(code: string): Promise<void> {
  let js: string;
  try {
    js = transform(code, { transforms: ["typescript", "imports"], disableESTransforms: true }).code;
  } catch (error) {
    send({ type: "failed", runId, message: `Could not compile: ${error instanceof Error ? error.message : error}` });
    return;
  }
  try {
    const fn = new AsyncFunction(
      "sql",
      "display",
      "check",
      "Plot",
      "arrow",
      "audit",
      "query",
      "console",
      "require",
      "exports",
      js,
    );
    lockDown();
    const value = await fn(sql, display, check, PlotApi, arrow, audit, query, console_, NOT_IN_SANDBOX("import"), {});
    const table = toTable(value);
    send({
      type: "done",
      runId,
      ...(value !== undefined ? { value: encode(value) } : {}),
      ...(table ? { table: arrow.tableToIPC(table, "stream") } : {}),
    });
  } catch (error) {
    send({ type: "failed", runId, message: describeError(error) });
  }
}

self.addEventListener("message", (event: MessageEvent<ToSandbox>) => {
  const msg = event.data;
  if (msg.type === "run") {
    runId = msg.runId;
    void run(msg.code);
  } else if (msg.type === "sql-result" && msg.runId === runId) {
    const waiter = pending.get(msg.reqId);
    pending.delete(msg.reqId);
    if (!waiter) return;
    if (msg.error !== undefined || !msg.ipc) waiter.reject(new Error(msg.error ?? "The query returned nothing."));
    else waiter.resolve(arrow.tableFromIPC(msg.ipc));
  }
});
