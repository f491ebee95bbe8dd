/**
 * Regression performance (scikit-learn 1.2 `sklearn/metrics/_regression.py`):
 * MAE = mean |y − ŷ|; RMSE = sqrt(mean (y − ŷ)²); R² = 1 − SS_res / SS_tot with
 * SS_tot = Σ (y − ȳ)² (when SS_tot = 0: 1 if SS_res = 0 else 0, sklearn's
 * `force_finite`); MAPE = mean |y − ŷ| / max(|y|, eps), eps = `np.finfo(float64).eps`
 * (`mean_absolute_percentage_error`, a fraction, not a percent).
 * Rows with a null target or prediction are dropped and counted; NaN/±Inf are refused.
 * One scan: all sums in one aggregate (SS_tot as n · var_pop(y)).
 * Finite values near the largest double (~1.8e308): `var_pop(y)` fails ("VARPOP is out of
 * range!") and the sums of |y − ŷ|, (y − ŷ)² and the MAPE ratios overflow to Infinity (y − ŷ
 * itself does for values of opposite signs) although the metrics are ordinary doubles. Then the
 * statement runs again (stats/scaled-moments.ts) with y and ŷ scaled by 2^−600 before they are
 * subtracted: each overflowed aggregate is taken from the scaled values (exact for values that
 * large), the others stay unscaled, and R² combines the two sums with their scales in JS. A metric
 * whose own value exceeds the largest double (an RMSE of errors near 3e308, SS_res/SS_tot beyond
 * it) is ±Infinity with a `metric-overflow` warning naming the columns.
 */
import type { QueryFn } from "../../engine/types";
import { numberLiteral, quoteIdentifier } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows, type Row } from "../rows";
import {
  hugeColumns,
  SCALE_EXPONENT,
  scaleSql,
  unscaleMoment,
  withScaledMomentsOnOverflow,
} from "../stats/scaled-moments";
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

/**
 * What the rerun after an overflow scales by 2^−SCALE_EXPONENT: `errors` adds the error aggregates
 * over scaled y and ŷ (`mae_s`, `mse_s`, `ss_res_s`, `mape_s`) beside the unscaled ones; `target`
 * takes SS_tot over the scaled target.
 */
export type RegressionScaling = "errors" | "target";

export function compileRegressionPerformance(
  spec: RegressionPerformanceSpec,
  scaled: ReadonlySet<RegressionScaling> = new Set(),
): string {
  const y = `CAST(${quoteIdentifier(spec.target)} AS DOUBLE)`;
  const p = `CAST(${quoteIdentifier(spec.prediction)} AS DOUBLE)`;
  const eps = numberLiteral(FLOAT64_EPS);
  const e = `${scaleSql("y", true)} - ${scaleSql("p", true)}`;
  const scaledErrors = scaled.has("errors")
    ? `
  avg(abs(${e})) FILTER (WHERE ok) AS mae_s,
  avg((${e}) * (${e})) FILTER (WHERE ok) AS mse_s,
  sum((${e}) * (${e})) FILTER (WHERE ok) AS ss_res_s,
  avg(abs(${e}) / greatest(abs(y), ${eps})) FILTER (WHERE ok) AS mape_s,`
    : "";
  return `WITH base AS (SELECT ${y} AS y, ${p} AS p FROM ${quoteIdentifier(spec.source)})
SELECT count(*) FILTER (WHERE ok) AS n,
  count(*) FILTER (WHERE NOT present) AS dropped,
  count(*) FILTER (WHERE present AND NOT ok) AS non_finite,
  avg(abs(y - p)) FILTER (WHERE ok) AS mae,
  avg((y - p) * (y - p)) FILTER (WHERE ok) AS mse,
  sum((y - p) * (y - p)) FILTER (WHERE ok) AS ss_res,${scaledErrors}
  var_pop(${scaleSql("y", scaled.has("target"))}) FILTER (WHERE ok) * count(*) FILTER (WHERE ok) AS ss_tot,
  avg(abs(y - p) / greatest(abs(y), ${eps})) FILTER (WHERE ok) AS mape
FROM (
  SELECT y, p, (y IS NOT NULL AND p IS NOT NULL) AS present,
         (y IS NOT NULL AND p IS NOT NULL AND isfinite(y) AND isfinite(p)) AS ok
  FROM base
)`;
}

/** The aggregates that overflow on values near the largest double. */
const OVERFLOWING = ["mae", "mse", "ss_res", "ss_tot", "mape"] as const;

function overflowed(row: Row): boolean {
  return OVERFLOWING.some((k) => {
    const v = num(row[k]);
    return v !== null && !Number.isFinite(v);
  });
}

/** x · 2^k in steps of at most 2^±SCALE_EXPONENT (2^1200 is no double), each exact until the last. */
function timesPow2(x: number, k: number): number {
  let v = x;
  let rest = k;
  while (rest !== 0 && v !== 0 && Number.isFinite(v)) {
    const step = Math.max(-SCALE_EXPONENT, Math.min(SCALE_EXPONENT, rest));
    v *= 2 ** step;
    rest -= step;
  }
  return v;
}

