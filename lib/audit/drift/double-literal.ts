/**
 * Exact DOUBLE literals for drift SQL (bin edges, means, stored reference values). Kept as a
 * name for the drift code; the exactness lives in `numberLiteral` (exponent notation).
 */
import { numberLiteral } from "../../sql/identifiers";

export function doubleLiteral(value: number): string {
  return numberLiteral(value);
}
