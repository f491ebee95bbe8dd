/**
 * The fine-histogram path (scans 2–3) must give the numbers of the exact sort (numpy's deciles from
 * order statistics, then `compileNumericDistribution`): KS D and bin counts identical, deciles identical, W1 to 1e-12.
 * Data is chosen to crowd many values into few bins (heavy tails, point masses, a large offset,
 * rounding), so that refinement, not the histogram alone, decides.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { openFixtureEngine } from "../testing/fixture-engine";
import { WarningLog } from "../warnings";
import type { NumericColumnInput } from "./column-result";
import { planNumericBins } from "./bin-plan";
import { compileNumericDistribution, decodeNumericDistribution } from "./numeric-distribution-sql";
import { binInputs, numericScans, refinementBudget, sortedDeciles } from "./numeric-scans";
import { compileNumericSummary, decodeNumericSummary } from "./numeric-summary-sql";
import { queryRows } from "../rows";
import {
  binTransform,
  compileFineHistogram,
  compileRefinement,
  decodeFineHistogram,
  decodeRefinement,
  FINE_BINS,
  FINE_BINS_MIN,
  fineBinCount,
  VALUES_PER_FINE_BIN,
} from "./fine-histogram-sql";
import { DECILES } from "./histogram-edges";
import { mergeBins, planRefinement, SortedDistribution } from "./sorted-distribution";
import type { DriftConvention } from "./types";

let engine: NodeEngine;

/** Deterministic uniform (0, 1) from (row, stream, side). */
const u = (k: number, side: number) => `((hash(i, ${k}, ${side}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
const z = (k: number, side: number) => `sqrt(-2 * ln(${u(k, side)})) * cos(2 * pi() * ${u(k + 100, side)})`;

/** Column expressions per side (side 1 = current, with some drift). */
const COLUMNS: Record<string, (side: number) => string> = {
  normal: (s) => `${z(1, s)} + ${s} * 0.05`,
  cauchy: (s) => `tan(pi() * (${u(2, s)} - 0.5)) * ${1 + s * 0.2}`,
  "point mass": (s) => `CASE WHEN ${u(3, s)} < 0.4 THEN 0 ELSE ${z(4, s)} END`,
  offset: (s) => `1.7e9 + round(${z(5, s)} * 50, 1) + ${s}`,
  integers: (s) => `floor(${u(6, s)} * 21 + ${s} * ${u(7, s)})`,
  flag: (s) => `(${u(8, s)} < ${0.3 + s * 0.02})::INTEGER`,
  "with nulls": (s) =>
    `CASE WHEN ${u(9, s)} < 0.01 THEN NULL WHEN ${u(9, s)} < 0.02 THEN 'nan'::DOUBLE WHEN ${u(9, s)} < 0.025 THEN 'inf'::DOUBLE ELSE exp(${z(10, s)}) END`,
  tiny: (s) => `1e-300 * ${z(11, s)}`,
  same: () => "3.25",
};

/** Tables `ref` (side 0) and `cur` (side 1) of `rows` rows, one column per entry of `columns`. */
async function makeSideTables(
  columns: Record<string, (side: number) => string>,
  rows: number,
  cast: (sql: string) => string,
): Promise<void> {
  for (const [name, side] of [
    ["ref", 0],
    ["cur", 1],
  ] as const) {
    const cols = Object.entries(columns)
      .map(([c, f]) => `${cast(f(side))} AS "${c}"`)
      .join(", ");
    await engine.exec(`CREATE OR REPLACE TABLE ${name} AS SELECT ${cols} FROM range(${rows}) t(i)`);
  }
}

async function makeTables(rows: number): Promise<void> {
  await makeSideTables(COLUMNS, rows, (sql) => `CAST(${sql} AS DOUBLE)`);
}

/** The exact sort, as before the histogram path. */
async function exactOracle(convention: DriftConvention, columns: string[]) {
  const spec = { reference: "ref", current: "cur", columns };
  const [row] = await queryRows(engine.query, compileNumericSummary(spec));
  const summaries = decodeNumericSummary(spec, row ?? {});
  // numpy's deciles from a full sort (row_number), the definition the histogram path must meet.
  const deciles = await sortedDeciles(
    engine.query,
    "ref",
    summaries.map((s) => ({ column: s.column, n: s.reference.n })),
  );
  const plans = summaries.map((s, i) => planNumericBins({ ...binInputs(s, 0), deciles: deciles[i] ?? [] }, convention));
  const distSpec = {
    reference: "ref",
    current: "cur",
    columns: summaries.map((s, i) => {
      const plan = plans[i];
      if (!plan) throw new Error("no plan");
      return {
        column: s.column,
        nReference: s.reference.n,
        nCurrent: s.current.n,
        bins: plan.jensenShannon === plan.psi ? [plan.psi.spec] : [plan.psi.spec, plan.jensenShannon.spec],
      };
    }),
  };
  const dists = decodeNumericDistribution(
    distSpec,
    await queryRows(engine.query, compileNumericDistribution(distSpec)),
  );
  return { summaries, deciles, plans, dists };
}

/**
 * The histogram path's column against the exact sort's: same PSI edges, KS, PSI and JS counts,
 * W1 within 1e-12 relative. Returns the oracle's distribution for column-specific checks.
 */
function expectLikeSort(
  got: Map<string, NumericColumnInput>,
  want: Awaited<ReturnType<typeof exactOracle>>,
  column: string,
  i: number,
) {
  const g = got.get(column);
  const w = want.dists[i];
  const plan = want.plans[i];
  if (!g || !w || !plan) throw new Error(`missing ${column}`);
  expect(g.plan.psi.spec.edges, `${column} PSI edges`).toEqual(plan.psi.spec.edges);
  expect(g.ksStatistic, `${column} KS`).toBe(w.ksStatistic);
  expect(g.psiCounts, `${column} PSI counts`).toEqual(w.bins[0]);
  expect(g.jsCounts, `${column} JS counts`).toEqual(w.bins[1] ?? w.bins[0]);
  const scale = Math.max(Math.abs(w.wassersteinRaw), Number.MIN_VALUE);
  expect(Math.abs(g.wassersteinRaw - w.wassersteinRaw) / scale, `${column} W1`).toBeLessThan(1e-12);
  return { g, w };
}

beforeAll(async () => {
  engine = await openFixtureEngine();
});
afterAll(async () => {
  await engine.close();
});

describe("fine histogram + refinement equals the exact sort", () => {
  for (const rows of [7, 2_000, 150_000]) {
    for (const convention of ["assay", "evidently"] as DriftConvention[]) {
      it(`${rows} rows per side, ${convention}`, { timeout: 60_000 }, async () => {
        await makeTables(rows);
        const columns = Object.keys(COLUMNS);
        const trace: string[] = [];
        const got = await numericScans(engine.query, {
          reference: "ref",
          current: "cur",
          columns,
          convention,
          warnings: new WarningLog(),
          trace,
          skip: () => false,
        });
        expect(trace.join("\n")).not.toContain("exact sort");
        const want = await exactOracle(convention, columns);
        columns.forEach((column, i) => {
          const { g, w } = expectLikeSort(got, want, column, i);
          if (g.nDistinctIsLowerBound) {
            expect(w.nDistinct, `${column} distinct bound`).toBeGreaterThanOrEqual(g.nDistinct);
            expect(g.nDistinct).toBeGreaterThan(convention === "evidently" && w.nDistinctReference <= 20 ? 10_000 : 5);
          } else {
            expect(g.nDistinct, `${column} distinct`).toBe(w.nDistinct);
          }
          if (w.nDistinctReference <= 20) expect(g.nDistinctReference).toBe(w.nDistinctReference);
          else expect(g.nDistinctReference).toBeGreaterThan(20);
        });
      });
    }
  }
});

/** The fourth-root bin counts the trace reports for scan 2. */
function binsInTrace(trace: readonly string[]): number[] {
  const line = trace.find((t) => t.startsWith("numeric scan 2")) ?? "";
  const counts = /: ([\d,]+(?: \/ [\d,]+)*) fourth-root/.exec(line)?.[1] ?? "";
  return counts.split(" / ").map((c) => Number(c.replace(/,/g, "")));
}

describe("the fine bin count", () => {
  it("grows with the finite values between its floor and the USMALLINT cap, from counts alone", () => {
    expect(fineBinCount(0)).toBe(FINE_BINS_MIN);
    expect(fineBinCount(14)).toBe(FINE_BINS_MIN);
    const floorEnd = FINE_BINS_MIN * VALUES_PER_FINE_BIN;
    expect(fineBinCount(floorEnd)).toBe(FINE_BINS_MIN);
    expect(fineBinCount(floorEnd + 1)).toBe(FINE_BINS_MIN + 1);
    expect(fineBinCount(200_000)).toBe(Math.ceil(200_000 / VALUES_PER_FINE_BIN));
    const capStart = (FINE_BINS - 1) * VALUES_PER_FINE_BIN;
    expect(fineBinCount(capStart)).toBe(FINE_BINS - 1);
    expect(fineBinCount(capStart + 1)).toBe(FINE_BINS);
    expect(fineBinCount(2_000_000)).toBe(FINE_BINS);
    expect(fineBinCount(2 ** 52)).toBe(FINE_BINS);
    // The key (bin + 1, and B + 1 for the max) must fit a USMALLINT.
    expect(FINE_BINS + 1).toBeLessThanOrEqual(65_535);
  });

  it("scales the refinement budget so that it reaches as many bins as with FINE_BINS bins", () => {
    expect(refinementBudget(1_000_000, 1_000_000)).toBe(50_000);
    expect(refinementBudget(1_000_000, 1_000_000, FINE_BINS)).toBe(50_000);
    expect(refinementBudget(3_000_000, 2_000_000, FINE_BINS)).toBe(100_000);
    expect(refinementBudget(100_000, 100_000, 12_500)).toBe(Math.ceil((50_000 * FINE_BINS) / 12_500));
  });
});

describe("fine histogram + refinement equals the exact sort, around the bin count's thresholds", () => {
  const floorRows = (FINE_BINS_MIN * VALUES_PER_FINE_BIN) / 2;
  const capRows = (FINE_BINS * VALUES_PER_FINE_BIN) / 2;
  const cases = [
    { rows: floorRows - 1_000, bins: FINE_BINS_MIN, columns: Object.keys(COLUMNS) },
    {
      rows: floorRows + 1_000,
      bins: Math.ceil(((floorRows + 1_000) * 2) / VALUES_PER_FINE_BIN),
      columns: Object.keys(COLUMNS),
    },
    // Near the cap, fewer columns (the exact sort of 10^6 values per column is the slow part).
    {
      rows: capRows - 4_000,
      bins: Math.ceil(((capRows - 4_000) * 2) / VALUES_PER_FINE_BIN),
      columns: ["normal", "point mass", "offset"],
    },
    { rows: capRows + 4_000, bins: FINE_BINS, columns: ["normal", "point mass", "offset"] },
  ];
  for (const { rows, bins, columns } of cases) {
    it(`${rows} rows per side: ${bins} bins`, { timeout: 120_000 }, async () => {
      await makeTables(rows);
      const trace: string[] = [];
      const got = await numericScans(engine.query, {
        reference: "ref",
        current: "cur",
        columns,
        convention: "assay",
        warnings: new WarningLog(),
        trace,
        skip: () => false,
      });
      // "with nulls" has fewer finite values, hence maybe fewer bins.
      expect(binsInTrace(trace)).toContain(bins);
      expect(trace.join("\n")).not.toContain("exact sort");
      const want = await exactOracle("assay", columns);
      columns.forEach((column, i) => {
        const { g, w } = expectLikeSort(got, want, column, i);
        expect(g.bounds, `${column} exact`).toBeUndefined();
        if (!g.nDistinctIsLowerBound) expect(g.nDistinct, `${column} distinct`).toBe(w.nDistinct);
      });
    });
  }
});

describe("a bin map that overflows", () => {
  it("gets no histogram rows (its column takes the exact sort)", async () => {
    await makeTables(2_000);
    // A scale far below the range sends t(x) to ±∞: no bound on the histogram key holds. Real
    // summaries do not produce one (the scale comes from the std), so the guard is tested directly.
    const overflowing = binTransform(-100, 100, 0, 4e-320);
    expect(overflowing.bounded).toBe(false);
    const normal = binTransform(-100, 100, 0, 4);
    expect(normal.bounded).toBe(true);
    const only = { reference: "ref", current: "cur", columns: [{ column: "cauchy", transform: overflowing }] };
    expect(compileFineHistogram(only)).toBe("");
    const both = {
      ...only,
      columns: [...only.columns, { column: "normal", transform: binTransform(-10, 10, 0, 1) }],
    };
    const table = await engine.query(compileFineHistogram(both));
    expect(new Set(table.getChild("col")?.toArray())).toEqual(new Set([1]));
  });
});

describe("columns without finite values", () => {
  it("are left out when `skip` says so, asked with each side's finite count", async () => {
    await makeTables(2_000);
    const asked: [string, number, number][] = [];
    const got = await numericScans(engine.query, {
      reference: "ref",
      current: "cur",
      columns: ["normal", "with nulls"],
      convention: "assay",
      warnings: new WarningLog(),
      trace: [],
      skip: (column, nR, nC) => {
        asked.push([column, nR, nC]);
        return column === "with nulls";
      },
    });
    expect([...got.keys()]).toEqual(["normal"]);
    expect(asked.find(([c]) => c === "normal")).toEqual(["normal", 2_000, 2_000]);
    // NULL, NaN and ±Inf (about 2.5% of rows) are not counted as finite values: `skip` gets each
    // side's exact count of the others.
    const [counts] = await queryRows(
      engine.query,
      `SELECT (SELECT count(*) FROM ref WHERE isfinite("with nulls")) AS r,
              (SELECT count(*) FROM cur WHERE isfinite("with nulls")) AS c`,
    );
    expect(asked.find(([c]) => c === "with nulls")).toEqual(["with nulls", Number(counts?.r), Number(counts?.c)]);
    expect(Number(counts?.r)).toBeLessThan(2_000);
    expect(Number(counts?.c)).toBeLessThan(2_000);
    expect(got.get("normal")?.nReference).toBe(2_000);
  });
});

describe("past the refinement budget", () => {
  it("KS and W1 stay within their stated bounds, deciles and counts stay exact", { timeout: 60_000 }, async () => {
    await makeTables(100_000);
    const columns = ["normal", "cauchy", "point mass", "offset", "with nulls"];
    const want = await exactOracle("assay", columns);
    let approximated = 0;
    for (const [i, column] of columns.entries()) {
      const s = want.summaries[i];
      const w = want.dists[i];
      const plan = want.plans[i];
      if (!s || !w || !plan) throw new Error(`missing ${column}`);
      const transform = binTransform(
        Math.min(s.reference.min ?? 0, s.current.min ?? 0),
        Math.max(s.reference.max ?? 0, s.current.max ?? 0),
        s.reference.mean,
        s.reference.std,
      );
      const spec = { reference: "ref", current: "cur", columns: [{ column, transform }] };
      const [h] = decodeFineHistogram(spec, await engine.query(compileFineHistogram(spec)));
      if (!h) throw new Error("no histogram");
      const merged = mergeBins(h.center, h.reference, h.current);
      if (!merged) throw new Error("bins not monotone");
      const bins = planRefinement(merged, s.reference.n, s.current.n, {
        quantiles: DECILES,
        edges: [],
        distinctCap: 5,
        referenceDistinctCap: 20,
        distinctCapFewReference: 5,
        budget: 0,
        exactKs: false,
      });
      const refineSpec = { ...spec, columns: [{ column, transform, bins }] };
      const sql = compileRefinement(refineSpec);
      const [refined] = decodeRefinement(refineSpec, sql ? await engine.query(sql) : null);
      if (!refined) throw new Error("no refinement");
      const d = new SortedDistribution(merged, refined, s.reference.n, s.current.n);
      const ks = d.ksStatistic();
      const w1 = d.wasserstein();
      expect(ks.value, `${column} KS lower end`).toBeLessThanOrEqual(w.ksStatistic);
      expect(w.ksStatistic, `${column} KS upper end`).toBeLessThanOrEqual(ks.value + ks.bound + 1e-15);
      expect(Math.abs(w1.value - w.wassersteinRaw), `${column} W1`).toBeLessThanOrEqual(
        w1.bound + 1e-12 * w.wassersteinRaw,
      );
      expect(
        DECILES.map((q) => d.referenceQuantile(q)),
        `${column} deciles`,
      ).toEqual(want.deciles[i]);
      if (ks.bound > 0 || w1.bound > 0) approximated++;
    }
    // With no budget at all, some columns must really be approximate, or this test proves nothing.
    expect(approximated).toBeGreaterThanOrEqual(3);
  });
});

describe("values past the summary's range with fewer bins than the key type holds", () => {
  it("are counted as outside, not folded into the first or last bin", async () => {
    // 0 … 12 against a map of [0, 10] in 1 024 bins: 10 lands in the last bin (key B + 1 folded),
    // 10.5 … 12 get keys past B + 1 that a USMALLINT still holds, −0.5 key 0.
    await engine.exec(
      "CREATE OR REPLACE TABLE wide_ref AS SELECT (range / 2)::DOUBLE AS x FROM range(0, 25) UNION ALL SELECT -0.5",
    );
    await engine.exec("CREATE OR REPLACE TABLE wide_cur AS SELECT (range / 2)::DOUBLE AS x FROM range(0, 21)");
    const transform = binTransform(0, 10, 5, 2, 1_024);
    const spec = { reference: "wide_ref", current: "wide_cur", columns: [{ column: "x", transform }] };
    const [h] = decodeFineHistogram(spec, await engine.query(compileFineHistogram(spec)));
    expect(h?.outside).toBe(5);
    expect(h?.reference.n.reduce((a, b) => a + b, 0)).toBe(21);
    expect(h?.current.n.reduce((a, b) => a + b, 0)).toBe(21);
    expect(h?.reference.hi[1_023]).toBe(10);
    expect(h?.reference.lo[0]).toBe(0);
  });
});

describe("a source that gives other rows on each read", () => {
  it("is reported by name, not read as a mix of two samples", async () => {
    await makeTables(2_000);
    // Each read of the view gives other values (a sequence counts on): the histogram's lie past the
    // summary's range.
    await engine.exec("CREATE OR REPLACE SEQUENCE reads");
    await engine.exec(`CREATE OR REPLACE VIEW unstable AS SELECT nextval('reads')::DOUBLE AS normal FROM cur`);
    const run = numericScans(engine.query, {
      reference: "ref",
      current: "unstable",
      columns: ["normal"],
      convention: "assay",
      warnings: new WarningLog(),
      trace: [],
      skip: () => false,
    });
    await expect(run).rejects.toMatchObject({ problem: "unstable-source", column: "normal" });
    await expect(run).rejects.toThrow(/CREATE TABLE/);
  });
});

/** Integer-typed columns (per side), for the one-bin-per-value histogram. */
const INTEGER_COLUMNS: Record<string, (side: number) => string> = {
  "small ints": (s) => `CAST(floor(${u(21, s)} * 21 + ${s} * ${u(22, s)}) AS INTEGER)`,
  flag: (s) => `CAST(${u(23, s)} < ${0.3 + s * 0.02} AS TINYINT)`,
  "near 2^53": (s) => `CAST(9007199254000000 + floor(${u(24, s)} * 500) AS BIGINT)`,
  "with nulls": (s) => `CASE WHEN ${u(25, s)} < 0.02 THEN NULL ELSE CAST(floor(${z(26, s)} * 10) AS SMALLINT) END`,
  negative: (s) => `CAST(floor(${z(27, s)} * 1000) - 5000 + ${s} AS INTEGER)`,
  wide: (s) => `CAST(floor(${u(28, s)} * 1e6) AS UINTEGER)`,
  one: () => "CAST(7 AS BIGINT)",
};

async function makeIntegerTables(rows: number): Promise<void> {
  // Each column's SQL carries its own integer type.
  await makeSideTables(INTEGER_COLUMNS, rows, (sql) => sql);
}

describe("integer columns: one bin per value", () => {
  for (const rows of [7, 3_000, 60_000]) {
    it(`equal the exact sort, ${rows} rows per side`, { timeout: 60_000 }, async () => {
      await makeIntegerTables(rows);
      const columns = Object.keys(INTEGER_COLUMNS);
      const sqls: string[] = [];
      const got = await numericScans(
        async (sql) => {
          sqls.push(sql);
          return engine.query(sql);
        },
        {
          reference: "ref",
          current: "cur",
          columns,
          integerColumns: new Set(columns),
          convention: "evidently",
          warnings: new WarningLog(),
          trace: [],
          skip: () => false,
        },
      );
      // The integer map was used (no fourth root) for all but the column wider than the bins (one key a side).
      const histogram = sqls.find((s) => s.includes("AS dev")) ?? "";
      expect(histogram.split("sqrt(sqrt(").length - 1).toBe(2);
      const want = await exactOracle("evidently", columns);
      columns.forEach((column, i) => {
        const { g, w } = expectLikeSort(got, want, column, i);
        if (column !== "wide") {
          expect(g.nDistinctIsLowerBound, `${column} distinct exact`).toBe(false);
          expect(g.nDistinct, `${column} distinct`).toBe(w.nDistinct);
        }
      });
    });
  }

  it("an unstable source is still reported", async () => {
    await makeIntegerTables(2_000);
    await engine.exec("CREATE OR REPLACE SEQUENCE int_reads");
    await engine.exec(`CREATE OR REPLACE VIEW unstable_int AS SELECT nextval('int_reads')::INTEGER AS flag FROM cur`);
    const run = numericScans(engine.query, {
      reference: "ref",
      current: "unstable_int",
      columns: ["flag"],
      integerColumns: new Set(["flag"]),
      convention: "assay",
      warnings: new WarningLog(),
      trace: [],
      skip: () => false,
    });
    await expect(run).rejects.toMatchObject({ problem: "unstable-source", column: "flag" });
  });
});
