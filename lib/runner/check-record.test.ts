import { describe, expect, it } from "vitest";
import { measure } from "../audit/checks/verdict";
import type { CheckOutcome, Measurement } from "../audit/checks/types";
import { resultRecord } from "../provenance/result-record";
import { checkResultTable, checkVerdicts } from "./check-record";

function outcome(measurements: Measurement[]): CheckOutcome {
  return {
    family: "fairness",
    verdict: "pass",
    measurements,
    result: { family: "operational" } as never,
    sql: [],
    warnings: [],
    elapsedMs: 1,
  };
}

const base = () =>
  outcome([
    measure("parity-sex", "Demographic parity ratio (sex)", 0.91, ">=", 0.8, "F: 40.0%, M: 44.0%"),
    measure("parity-age", "Demographic parity ratio (age)", null, ">=", 0.8),
  ]);

const hash = async (o: CheckOutcome) =>
  (await resultRecord(checkResultTable(o), { ordered: true, ranAt: "2025-01-01T00:00:00Z", engineVersion: "v1.4.3" }))
    .resultHash;

describe("checkResultTable", () => {
  it("has one row per measurement with the documented columns and types", () => {
    const t = checkResultTable(base());
    expect(t.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "id:Utf8",
      "label:Utf8",
      "value:Float64",
      "comparator:Utf8",
      "threshold:Float64",
      "verdict:Utf8",
    ]);
    expect(t.toArray().map((r) => r.toJSON())).toEqual([
      {
        id: "parity-sex",
        label: "Demographic parity ratio (sex)",
        value: 0.91,
        comparator: ">=",
        threshold: 0.8,
        verdict: "pass",
      },
      {
        id: "parity-age",
        label: "Demographic parity ratio (age)",
        value: null,
        comparator: ">=",
        threshold: 0.8,
        verdict: "warn",
      },
    ]);
  });

  it("stores NaN as null", () => {
    const t = checkResultTable(outcome([measure("x", "X", Number.NaN, "<", 1)]));
    expect(t.getChild("value")?.get(0)).toBeNull();
  });

  it("gives an empty table for a check without measurements", () => {
    expect(checkResultTable(outcome([])).numRows).toBe(0);
  });

  it("hashes the same outcome the same and a changed value or threshold differently", async () => {
    const h = await hash(base());
    expect(await hash(base())).toBe(h);
    const changedValue = base();
    changedValue.measurements[0] = measure("parity-sex", "Demographic parity ratio (sex)", 0.92, ">=", 0.8);
    changedValue.measurements[0].detail = "F: 40.0%, M: 44.0%";
    expect(await hash(changedValue)).not.toBe(h);
    const changedThreshold = base();
    changedThreshold.measurements[0] = measure("parity-sex", "Demographic parity ratio (sex)", 0.91, ">=", 0.95);
    expect(await hash(changedThreshold)).not.toBe(h);
    // Elapsed time and SQL are not part of the result.
    expect(await hash({ ...base(), elapsedMs: 999, sql: ["SELECT 1"] })).toBe(h);
  });
});

describe("checkVerdicts", () => {
  it("maps measurements to the file's verdicts", () => {
    expect(checkVerdicts(base())).toEqual([
      {
        label: "Demographic parity ratio (sex)",
        status: "pass",
        detail: { value: 0.91, threshold: 0.8, comparator: ">=" },
      },
      {
        label: "Demographic parity ratio (age)",
        status: "warn",
        detail: { value: null, threshold: 0.8, comparator: ">=" },
      },
    ]);
  });
});
