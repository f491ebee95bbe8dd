/** Pure statistical functions used by the audit metrics (no SQL, no I/O). */
export { chi2Sf } from "./chi2";
export { logGamma, regularizedGammaP, regularizedGammaQ } from "./gamma";
export {
  KS_MAX_AUTO_N,
  type KsMethod,
  type KsPValue,
  ksPValue,
  ksPValueAsymptotic,
  ksPValueExact,
} from "./ks";
export { kstwoSf } from "./kstwo";
export { normalCdf, normalSf } from "./normal";
export { numpyQuantile, numpyQuantileRanks, quantileCont, quantileContRanks } from "./order-statistics";
export { smirnovSf } from "./smirnov";
export { type Interval, wilsonInterval, Z_95 } from "./wilson";
