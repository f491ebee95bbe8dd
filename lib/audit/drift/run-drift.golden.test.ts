/**
 * runDrift on native DuckDB against testdata/*.json, written by testdata/generate.py with SciPy 1.10 /
 * NumPy 1.24 (and NumPy re-implementations of Evidently's and NannyML's binning).
 * Tolerance: 1e-9 relative (absolute 1e-12 near 0). Counts, methods and verdicts are compared exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { createFixtureTable, type FixtureColumn, openFixtureEngine } from "../testing/fixture-engine";
import { runDrift } from "./run-drift";
import asymp from "./testdata/asymp.json";
import large from "./testdata/large.json";
import small from "./testdata/small.json";
import unseen from "./testdata/unseen.json";
import worked from "./testdata/worked.json";
import type { DriftConvention, DriftResult } from "./types";

type GoldenValue = number | string | null;

interface GoldenColumn {
  column: string;
  kind: string;
  method: string;
  statistic: GoldenValue;
  pValue: GoldenValue;
  threshold: number;
  drifted: boolean;
  psi: GoldenValue;
  jensenShannon: GoldenValue;
  ks: { statistic: GoldenValue; pValue: GoldenValue } | null;
  wasserstein: GoldenValue;
  wassersteinRaw: GoldenValue;
  chiSquare: { statistic: GoldenValue; pValue: GoldenValue } | null;
  zTest: { statistic: GoldenValue; pValue: GoldenValue } | null;
  nReference: number;
  nCurrent: number;
  droppedReference: number;
  droppedCurrent: number;
  psiEdges?: number[];
  psiReference: number[];
  psiCurrent: number[];
}

interface GoldenFixture {
  name: string;
  columns: Record<string, { type: string; reference: GoldenValue[]; current: GoldenValue[] }>;
  expected: Record<string, { columns: GoldenColumn[]; shareDrifted: number; datasetDrift: boolean }>;
}

function decode(value: GoldenValue): number | null {
  if (value === null) return null;
  if (typeof value === "number") return value;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  if (value === "nan") return Number.NaN;
  throw new Error(`bad golden value ${value}`);
}

function close(actual: number | null | undefined, expected: GoldenValue, label: string): void {
  const e = decode(expected);
  if (e === null || actual === null || actual === undefined) {
    expect(actual ?? null, label).toBe(e);
    return;
  }
  if (!Number.isFinite(e)) {
    expect(actual, label).toBe(e);
    return;
  }
  const error = Math.abs(actual - e);
  expect(error <= Math.max(1e-12, 1e-9 * Math.abs(e)), `${label}: ${actual} vs ${e}`).toBe(true);
}

function fixtureColumns(fx: GoldenFixture, side: "reference" | "current"): Record<string, FixtureColumn> {
  const out: Record<string, FixtureColumn> = {};
  for (const [name, spec] of Object.entries(fx.columns)) {
    if (spec.type === "VARCHAR") {
      out[name] = { type: "VARCHAR", values: spec[side] as (string | null)[] };
    } else {
      out[name] = { type: spec.type as "DOUBLE" | "BIGINT", values: spec[side].map(decode) };
    }
  }
  return out;
}

function compare(result: DriftResult, expected: GoldenFixture["expected"][string], tag: string): void {
  expect(result.columns.map((c) => c.column)).toEqual(expected.columns.map((c) => c.column));
  for (const [i, e] of expected.columns.entries()) {
    const a = result.columns[i];
    if (!a) throw new Error("missing column");
    const at = `${tag} ${e.column}`;
    expect(a.kind, at).toBe(e.kind);
    expect(a.method, at).toBe(e.method);
    expect(a.drifted, at).toBe(e.drifted);
    expect([a.nReference, a.nCurrent, a.droppedReference, a.droppedCurrent], at).toEqual([
      e.nReference,
      e.nCurrent,
      e.droppedReference,
      e.droppedCurrent,
    ]);
    close(a.threshold, e.threshold, `${at} threshold`);
    close(a.statistic, e.statistic, `${at} statistic`);
    close(a.pValue, e.pValue, `${at} pValue`);
    close(a.psi, e.psi, `${at} psi`);
    close(a.jensenShannon, e.jensenShannon, `${at} js`);
    close(a.wasserstein, e.wasserstein, `${at} wasserstein`);
    close(a.wassersteinRaw, e.wassersteinRaw, `${at} wassersteinRaw`);
    for (const key of ["ks", "chiSquare", "zTest"] as const) {
      const x = a[key] ?? null;
      const y = e[key];
      expect(x === null, `${at} ${key} presence`).toBe(y === null);
      if (x && y) {
        close(x.statistic, y.statistic, `${at} ${key}.statistic`);
        close(x.pValue, y.pValue, `${at} ${key}.pValue`);
      }
    }
    if (a.bins.psi.labels.at(-1)?.endsWith("values unseen in reference)")) {
      // Current-only values merged into one display bin: R's bins as SciPy's, the rest summed.
      const keep = e.psiReference.map((r, j) => (r > 0 ? j : -1)).filter((j) => j >= 0);
      expect(a.bins.psi.reference.slice(0, -1), `${at} psi counts R`).toEqual(keep.map((j) => e.psiReference[j]));
      expect(a.bins.psi.current.slice(0, -1), `${at} psi counts C`).toEqual(keep.map((j) => e.psiCurrent[j]));
      const rest = e.psiCurrent.reduce((sum, x, j) => (e.psiReference[j] === 0 ? sum + x : sum), 0);
      expect(a.bins.psi.current.at(-1), `${at} unseen`).toBe(rest);
    } else {
      expect(a.bins.psi.reference, `${at} psi counts R`).toEqual(e.psiReference);
      expect(a.bins.psi.current, `${at} psi counts C`).toEqual(e.psiCurrent);
    }
    if (e.psiEdges) {
      const edges = a.bins.psi.edges ?? [];
      expect(edges.length, `${at} edges`).toBe(e.psiEdges.length);
      e.psiEdges.forEach((x, j) => {
        close(edges[j], x, `${at} edge ${j}`);
      });
    }
  }
  close(result.shareDrifted, expected.shareDrifted, `${tag} shareDrifted`);
  expect(result.datasetDrift, `${tag} datasetDrift`).toBe(expected.datasetDrift);
}

const fixtures = [worked, small, large, asymp, unseen] as unknown as GoldenFixture[];

describe("runDrift matches SciPy / NumPy golden values", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    for (const fx of fixtures) {
      await createFixtureTable(engine, `${fx.name} ref`, fixtureColumns(fx, "reference"));
      await createFixtureTable(engine, `${fx.name} cur`, fixtureColumns(fx, "current"));
    }
  });
  afterAll(async () => {
    await engine.close();
  });

  for (const fx of fixtures) {
    for (const convention of ["assay", "evidently", "nannyml", "alibi"] as DriftConvention[]) {
      it(`${fx.name} / ${convention}`, async () => {
        const result = await runDrift(engine.query, {
          reference: `${fx.name} ref`,
          current: `${fx.name} cur`,
          convention,
        });
        compare(result, fx.expected[convention] as GoldenFixture["expected"][string], `${fx.name}/${convention}`);
      });
    }
    it(`${fx.name} / assay with datasetDriftShare 0.05`, async () => {
      const result = await runDrift(engine.query, {
        reference: `${fx.name} ref`,
        current: `${fx.name} cur`,
        datasetDriftShare: 0.05,
      });
      compare(result, fx.expected["assay_share_0.05"] as GoldenFixture["expected"][string], `${fx.name}/0.05`);
    });
  }
});
