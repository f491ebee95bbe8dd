/**
 * The claim of `lib/audit`: the same code gives the same numbers on DuckDB-WASM (the browser) and on
 * native DuckDB (the CLI). Both engines run the whole standard audit here on the same generated
 * data, native with 4 threads so that any result depending on thread scheduling shows up. Counts,
 * verdicts and exact statistics must be identical; floating results may differ by rounding (a sum
 * over rows added in another order, e.g. calibration's ECE), so numbers, also those quoted in
 * traces, are compared to 1e-9 relative.
 *
 * The data is large enough (60k rows a side) for the fine histogram, sampled profiles and the
 * blocked slice counts to take their large-input paths.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../engine/node-engine";
import { openWasmEngine, type WasmEngine } from "../provenance/testing/wasm-engine";
import { runBinaryPerformance } from "./performance";
import { runStandardAudit, type StandardAuditSpec } from "./standard-audit";

const ROWS = 60_000;

/**
 * Deterministic uniform (0, 1) from (row, stream). Only `hash` and correctly rounded arithmetic
 * (+ − × ÷ √) make the data: exp, ln, tan and cos may differ in the last bit between the two
 * engines' math libraries, which would make the data differ, not the audit.
 */
const u = (k: number) => `((hash(i, ${k}, side) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
/** Irwin–Hall: a bell-shaped value with mean 0. */
const bell = (k: number) => `(${u(k)} + ${u(k + 1)} + ${u(k + 2)} + ${u(k + 3)} - 2)`;

function table(name: string, side: number): string {
  return `CREATE TABLE ${name} AS SELECT
      ${bell(1)} + side * 0.3 AS "f ä",
      1 / (${u(10)} - 0.5) AS "heavy ""q""",
      CASE WHEN ${u(11)} < 0.02 THEN NULL WHEN ${u(11)} < 0.03 THEN 'nan'::DOUBLE
        ELSE ${u(12)} * ${u(12)} / (1.01 - ${u(13)}) END AS skewed,
      floor(${u(14)} * 30)::INTEGER AS small_int,
      ['a', 'b', 'c', 'd'][1 + floor(${u(15)} * (4 - side))::INTEGER] AS cat,
      CASE WHEN ${u(16)} < 0.5 THEN 'f' ELSE 'm' END AS sex,
      ['18-30', '31-50', '51+'][1 + floor(${u(17)} * 3)::INTEGER] AS age_band,
      0.5 + 0.5 * s / (1 + abs(s)) AS score,
      (${u(20)} < 0.5 + 0.5 * s * 1.2 / (1 + abs(s * 1.2)))::INTEGER AS label,
      20 + 5 / (${u(21)} + 0.01) AS latency_ms
    FROM (SELECT i, side, ${bell(30)} * 2 + 0.8 * ${bell(1)} AS s
      FROM (SELECT range AS i, ${side} AS side FROM range(${ROWS})))`;
}

/** Fields that measure time, not data. */
const VOLATILE = new Set(["timings", "elapsedMs", "ms"]);

/** Every leaf of a result, with its path. */
function leaves(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) leaves(v, `${path}[${i}]`, out);
  } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) if (!VOLATILE.has(k)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, typeof value === "bigint" ? Number(value) : value);
  return out;
}

const close = (a: number, b: number) =>
  a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

/** Texts (traces, reasons) quote floats: the same words, and numbers within 1e-9. */
function sameText(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.replace(NUMBER, "#") !== b.replace(NUMBER, "#")) return false;
  const x = a.match(NUMBER) ?? [];
  const y = b.match(NUMBER) ?? [];
  return x.length === y.length && x.every((v, i) => close(Number(v), Number(y[i])));
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return close(a, b);
  if (typeof a === "string" && typeof b === "string") return sameText(a, b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

describe("the standard audit on DuckDB-WASM and native DuckDB", () => {
  let native: NodeEngine;
  let wasm: WasmEngine;

  beforeAll(async () => {
    native = await createNodeEngine({ threads: 4 });
    wasm = await openWasmEngine();
    for (const [name, side] of [
      ["reference", 0],
      ["current", 1],
    ] as const) {
      await native.exec(table(name, side));
      wasm.query(table(name, side));
    }
  }, 60_000);

  afterAll(async () => {
    await native?.close();
    wasm?.close();
  });

  it("gives the same results", { timeout: 120_000 }, async () => {
    const spec: StandardAuditSpec = {
      reference: "reference",
      current: "current",
      label: "label",
      score: "score",
      groups: ["sex", "age_band"],
      slices: true,
    };
    const fromNative = leaves(await runStandardAudit(native.query, spec));
    const fromWasm = leaves(await runStandardAudit(async (sql) => wasm.query(sql), spec));
    expect([...fromWasm.keys()]).toEqual([...fromNative.keys()]);
    const differing: string[] = [];
    for (const [path, a] of fromNative) {
      const b = fromWasm.get(path);
      if (!same(a, b)) differing.push(`${path}: native ${String(a)}, wasm ${String(b)}`);
    }
    expect(differing).toEqual([]);
    // The large-input paths ran (or this test proves less than it says).
    const trace = [...fromNative.entries()].filter(([p]) => p.includes("trace")).map(([, v]) => String(v));
    expect(trace.some((line) => line.includes("fine histogram"))).toBe(true);
  });

  it("gives the same binary performance in score ranges (the path above 4M rows)", { timeout: 60_000 }, async () => {
    const spec = {
      source: "current",
      label: "label",
      score: "score",
      ranking: "partitioned",
      partitionRows: 7_000,
    } as const;
    const fromNative = leaves(await runBinaryPerformance(native.query, spec));
    const fromWasm = leaves(await runBinaryPerformance(async (sql) => wasm.query(sql), spec));
    expect(fromNative.get("trace.parameters.scoreRanges")).toBeGreaterThanOrEqual(8);
    expect([...fromWasm.keys()]).toEqual([...fromNative.keys()]);
    const differing = [...fromNative].filter(([path, a]) => !same(a, fromWasm.get(path))).map(([path]) => path);
    expect(differing).toEqual([]);
    expect(fromWasm.get("rocAuc")).toBe(fromNative.get("rocAuc"));
  });
});
