/**
 * The golden slices fixture written by generate.py: the table the pandas brute force ran on, and
 * the cases it computed. Shared by the table search's tests and the streamed search's.
 */
import { readFileSync } from "node:fs";
import type { NodeEngine } from "../../../engine/node-engine";
import { createFixtureTable, type FixtureColumn } from "../../testing/fixture-engine";

type Json = number | string | boolean | null;

/** A JSON file of this folder. */
export function readSliceTestdata(name: "data.json" | "expected.json"): unknown {
  return JSON.parse(readFileSync(new URL(`./${name}`, import.meta.url), "utf8"));
}

/** Creates the fixture's table as `table` ("NaN" in the JSON is a NaN double). */
export async function createGoldenTable(engine: NodeEngine, table: string): Promise<void> {
  const data = readSliceTestdata("data.json") as {
    columns: Record<string, { type: FixtureColumn["type"]; values: Json[] }>;
  };
  const columns = Object.fromEntries(
    Object.entries(data.columns).map(([n, c]) => [
      n,
      { type: c.type, values: c.values.map((v) => (v === "NaN" ? Number.NaN : v)) } as FixtureColumn,
    ]),
  );
  await createFixtureTable(engine, table, columns);
}
