/**
 * Regression performance (scikit-learn 1.2 `sklearn/metrics/_regression.py`):
 * MAE = mean |y − ŷ|; RMSE = sqrt(mean (y − ŷ)²); R² = 1 − SS_res / SS_tot with
 * SS_tot = Σ (y − ȳ)² (when SS_tot = 0: 1 if SS_res = 0 else 0, sklearn's
 * `force_finite`); MAPE = mean |y − ŷ| / max(|y|, eps), eps = `np.finfo(float64).eps`
 * (`mean_absolute_percentage_error`, a fraction, not a percent).
 * Rows with a null target or prediction are dropped and counted; NaN/±Inf are refused.
 * One scan: all sums in one aggregate (SS_tot as n · var_pop(y)).
 */
import type { QueryFn } from "../../engine/types";
import { numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { describeRelation, requireColumns, requireNumeric } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { FLOAT64_EPS } from "./binary-performance";
import { type AuditTrace, createTrace } from "./trace";

export interface RegressionPerformanceSpec {
  source: string;
  /** Numeric true values. */
  target: string;
  /** Numeric predictions. */
  prediction: string;
}

export interface RegressionPerformanceResult {
  mae: number;
  rmse: number;
  r2: number;
  /** Mean absolute percentage error as a fraction (sklearn). */
  mape: number;
  n: number;
  trace: AuditTrace;
  warnings: AuditWarning[];
}

export function compileRegressionPerformance(spec: RegressionPerformanceSpec): string {
  const y = `CAST(${quoteIdentifier(spec.target)} AS DOUBLE)`;
  const p = `CAST(${quoteIdentifier(spec.prediction)} AS DOUBLE)`;
  return `WITH base AS (SELECT ${y} AS y, ${p} AS p FROM ${quoteIdentifier(spec.source)})
SELECT count(*) FILTER (WHERE ok) AS n,
  count(*) FILTER (WHERE NOT present) AS dropped,
  count(*) FILTER (WHERE present AND NOT ok) AS non_finite,
  avg(abs(y - p)) FILTER (WHERE ok) AS mae,
  avg((y - p) * (y - p)) FILTER (WHERE ok) AS mse,
  sum((y - p) * (y - p)) FILTER (WHERE ok) AS ss_res,
  var_pop(y) FILTER (WHERE ok) * count(*) FILTER (WHERE ok) AS ss_tot,
  avg(abs(y - p) / greatest(abs(y), ${numberLiteral(FLOAT64_EPS)})) FILTER (WHERE ok) AS mape
FROM (
  SELECT y, p, (y IS NOT NULL AND p IS NOT NULL) AS present,
         (y IS NOT NULL AND p IS NOT NULL AND isfinite(y) AND isfinite(p)) AS ok
  FROM base
)`;
}

export async function runRegressionPerformance(
  query: QueryFn,
  spec: RegressionPerformanceSpec,
): Promise<RegressionPerformanceResult> {
  const columns = await describeRelation(query, spec.source);
  requireColumns(columns, [spec.target, spec.prediction], spec.source);
  requireNumeric(columns, spec.target, "target");
  requireNumeric(columns, spec.prediction, "prediction");
  const sql = compileRegressionPerformance(spec);
  const [row] = await queryRows(query, sql);
  const warnings = new WarningLog();
  const trace = createTrace();
  trace.sql.push(sql);
  trace.parameters = { mapeEpsilon: FLOAT64_EPS };
  const get = (k: string) => num(row?.[k]) ?? 0;
  const n = get("n");
  if (get("non_finite") > 0) {
    throw new AuditInputError(
      "non-finite-values",
      `"${spec.target}" or "${spec.prediction}" holds ${get("non_finite")} NaN or infinite values. Filter them in a SQL cell first.`,
      spec.target,
    );
  }
  if (n === 0) {
    throw new AuditInputError(
      "all-null",
      `No row of "${spec.source}" has both a target and a prediction.`,
      spec.target,
    );
  }
  if (get("dropped") > 0) {
    warnings.warn("dropped-nulls", `${get("dropped")} rows with a null target or prediction were left out.`);
    trace.steps.push(`Dropped ${get("dropped")} rows with a null target or prediction.`);
  }
  const ssRes = get("ss_res");
  const ssTot = get("ss_tot");
  let r2: number;
  if (ssTot === 0) {
    r2 = ssRes === 0 ? 1 : 0;
    warnings.warn("constant-target", `"${spec.target}" is constant; R² is set to ${r2} as sklearn does.`, spec.target);
  } else {
    r2 = 1 - ssRes / ssTot;
  }
  trace.steps.push(`Over ${n} rows: MAE, RMSE, R² = 1 − SS_res/SS_tot, MAPE with |y| floored at eps = ${FLOAT64_EPS}.`);
  return { mae: get("mae"), rmse: Math.sqrt(get("mse")), r2, mape: get("mape"), n, trace, warnings: warnings.items };
}
