import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeEngine } from "../../engine/node-engine";
import { compileCalibrationBins } from "../calibration/calibration-sql";
import { uniformEdges } from "../calibration/bin-edges";
import { compileFairnessCounts, thresholdPrediction } from "../fairness/fairness-sql";
import { compileOperational, errorPredicateSql } from "../operational/operational-sql";
import { createFixtureTable, openFixtureEngine } from "../testing/fixture-engine";
import { describeRelation } from "../validate";
import { binaryExpression } from "./binary-label";
import { compileBinaryPerformance } from "./binary-performance-sql";
import { compileMulticlassCounts } from "./multiclass-performance";
import { compileRankingProbe } from "./ranking-strategy";
import { compileRegressionPerformance } from "./regression-performance";

// Names that break naive SQL generation: quotes, a semicolon, a keyword, unicode, spaces.
const LABEL = 'y"; DROP TABLE t; --';
const SCORE = "select";
const GROUP = "grüppe 'x'";
const SOURCE = 'my "table"';

describe("compiled SQL binds against awkward names (EXPLAIN)", () => {
  let engine: NodeEngine;
  beforeAll(async () => {
    engine = await openFixtureEngine();
    await createFixtureTable(engine, SOURCE, {
      [LABEL]: { type: "BOOLEAN", values: [true, false, true] },
      [SCORE]: { type: "DOUBLE", values: [0.1, 0.5, 0.9] },
      [GROUP]: { type: "VARCHAR", values: ["a", null, "b"] },
    });
  });
  afterAll(() => engine.close());

  it("every compiler's SQL binds, and compilers are deterministic", async () => {
    const columns = await describeRelation(engine.query, SOURCE);
    const labelSql = binaryExpression(LABEL, columns);
    const statements = [
      compileBinaryPerformance(
        { source: SOURCE, label: LABEL, score: SCORE, threshold: 0.5, logLossEps: 1e-15 },
        columns,
      ),
      compileBinaryPerformance(
        { source: SOURCE, label: LABEL, prediction: LABEL, threshold: 0.5, logLossEps: 1e-15 },
        columns,
      ),
      compileBinaryPerformance(
        { source: SOURCE, label: LABEL, score: SCORE, threshold: 0.5, logLossEps: 1e-15, ranking: "group" },
        columns,
      ),
      compileRankingProbe(SOURCE, SCORE),
      compileRegressionPerformance({ source: SOURCE, target: SCORE, prediction: SCORE }),
      compileMulticlassCounts({ source: SOURCE, label: LABEL, prediction: GROUP }),
      compileCalibrationBins({
        source: SOURCE,
        labelSql,
        score: SCORE,
        strategy: "uniform",
        bins: 10,
        edges: uniformEdges(10),
        groupBy: GROUP,
      }),
      compileCalibrationBins({ source: SOURCE, labelSql, score: SCORE, strategy: "nannyml", bins: 10, groupBy: GROUP }),
      compileFairnessCounts({
        source: SOURCE,
        labelSql,
        predictionSql: thresholdPrediction(SCORE, 0.5),
        score: SCORE,
        attributes: [GROUP, LABEL],
        sets: [[0], [1], [0, 1]],
        calibrationEdges: uniformEdges(10),
      }),
      compileOperational({
        source: SOURCE,
        latency: SCORE,
        errorSql: errorPredicateSql(GROUP, { op: "in", value: ["a'", "b"] }),
        histogramBins: 5,
      }),
    ];
    for (const sql of statements) {
      await expect(engine.query(`EXPLAIN ${sql}`)).resolves.toBeDefined();
    }
    expect(compileRegressionPerformance({ source: SOURCE, target: SCORE, prediction: SCORE })).toBe(statements[4]);
    const rows = await engine.query(`SELECT count(*) AS n FROM "my ""table"""`);
    expect(Number(rows.getChildAt(0)?.get(0))).toBe(3);
  });
});
