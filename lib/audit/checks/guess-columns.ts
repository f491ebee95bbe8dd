/**
 * Sensible first guesses for a check's columns, from names and types. Only guesses: every
 * one is shown in the check's form and can be changed.
 */
import type { ColumnInfo } from "../../engine/types";
import { isNumericType } from "../validate";

export interface ColumnGuesses {
  label?: string;
  score?: string;
  prediction?: string;
  groups: string[];
  latency?: string;
  error?: string;
  version?: string;
  id?: string;
  timestamp?: string;
  /** Columns that look like model inputs: everything not named above. */
  features: string[];
}

const LABEL = /^(label|labels|y|y_true|target|actual|ground_truth|truth|outcome|is_fraud|default|churn(ed)?)$/i;
const SCORE =
  /^(score|scores|y_score|y_prob|prob|proba|probability|pred_proba|predicted_probability|p_hat|risk_score)$/i;
const PREDICTION = /^(prediction|predictions|pred|y_pred|predicted|predicted_label|decision)$/i;
const GROUP =
  /^(sex|gender|race|ethnicity|age_band|age_group|agegroup|religion|disability|nationality|marital_status|group|protected|sensitive_.*)$/i;
const LATENCY = /^(latency|latency_ms|duration_ms|response_time_ms|elapsed_ms|inference_ms)$/i;
const ERROR = /^(is_error|error|failed|is_failure|has_error)$/i;
const VERSION = /^(model_version|version|model|variant|arm)$/i;
const ID = /^(id|.*_id|uuid|key)$/i;
const TIME = /^(ts|timestamp|time|date|datetime|created_at|event_time|scored_at)$/i;

function first(columns: readonly ColumnInfo[], pattern: RegExp, numeric?: boolean): string | undefined {
  return columns.find((c) => pattern.test(c.name) && (numeric === undefined || isNumericType(c.type) === numeric))
    ?.name;
}

export function guessColumns(columns: readonly ColumnInfo[]): ColumnGuesses {
  const label = first(columns, LABEL);
  const score = first(columns, SCORE, true);
  const prediction = first(columns, PREDICTION);
  const latency = first(columns, LATENCY, true);
  const error = first(columns, ERROR);
  const version = first(columns, VERSION);
  const id = first(columns, ID);
  const timestamp = columns.find((c) => TIME.test(c.name) || /^(TIMESTAMP|DATE)/i.test(c.type))?.name;
  const groups = columns.filter((c) => GROUP.test(c.name)).map((c) => c.name);
  const named = new Set([label, score, prediction, latency, error, version, id, timestamp, ...groups].filter(Boolean));
  const features = columns.filter((c) => !named.has(c.name)).map((c) => c.name);
  return {
    ...(label ? { label } : {}),
    ...(score ? { score } : {}),
    ...(prediction ? { prediction } : {}),
    groups,
    ...(latency ? { latency } : {}),
    ...(error ? { error } : {}),
    ...(version ? { version } : {}),
    ...(id ? { id } : {}),
    ...(timestamp ? { timestamp } : {}),
    features,
  };
}
