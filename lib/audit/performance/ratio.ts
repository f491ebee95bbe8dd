/**
 * Ratios whose denominator can be zero (precision with no predicted positives, a TPR in
 * a group without positives). Assay's default makes them undefined (null) and says so;
 * the `sklearn`/`fairlearn` conventions return 0, as sklearn's `zero_division` default
 * and Fairlearn's normalised confusion matrix (`np.nan_to_num`) do.
 */
import type { WarningLog } from "../warnings";

/** How a 0/0 (or x/0) rate is reported. */
export type ZeroDivision = "null" | "zero";

/**
 * `numerator / denominator`, or the convention's value when the denominator is 0. When
 * the result is null a warning with `code` and `message` is logged.
 */
export function safeRatio(
  numerator: number,
  denominator: number,
  zeroDivision: ZeroDivision,
  warnings: WarningLog,
  code: string,
  message: string,
): number | null {
  if (denominator !== 0) return numerator / denominator;
  if (zeroDivision === "zero") return 0;
  warnings.warn(code, message);
  return null;
}
