/**
 * The fine histogram's bin count comes from the finite counts of scan 1 (`fineBinCount`), and its
 * bin map from the summary's min, max and 6-digit mean and std: DuckDB-WASM (one thread) and native
 * DuckDB (four, so that float sums could differ in their last bits) must choose the same bins, or
 * the two engines would refine different bins and could report W1 differently in its last bits.
 * Checked on the SQL itself: both engines' scan 2 must be the same statement.
 */
import type { Table } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeEngine, type NodeEngine } from "../../engine/node-engine";
import { openWasmEngine, type WasmEngine } from "../../provenance/testing/wasm-engine";
import { WarningLog } from "../warnings";
import { FINE_BINS_MIN, fineBinCount } from "./fine-histogram-sql";
import { numericScans } from "./numeric-scans";

/** Deterministic uniform (0, 1); only `hash` and correctly rounded arithmetic, so both engines hold the same data. */
const u = (k: number) => `((hash(i, ${k}, side) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;

function table(name: string, side: number, rows: number): string {
  return `CREATE OR REPLACE TABLE ${name} AS SELECT
      ${u(1)} + ${u(2)} + ${u(3)} + ${u(4)} - 2 + side * 0.3 AS "bell ä",
      1 / (${u(10)} - 0.5) AS "heavy ""q""",
      CASE WHEN ${u(11)} < 0.02 THEN NULL WHEN ${u(11)} < 0.03 THEN 'nan'::DOUBLE
        ELSE ${u(12)} * ${u(12)} / (1.01 - ${u(13)}) END AS skewed
    FROM (SELECT range AS i, ${side} AS side FROM range(${rows}))`;
}

const COLUMNS = ["bell ä", 'heavy "q"', "skewed"];

describe("fine bins on DuckDB-WASM and native DuckDB", () => {
  let native: NodeEngine;
  let wasm: WasmEngine;

  beforeAll(async () => {
    native = await createNodeEngine({ threads: 4 });
    wasm = await openWasmEngine();
  }, 60_000);

  afterAll(async () => {
    await native?.close();
    wasm?.close();
  });

  for (const rows of [3_000, 90_000]) {
    it(`are the same at ${rows} rows per side`, { timeout: 120_000 }, async () => {
      for (const [name, side] of [
        ["reference", 0],
        ["current", 1],
      ] as const) {
        await native.exec(table(name, side, rows));
        wasm.query(table(name, side, rows));
      }
      const run = async (query: (sql: string) => Promise<Table>) => {
        const sqls: string[] = [];
        const trace: string[] = [];
        await numericScans(
          async (sql) => {
            sqls.push(sql);
            return query(sql);
          },
          {
            reference: "reference",
            current: "current",
            columns: COLUMNS,
            convention: "assay",
            warnings: new WarningLog(),
            trace,
            skip: () => false,
          },
        );
        return { histogram: sqls.find((s) => s.includes("AS dev")), trace };
      };
      const fromNative = await run(native.query);
      const fromWasm = await run(async (sql) => wasm.query(sql));
      expect(fromNative.histogram).toBeDefined();
      expect(fromWasm.histogram).toBe(fromNative.histogram);
      const binsLine = (t: string[]) => t.find((line) => line.startsWith("numeric scan 2"));
      expect(binsLine(fromWasm.trace)).toBe(binsLine(fromNative.trace));
      // The columns without NULL or NaN have 2 · rows finite values; at 90 000 rows that is past the
      // floor, so the count there really follows the rows.
      expect(binsLine(fromNative.trace)).toContain(fineBinCount(2 * rows).toLocaleString("en-US"));
      if (rows === 90_000) expect(fineBinCount(2 * rows)).toBeGreaterThan(FINE_BINS_MIN);
    });
  }
});
