/**
 * The canary's labelled metrics must be the performance family's: for random sides (ties,
 * NULL labels, scores and predictions, raw scores outside [0, 1]) they are compared with
 * `runBinaryPerformance` on each side — values, warnings and errors.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { AuditInputError } from "../errors";
import { runBinaryPerformance } from "../performance";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { runCanaryComparison } from "./canary";

interface SideRows {
  label: (number | null)[];
  score: (number | null)[];
  pred: (number | null)[];
}

const sideArb = (scale: number) =>
  fc
    .array(
      fc.record({
        label: fc.constantFrom(0, 1, 1, 0, null),
        score: fc.oneof(
          fc.constantFrom(0.1, 0.5, 0.5, 0.9, null),
          fc.integer({ min: 0, max: 50 }).map((v) => v / 50),
        ),
        pred: fc.constantFrom(0, 1, null),
      }),
      { minLength: 6, maxLength: 40 },
    )
    .map(
      (rows): SideRows => ({
        label: rows.map((r) => r.label),
        score: rows.map((r) => (r.score === null ? null : r.score * scale)),
        pred: rows.map((r) => r.pred),
      }),
    );

async function outcome<T>(run: () => Promise<T>): Promise<T | string> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AuditInputError) return `${error.problem}: ${error.message}`;
    throw error;
  }
}

describe("canary labelled metrics = runBinaryPerformance per side", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
  });
  afterAll(() => engine.close());

  it("on random sides with ties, nulls and raw scores (fast-check)", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        sideArb(1),
        sideArb(1),
        fc.constantFrom(1, 3),
        fc.boolean(),
        fc.constantFrom(0.3, 0.5),
        async (b, c, scale, usePrediction, threshold) => {
          const table = (rows: SideRows) => ({
            "lab el": { type: "INTEGER" as const, values: rows.label },
            "sc'ore": { type: "DOUBLE" as const, values: rows.score.map((s) => (s === null ? null : s * scale)) },
            pred: { type: "INTEGER" as const, values: rows.pred },
          });
          await createFixtureTable(engine, "base ✓", table(b));
          await createFixtureTable(engine, "cand", table(c));
          const prediction = usePrediction ? "pred" : undefined;
          const canary = await outcome(() =>
            runCanaryComparison(engine.query, {
              baselineSource: "base ✓",
              candidateSource: "cand",
              label: "lab el",
              score: "sc'ore",
              prediction,
              threshold,
            }),
          );
          const perf = async (source: string) =>
            runBinaryPerformance(engine.query, {
              source,
              label: "lab el",
              score: "sc'ore",
              prediction,
              threshold,
              allowRawScores: true,
            });
          const pb = await outcome(() => perf("base ✓"));
          const pc = typeof pb === "string" ? pb : await outcome(() => perf("cand"));
          if (typeof pb === "string" || typeof pc === "string") {
            expect(canary).toBe(typeof pb === "string" ? pb : pc);
            return;
          }
          if (typeof canary === "string") throw new Error(`canary failed: ${canary}`);
          compared++;
          for (const [side, p] of [
            ["baseline", pb],
            ["candidate", pc],
          ] as const) {
            const m = canary[side].metrics;
            expect(m.accuracy).toBe(p.accuracy);
            expect(m.precision).toBe(p.precision);
            expect(m.recall).toBe(p.recall);
            expect(m.f1).toBe(p.f1);
            expect(Math.abs((m.auc as number) - (p.rocAuc as number))).toBeLessThanOrEqual(1e-12);
          }
          const performanceWarnings = [
            ...pb.warnings.map((w) => ({ ...w, message: `baseline: ${w.message}` })),
            ...pc.warnings.map((w) => ({ ...w, message: `candidate: ${w.message}` })),
          ];
          const labelled = canary.warnings.filter((w) => /^(baseline|candidate): /.test(w.message));
          expect(labelled).toEqual(performanceWarnings);
        },
      ),
      { numRuns: 80, seed: 11 },
    );
    // Most runs compare values; the rest compare the error both throw.
    expect(compared).toBeGreaterThan(40);
  });
});