/** (a / b) · 2^k for finite a ≥ 0, b > 0, without overflowing or underflowing on the way. */
export function quotientTimesPow2(a: number, b: number, k: number): number {
  if (a === 0) return 0;
  // Within one of the binary exponents: enough to bring both near 1 before dividing.
  const ea = Math.floor(Math.log2(a));
  const eb = Math.floor(Math.log2(b));
  return timesPow2(timesPow2(a, -ea) / timesPow2(b, -eb), ea - eb + k);
}

export async function runRegressionPerformance(
  query: QueryFn,
  spec: RegressionPerformanceSpec,
): Promise<RegressionPerformanceResult> {
  const columns = await describeRelation(query, spec.source);
  requireColumns(columns, [spec.target, spec.prediction], spec.source);
  requireNumeric(columns, spec.target, "target");
  requireNumeric(columns, spec.prediction, "prediction");
  const warnings = new WarningLog();
  const trace = createTrace();
  const { result: row, scaled } = await withScaledMomentsOnOverflow(
    async (set: ReadonlySet<RegressionScaling>) => {
      const sql = compileRegressionPerformance(spec, set);
      const [r] = await queryRows(query, sql);
      trace.sql.push(sql);
      return r ?? {};
    },
    overflowed,
    async () => {
      const huge = await hugeColumns(query, spec.source, [spec.target]);
      return new Set<RegressionScaling>(huge.size > 0 ? ["errors", "target"] : ["errors"]);
    },
  );
  trace.parameters = { mapeEpsilon: FLOAT64_EPS };
  const get = (k: string) => num(row[k]) ?? 0;
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
  // Each error aggregate: unscaled when finite, else from the scaled errors (only then: scaled
  // squares of small errors would underflow).
  const rescaled: string[] = [];
  const pick = (key: string, label: string) => {
    const plain = get(key);
    if (Number.isFinite(plain) || !scaled.has("errors")) return { value: plain, scaled: false };
    rescaled.push(label);
    return { value: get(`${key}_s`), scaled: true };
  };
  const mae = pick("mae", "MAE");
  const mse = pick("mse", "MSE");
  const ssRes = pick("ss_res", "SS_res");
  const mape = pick("mape", "MAPE");
  const ssTot = get("ss_tot");
  if (scaled.has("target")) rescaled.push("SS_tot");
  let r2: number;
  if (ssTot === 0) {
    r2 = ssRes.value === 0 ? 1 : 0;
    warnings.warn("constant-target", `"${spec.target}" is constant; R² is set to ${r2} as sklearn does.`, spec.target);
  } else {
    // Each sum is 2^(2·SCALE_EXPONENT) times smaller when taken over scaled values.
    const k = 2 * SCALE_EXPONENT * (Number(ssRes.scaled) - Number(scaled.has("target")));
    r2 = 1 - (k === 0 ? ssRes.value / ssTot : quotientTimesPow2(ssRes.value, ssTot, k));
  }
  const result = {
    mae: unscaleMoment(mae.value, mae.scaled) ?? 0,
    rmse: unscaleMoment(Math.sqrt(mse.value), mse.scaled) ?? 0,
    r2,
    mape: unscaleMoment(mape.value, mape.scaled) ?? 0,
  };
  if (rescaled.length > 0) {
    trace.steps.push(
      `Values near the largest double overflowed ${rescaled.join(", ")}: taken again over "${spec.target}" and "${spec.prediction}" scaled by 2^−${SCALE_EXPONENT} (exact for values that large) and scaled back.`,
    );
  }
  const overflows: [number, string, string][] = [
    [result.mae, "MAE", "is reported as Infinity: the errors |y − ŷ| are too large for double precision"],
    [result.rmse, "RMSE", "is reported as Infinity: the errors are too large to square in double precision"],
    [result.r2, "R²", "is reported as −Infinity: SS_res / SS_tot is too large for double precision"],
    [
      result.mape,
      "MAPE",
      `is reported as Infinity: the errors relative to |y| (floored at ${FLOAT64_EPS}) are too large for double precision`,
    ],
  ];
  for (const [value, metric, why] of overflows) {
    if (Number.isFinite(value)) continue;
    warnings.warn(
      "metric-overflow",
      `${metric} of "${spec.prediction}" against "${spec.target}" exceeds the largest double (≈1.8e308) and ${why}. Rescale both columns (e.g. divide them by 1e300 in a SQL cell) to compare them.`,
      spec.target,
    );
  }
  trace.steps.push(`Over ${n} rows: MAE, RMSE, R² = 1 − SS_res/SS_tot, MAPE with |y| floored at eps = ${FLOAT64_EPS}.`);
  return { ...result, n, trace, warnings: warnings.items };
}
