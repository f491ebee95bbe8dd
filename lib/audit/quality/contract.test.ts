import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { type Contract, runContract } from "./contract";
import { compareSchemas, diffSchemas } from "./schema-diff";

type Json = number | string | boolean | null;

function decode(v: Json): Json {
  if (v === "NaN") return Number.NaN;
  if (v === "Infinity") return Number.POSITIVE_INFINITY;
  if (v === "-Infinity") return Number.NEGATIVE_INFINITY;
  return v;
}

const golden = JSON.parse(readFileSync(new URL("./testdata/contract.json", import.meta.url), "utf8")) as {
  rows: number;
  columns: Record<string, { type: FixtureColumn["type"]; values: Json[] }>;
  contract: Contract;
  key: string;
  expected: {
    violations: {
      column: string;
      rule: string;
      count: number;
      examples: { row: number; key: string; value: Json }[];
    }[];
  };
};

describe("data contracts", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    const columns = Object.fromEntries(
      Object.entries(golden.columns).map(([n, c]) => [
        n,
        { type: c.type, values: c.values.map(decode) } as FixtureColumn,
      ]),
    );
    await createFixtureTable(engine, "orders", columns);
    await createFixtureTable(engine, "empty", { x: { type: "DOUBLE", values: [] } });
  });
  afterAll(() => engine.close());

  it("matches pandas counts and example rows for every rule", async () => {
    const result = await runContract(engine.query, { source: "orders", contract: golden.contract, key: golden.key });
    expect(result.rows).toBe(golden.rows);
    expect(result.violations.map((v) => [v.column, v.rule, v.count])).toEqual(
      golden.expected.violations.map((v) => [v.column, v.rule, v.count]),
    );
    result.violations.forEach((v, i) => {
      const e = golden.expected.violations[i];
      if (!e) throw new Error("missing expectation");
      expect(v.examples.map((x) => x.row)).toEqual(e.examples.map((x) => x.row));
      expect(v.examples.map((x) => x.key)).toEqual(e.examples.map((x) => x.key));
      v.examples.forEach((x, j) => {
        const ev = decode(e.examples[j]?.value ?? null);
        if (typeof ev === "number") expect(Number(x.value)).toEqual(ev);
        else expect(x.value).toEqual(ev);
      });
    });
    expect(result.totalViolations).toBe(golden.expected.violations.reduce((s, v) => s + v.count, 0));
    expect(result.passed).toBe(false);
  });

  it("passes a contract the data meets, and reports a missing column as a violation", async () => {
    const ok = await runContract(engine.query, {
      source: "orders",
      contract: { columns: { code: { type: "integer", notNull: true, min: 1, max: 7, allowed: [1, 2, 3, 7] } } },
    });
    expect(ok.passed).toBe(true);
    expect(ok.violations).toEqual([]);
    const missing = await runContract(engine.query, { source: "orders", contract: { columns: { nope: {} } } });
    expect(missing.violations).toMatchObject([{ column: "nope", rule: "exists", count: 1 }]);
  });

  it("caps examples at exampleLimit and warns when a range rule meets a string column", async () => {
    const result = await runContract(engine.query, {
      source: "orders",
      contract: { columns: { "amount $": { min: 0 }, "sta'tus": { max: 3 } } },
      exampleLimit: 2,
    });
    expect(result.violations[0]?.examples).toHaveLength(2);
    expect(result.violations[0]?.examples[0]).not.toHaveProperty("key");
    expect(result.warnings.map((w) => w.code)).toEqual(["rule-not-evaluated"]);
  });

  it("rejects bad options and an empty table", async () => {
    await expect(
      runContract(engine.query, { source: "orders", contract: { columns: { code: { min: 5, max: 1 } } } }),
    ).rejects.toMatchObject({ problem: "invalid-option", column: "code" });
    await expect(
      runContract(engine.query, { source: "orders", contract: { columns: { code: { allowed: ["a"] } } } }),
    ).rejects.toMatchObject({ problem: "invalid-option" });
    await expect(
      runContract(engine.query, { source: "orders", contract: { columns: {} }, exampleLimit: -1 }),
    ).rejects.toMatchObject({ problem: "invalid-option" });
    await expect(
      runContract(engine.query, { source: "orders", contract: { columns: {} }, key: "ID" }),
    ).rejects.toMatchObject({ problem: "missing-column" });
    await expect(
      runContract(engine.query, { source: "empty", contract: { columns: { x: { notNull: true } } } }),
    ).rejects.toMatchObject({ problem: "empty-table" });
  });
});

describe("schema diff", () => {
  it("finds added, removed, retyped and unchanged columns", async () => {
    const engine = await openFixtureEngine();
    await engine.exec(`CREATE TABLE ref ("a b" INTEGER, "ü" VARCHAR, gone DOUBLE, same BOOLEAN)`);
    await engine.exec(`CREATE TABLE cur (same BOOLEAN, "a b" BIGINT, "ü" VARCHAR, "new ""q""" DATE)`);
    const diff = await diffSchemas(engine.query, { reference: "ref", current: "cur" });
    expect(diff).toMatchObject({
      added: [{ name: 'new "q"', type: "DATE" }],
      removed: [{ name: "gone", type: "DOUBLE" }],
      typeChanged: [{ column: "a b", referenceType: "INTEGER", currentType: "BIGINT" }],
      unchanged: ["ü", "same"],
      warnings: [],
    });
    expect(diff.trace).toHaveLength(2);
    await engine.close();
  });

  it("is empty for identical schemas and symmetric under swapping", () => {
    const a = [
      { name: "x", type: "DOUBLE" },
      { name: "y", type: "VARCHAR" },
    ];
    const b = [
      { name: "y", type: "INTEGER" },
      { name: "z", type: "DOUBLE" },
    ];
    expect(compareSchemas(a, a)).toMatchObject({ added: [], removed: [], typeChanged: [], unchanged: ["x", "y"] });
    const ab = compareSchemas(a, b);
    const ba = compareSchemas(b, a);
    expect(ab.added).toEqual(ba.removed);
    expect(ab.removed).toEqual(ba.added);
    expect(ab.typeChanged).toEqual([{ column: "y", referenceType: "VARCHAR", currentType: "INTEGER" }]);
  });

  it("flags a likely rename (case or spacing only)", () => {
    const diff = compareSchemas([{ name: "User Age", type: "INTEGER" }], [{ name: "user_age", type: "INTEGER" }]);
    expect(diff.warnings).toMatchObject([{ code: "possible-rename", column: "User Age" }]);
  });
});
