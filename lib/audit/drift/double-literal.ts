/**
 * Exact DOUBLE literals for drift SQL (bin edges, means, stored reference values).
 * `numberLiteral` in lib/sql writes the shortest decimal (`CAST(0.30000000000000004 AS DOUBLE)`), which
 * DuckDB parses as a DECIMAL first; with 16–17 significant digits the DECIMAL → DOUBLE cast can land one
 * ulp away (about 2.6% of random doubles), enough to move a value that sits on a bin edge into the next
 * bin. Exponent notation (`3.0000000000000004e-1`) is parsed straight to DOUBLE, correctly rounded.
 */
import { numberLiteral } from "../../sql/identifiers";

export function doubleLiteral(value: number): string {
  numberLiteral(value); // throws on NaN / ±Inf
  return `CAST(${value.toExponential()} AS DOUBLE)`;
}
