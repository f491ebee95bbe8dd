/**
 * Multiclass performance from one GROUP BY (true, predicted) over the source
 * (scikit-learn 1.2 `confusion_matrix`, `precision_recall_fscore_support`, `f1_score`):
 * classes = sorted union of true and predicted values (numerically when both columns are
 * numeric, else as text); confusion matrix rows = true class, columns = predicted;
 * per class precision = tp / predicted, recall = tp / support, F1 = 2tp / (support + predicted);
 * macro F1 = unweighted mean of per-class F1, weighted F1 = support-weighted mean.
 * A per-class precision or recall with a zero denominator is null with a warning
 * (`assay`) or 0 (`sklearn`); the F1 averages always follow sklearn (undefined ⇒ 0).
 */
import type { QueryFn } from "../../engine/types";
import { quoteIdentifier } from "../../sql/identifiers";
import { AuditInputError } from "../errors";
import { num, queryRows } from "../rows";
import { describeRelation, isNumericType, requireColumns } from "../validate";
import { type AuditWarning, WarningLog } from "../warnings";
import { safeRatio } from "./ratio";
import { type AuditTrace, createTrace } from "./trace";

/** Most classes a confusion matrix is built for. */
export const MAX_CLASSES = 500;

export interface MulticlassPerformanceSpec {
  source: string;
  label: string;
  prediction: string;
  /** `assay` (0/0 ⇒ null + warning, default) or `sklearn` (0/0 ⇒ 0). */
  convention?: "assay" | "sklearn";
}

export interface ClassMetrics {
  class: string;
  precision: number | null;
  recall: number | null;
  f1: number;
  support: number;
}

export interface MulticlassPerformanceResult {
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  classes: string[];
  /** confusion[i][j] = rows of true class i predicted as class j. */
  confusion: number[][];
  perClass: ClassMetrics[];
  n: number;
  trace: AuditTrace;
  warnings: AuditWarning[];
}

export function compileMulticlassCounts(spec: MulticlassPerformanceSpec): string {
  const l = quoteIdentifier(spec.label);
  const p = quoteIdentifier(spec.prediction);
  return `SELECT CAST(${l} AS VARCHAR) AS t, CAST(${p} AS VARCHAR) AS p, count(*) AS c
FROM ${quoteIdentifier(spec.source)} GROUP BY ALL`;
}

export async function runMulticlassPerformance(
  query: QueryFn,
  spec: MulticlassPerformanceSpec,
): Promise<MulticlassPerformanceResult> {
  const columns = await describeRelation(query, spec.source);
  requireColumns(columns, [spec.label, spec.prediction], spec.source);
  const numeric = [spec.label, spec.prediction].every((c) =>
    isNumericType(columns.find((x) => x.name === c)?.type ?? ""),
  );
  const sql = compileMulticlassCounts(spec);
  const rows = await queryRows(query, sql);
  const warnings = new WarningLog();
  const trace = createTrace();
  trace.sql.push(sql);
  const convention = spec.convention ?? "assay";
  trace.parameters = { convention, classOrder: numeric ? "numeric" : "text" };

  let dropped = 0;
  const cells: { t: string; p: string; c: number }[] = [];
  for (const r of rows) {
    const c = num(r.c) ?? 0;
    if (r.t === null || r.p === null) dropped += c;
    else cells.push({ t: String(r.t), p: String(r.p), c });
  }
  if (dropped > 0) warnings.warn("dropped-nulls", `${dropped} rows with a null label or prediction were left out.`);
  const set = new Set(cells.flatMap((x) => [x.t, x.p]));
  if (set.size === 0) throw new AuditInputError("all-null", `No row has both a label and a prediction.`, spec.label);
  if (set.size > MAX_CLASSES) {
    throw new AuditInputError(
      "invalid-option",
      `"${spec.label}" and "${spec.prediction}" hold ${set.size} distinct classes; at most ${MAX_CLASSES} are supported.`,
      spec.label,
    );
  }
  const classes = [...set].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((c, i) => [c, i]));
  const confusion = classes.map(() => classes.map(() => 0));
  for (const { t, p, c } of cells) {
    const row = confusion[index.get(t) as number] as number[];
    row[index.get(p) as number] = (row[index.get(p) as number] ?? 0) + c;
  }
  const n = cells.reduce((a, x) => a + x.c, 0);
  const zero = convention === "sklearn" ? "zero" : "null";
  let correct = 0;
  const perClass = classes.map((name, i) => {
    const tp = confusion[i]?.[i] ?? 0;
    correct += tp;
    const support = (confusion[i] ?? []).reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + (row[i] ?? 0), 0);
    const precision = safeRatio(
      tp,
      predicted,
      zero,
      warnings,
      "undefined-ratio",
      `Class "${name}" is never predicted; its precision is null.`,
    );
    const recall = safeRatio(
      tp,
      support,
      zero,
      warnings,
      "undefined-ratio",
      `Class "${name}" never occurs as a label; its recall is null.`,
    );
    return { class: name, precision, recall, f1: (2 * tp) / (support + predicted), support };
  });
  const macroF1 = perClass.reduce((a, c) => a + c.f1, 0) / perClass.length;
  const weightedF1 = perClass.reduce((a, c) => a + c.f1 * c.support, 0) / n;
  trace.steps.push(
    `${classes.length} classes over ${n} rows; macro F1 = mean of per-class F1, weighted by support for weighted F1 (undefined ⇒ 0, as sklearn).`,
  );
  return {
    accuracy: correct / n,
    macroF1,
    weightedF1,
    classes,
    confusion,
    perClass,
    n,
    trace,
    warnings: warnings.items,
  };
}
