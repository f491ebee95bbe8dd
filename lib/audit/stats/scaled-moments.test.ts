import { describe, expect, it } from "vitest";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { num, queryRows } from "../rows";
import {
  avgSql,
  hugeColumns,
  isMomentOverflow,
  stddevSql,
  unscaleMoment,
  withScaledMomentsOnOverflow,
} from "./scaled-moments";

const engine = await openFixtureEngine();
const query = (sql: string) => engine.query(sql);

async function moments(table: string, scaled: boolean) {
  const [row] = await queryRows(
    query,
    `SELECT ${avgSql("x", scaled)} AS mean, ${stddevSql("pop", "x", scaled)} AS sp, ${stddevSql("samp", "x", scaled)} AS ss FROM ${table}`,
  );
  return {
    mean: unscaleMoment(num(row?.mean), scaled),
    pop: unscaleMoment(num(row?.sp), scaled),
    samp: unscaleMoment(num(row?.ss), scaled),
  };
}

describe("scaled moments", () => {
  it("equal the unscaled ones bit for bit where both are exact (spread far above 2^89)", async () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 10 ** (40 + (i % 60)));
    await createFixtureTable(engine, "large", { x: { type: "DOUBLE", values } });
    const scaled = await moments("large", true);
    expect(scaled.pop).toBeGreaterThan(0);
    expect(scaled).toEqual(await moments("large", false));
  });

  it("are not meant for small spreads: their squares underflow (why the rerun is only on overflow)", async () => {
    await createFixtureTable(engine, "ordinary", { x: { type: "DOUBLE", values: [1, 2, 3, 4] } });
    expect((await moments("ordinary", false)).pop).toBeCloseTo(Math.sqrt(1.25), 15);
    expect((await moments("ordinary", true)).pop).toBe(0);
  });

  it("give the mean and std of values near the largest double, where DuckDB's own overflow", async () => {
    const values = [1.7e308, 1.7e308, -1.7e308, 1e308, 0];
    await createFixtureTable(engine, "huge", { x: { type: "DOUBLE", values } });
    const failure = await query(`SELECT ${stddevSql("pop", "x", false)} FROM huge`).catch((e: unknown) => e);
    expect(isMomentOverflow(failure)).toBe(true);
    const m = await moments("huge", true);
    // Exact values from the scaled data: mean = 4.4e307 (Σ = 2.2e308 overflows unscaled).
    const scaled = values.map((v) => v * 2 ** -600);
    const mean = scaled.reduce((a, b) => a + b, 0) / values.length;
    const pop = Math.sqrt(scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    expect(m.mean).toBeCloseTo(mean * 2 ** 600, -300);
    expect((m.mean as number) / (mean * 2 ** 600)).toBeCloseTo(1, 12);
    expect((m.pop as number) / (pop * 2 ** 600)).toBeCloseTo(1, 12);
    expect(Number.isFinite(m.samp)).toBe(true);
  });

  it("reruns with only the huge columns scaled, and says which", async () => {
    await createFixtureTable(engine, "mixed", {
      big: { type: "DOUBLE", values: [1.7e308, -1.7e308, 1e308, 0, 5] },
      small: { type: "DOUBLE", values: [1, 2, 3, 4, 5] },
    });
    const statement = (scaled: ReadonlySet<string>) =>
      queryRows(
        query,
        `SELECT ${["big", "small"]
          .map((c) => `${avgSql(c, scaled.has(c))} AS m_${c}, ${stddevSql("pop", c, scaled.has(c))} AS s_${c}`)
          .join(", ")} FROM mixed`,
      ).then(([row]) => ({
        big: unscaleMoment(num(row?.s_big), scaled.has("big")),
        small: unscaleMoment(num(row?.s_small), scaled.has("small")),
        mean: unscaleMoment(num(row?.m_big), scaled.has("big")),
      }));
    const calls: string[][] = [];
    const { result, scaled } = await withScaledMomentsOnOverflow(
      (s) => {
        calls.push([...s]);
        return statement(s);
      },
      (r) => r.mean !== null && !Number.isFinite(r.mean),
      () => hugeColumns(query, "mixed", ["big", "small"]),
    );
    expect(calls).toEqual([[], ["big"]]);
    expect([...scaled]).toEqual(["big"]);
    expect(result.small).toBeCloseTo(Math.sqrt(2), 15);
    expect(Number.isFinite(result.big)).toBe(true);
    expect(result.big).toBeGreaterThan(1e308);
  });

  it("does not rerun when nothing overflows", async () => {
    const calls: number[] = [];
    const { scaled } = await withScaledMomentsOnOverflow(
      async (s) => {
        calls.push(s.size);
        return moments("large", false);
      },
      (r) => r.mean !== null && !Number.isFinite(r.mean),
      async () => {
        throw new Error("not asked");
      },
    );
    expect(calls).toEqual([0]);
    expect(scaled.size).toBe(0);
  });

  it("passes other errors through", async () => {
    await expect(
      withScaledMomentsOnOverflow(
        () => query("SELECT * FROM no_such_table"),
        () => false,
        async () => new Set(),
      ),
    ).rejects.toThrow(/no_such_table/);
    expect(isMomentOverflow(new Error("Out of Range Error: VARPOP is out of range!"))).toBe(true);
    expect(isMomentOverflow(new Error("Binder Error: column x"))).toBe(false);
  });
});
