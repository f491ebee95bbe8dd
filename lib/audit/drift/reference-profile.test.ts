import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { AuditInputError } from "../errors";
import { queryRows } from "../rows";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { doubleLiteral } from "./double-literal";
import { profileFromRows, profileToRows, profileToSql } from "./profile-rows";
import { computeReferenceProfile } from "./reference-profile";
import { runDrift } from "./run-drift";
import large from "./testdata/large.json";
import small from "./testdata/small.json";
import unseen from "./testdata/unseen.json";
import type { DriftColumnResult, DriftConvention } from "./types";

type Value = number | string | null;
interface Fixture {
  name: string;
  columns: Record<string, { type: string; reference: Value[]; current: Value[] }>;
}

function decode(v: Value): number | null {
  if (v === null || typeof v === "number") return v;
  return v === "nan" ? Number.NaN : v === "inf" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

function tableOf(fx: Fixture, side: "reference" | "current"): Record<string, FixtureColumn> {
  const out: Record<string, FixtureColumn> = {};
  for (const [name, spec] of Object.entries(fx.columns)) {
    out[name] =
      spec.type === "VARCHAR"
        ? { type: "VARCHAR", values: spec[side] as (string | null)[] }
        : { type: spec.type as "DOUBLE" | "BIGINT", values: spec[side].map(decode) };
  }
  return out;
}

/** Everything but the trace. */
function numbers(c: DriftColumnResult | undefined): Omit<DriftColumnResult, "trace"> | undefined {
  if (!c) return undefined;
  const { trace: _trace, ...rest } = c;
  return rest;
}

let engine: NodeEngine;
const fixtures = [small, large, unseen] as unknown as Fixture[];

beforeAll(async () => {
  engine = await openFixtureEngine();
  for (const fx of fixtures) {
    await createFixtureTable(engine, `${fx.name} ref`, tableOf(fx, "reference"));
    await createFixtureTable(engine, `${fx.name} cur`, tableOf(fx, "current"));
  }
});
afterAll(async () => {
  await engine.close();
});

describe("reference profile", () => {
  for (const fx of fixtures) {
    it(`${fx.name}: an exact profile gives the table's numbers in every convention`, async () => {
      const profile = await computeReferenceProfile(engine.query, { reference: `${fx.name} ref` });
      expect(profile.columns.every((c) => c.kind === "categorical" || c.distribution.exact)).toBe(true);
      for (const convention of ["assay", "evidently", "nannyml", "alibi"] as DriftConvention[]) {
        const fromTable = await runDrift(engine.query, {
          reference: `${fx.name} ref`,
          current: `${fx.name} cur`,
          convention,
        });
        const fromProfile = await runDrift(engine.query, { reference: profile, current: `${fx.name} cur`, convention });
        expect(fromProfile.columns.map((c) => c.column)).toEqual(fromTable.columns.map((c) => c.column));
        fromTable.columns.forEach((c, i) => {
          expect(numbers(fromProfile.columns[i]), `${convention} ${c.column}`).toEqual(numbers(c));
        });
        expect(fromProfile.shareDrifted).toBe(fromTable.shareDrifted);
        expect(fromProfile.trace.some((t) => t.includes("reference from the profile"))).toBe(true);
      }
    });
  }

  it("a sketch profile: exact PSI (deciles) and NannyML JS, KS within 1/G, Wasserstein close", async () => {
    const profile = await computeReferenceProfile(engine.query, {
      reference: "large ref",
      exactCap: 0,
      sketchSize: 1000,
    });
    expect(profile.columns.some((c) => c.kind === "numeric" && !c.distribution.exact)).toBe(true);
    // ≤ 20 distinct values are stored exactly whatever exactCap says.
    expect(profile.columns.find((c) => c.column === "three")).toMatchObject({ distribution: { exact: true } });
    for (const convention of ["assay", "nannyml"] as DriftConvention[]) {
      const fromTable = await runDrift(engine.query, { reference: "large ref", current: "large cur", convention });
      const fromProfile = await runDrift(engine.query, { reference: profile, current: "large cur", convention });
      fromTable.columns.forEach((t, i) => {
        const p = fromProfile.columns[i];
        if (!p || t.kind !== "numeric") return;
        const at = `${convention} ${t.column}`;
        expect(p.psi, at).toBeCloseTo(t.psi, 12);
        expect(p.jensenShannon, at).toBeCloseTo(t.jensenShannon, 12);
        expect(Math.abs((p.ks?.statistic ?? 0) - (t.ks?.statistic ?? 0)), at).toBeLessThanOrEqual(1 / 1000 + 1e-3);
        const w = t.wassersteinRaw ?? 0;
        expect(Math.abs((p.wassersteinRaw ?? 0) - w), at).toBeLessThanOrEqual(0.02 * w + 0.01);
        const stored = profile.columns.find((c) => c.column === t.column);
        const sketched = stored?.kind === "numeric" && !stored.distribution.exact;
        expect(p.trace.some((line) => line.includes("APPROXIMATE"))).toBe(sketched);
      });
    }
  });

  it("a sketch of a continuous column: KS and Wasserstein track the exact values", async () => {
    await engine.exec("SELECT setseed(0.42)");
    await engine.exec(
      "CREATE OR REPLACE TABLE sr AS SELECT sqrt(-2 * ln(random())) * cos(2 * pi() * random()) AS x FROM range(20000)",
    );
    await engine.exec(
      "CREATE OR REPLACE TABLE sc AS SELECT 0.1 + 1.1 * sqrt(-2 * ln(random())) * cos(2 * pi() * random()) AS x FROM range(15000)",
    );
    const profile = await computeReferenceProfile(engine.query, { reference: "sr" });
    expect(profile.columns[0]?.kind === "numeric" && profile.columns[0].distribution.exact).toBe(false);
    const t = (await runDrift(engine.query, { reference: "sr", current: "sc" })).columns[0];
    const p = (await runDrift(engine.query, { reference: profile, current: "sc" })).columns[0];
    expect(Math.abs((p?.ks?.statistic ?? 0) - (t?.ks?.statistic ?? 0))).toBeLessThan(2e-3);
    expect(Math.abs((p?.wassersteinRaw ?? 0) - (t?.wassersteinRaw ?? 0))).toBeLessThan(2e-3 * (t?.wassersteinRaw ?? 0));
    expect(p?.psi).toBeCloseTo(t?.psi ?? Number.NaN, 12);
    const ev = (await runDrift(engine.query, { reference: profile, current: "sc", convention: "evidently" }))
      .columns[0];
    const evT = (await runDrift(engine.query, { reference: "sr", current: "sc", convention: "evidently" })).columns[0];
    expect(Math.abs((ev?.psi ?? 0) - (evT?.psi ?? 0))).toBeLessThan(0.01 * (evT?.psi ?? 0) + 1e-3);
  });

  it("builds the sketch from order statistics equal to DuckDB's quantile_cont", async () => {
    await engine.exec("CREATE OR REPLACE TABLE sk AS SELECT (range * 7919 % 1013) / 7.0 AS x FROM range(5000)");
    const profile = await computeReferenceProfile(engine.query, { reference: "sk", exactCap: 10, sketchSize: 50 });
    const col = profile.columns[0];
    if (col?.kind !== "numeric" || col.distribution.exact) throw new Error("expected a sketch");
    const probs = Array.from({ length: 51 }, (_, j) => doubleLiteral(j / 50)).join(", ");
    const [row] = await queryRows(engine.query, `SELECT quantile_cont(x, [${probs}]) AS q FROM sk`);
    // Equal up to one rounding: DuckDB's build evaluates lo + (hi − lo)·d with a fused multiply-add.
    const q = row?.q as number[];
    expect(col.distribution.quantiles).toHaveLength(q.length);
    col.distribution.quantiles.forEach((v, j) => {
      expect(Math.abs(v - (q[j] ?? Number.NaN))).toBeLessThanOrEqual(1e-14 * Math.abs(v));
    });
  });

  it("survives JSON and the row / SQL table form", async () => {
    const profile = await computeReferenceProfile(engine.query, { reference: "small ref", exactCap: 3 });
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile);
    await engine.exec(profileToSql(profile, "saved profile"));
    const rows = await queryRows(engine.query, `SELECT * FROM "saved profile"`);
    expect(rows).toHaveLength(profileToRows(profile).length);
    expect(profileFromRows(rows.reverse())).toEqual(profile);
  });

  it("profiles values near the largest double (scan 1 reruns with scaled moments)", async () => {
    const values = Array.from({ length: 200 }, (_, i) => ((i % 2 ? 1 : -1) * 1.7e308 * ((i % 9) + 1)) / 10);
    const down = values.map((x) => x / 2 ** 700);
    await createFixtureTable(engine, "huge ref", {
      huge: { type: "DOUBLE", values },
      small: { type: "DOUBLE", values: down },
    });
    const profile = await computeReferenceProfile(engine.query, { reference: "huge ref" });
    const column = (name: string) => profile.columns.find((c) => c.column === name) as { mean: number; std: number };
    // Scaling by a power of two is exact: the huge column's moments are the small one's, scaled back.
    expect(column("huge").mean / (column("small").mean * 2 ** 700)).toBeCloseTo(1, 12);
    expect(column("huge").std / (column("small").std * 2 ** 700)).toBeCloseTo(1, 12);
  });

  it("rejects foreign rows and bad sizes", async () => {
    expect(() => profileFromRows([{ column: "", field: "format", idx: 0, num: null, txt: "x" }])).toThrow(
      AuditInputError,
    );
    await expect(computeReferenceProfile(engine.query, { reference: "small ref", sketchSize: 1 })).rejects.toThrow(
      AuditInputError,
    );
  });
});

describe("profile and current disagree", () => {
  it("warns when a column is compared as another kind than profiled", async () => {
    const profile = await computeReferenceProfile(engine.query, {
      reference: "small ref",
      columns: ["flag", "colour"],
    });
    const res = await runDrift(engine.query, {
      reference: profile,
      current: "small cur",
      columns: ["flag", "colour"],
      categorical: ["flag"],
    });
    expect(res.columns.map((c) => c.column)).toEqual(["colour"]);
    expect(res.warnings.map((w) => [w.code, w.column])).toEqual([["profile-mismatch", "flag"]]);
  });
});
