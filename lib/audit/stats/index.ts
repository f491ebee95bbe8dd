/** Pure statistical functions used by the audit metrics (no SQL, no I/O). */
export { chi2Sf } from "./chi2";
export { logGamma, regularizedGammaP, regularizedGammaQ } from "./gamma";
export { normalCdf, normalSf } from "./normal";
export { type Interval, wilsonInterval, Z_95 } from "./wilson";
