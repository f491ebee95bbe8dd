/**
 * A batch's numeric columns profiled from their Arrow buffers, when the stream has the batch as
 * Arrow (the app's decoded Parquet row group): the numbers `compileBatchSummary`,
 * `compileBatchDeviations` and `compileBatchGrid` compute in SQL, in one read of each column.
 *
 * Why not SQL here: the grid bin of a double is its exponent and top significand bits, which
 * SQL can only reach through log2, pow and a CASE per value — 62% of a streamed profile's time in
 * DuckDB-WASM (bench/stream-profile.ts) — while JavaScript reads them from the double's bits. This
 * runs in the engine's worker, never on the page's main thread. The bins are `gridBinOf`'s, which
 * tests hold equal to `compileGridBins` bit for bit; counts, minima and maxima are exact; the sums
 * behind mean and m2 are compensated as DuckDB's `fsum` is, so they agree to rounding.
 *
 * Values are read as DuckDB's CAST(x AS DOUBLE) reads them: floats widen exactly, integers
 * (64-bit ones too) round to the nearest double. Other types (decimals, half floats, dictionary
 * encoding) return null, and the caller profiles those columns in SQL.
 */
import { type Data, type Table, Type, type Vector } from "apache-arrow";
import { SCALE_EXPONENT } from "../stats/scaled-moments";
import { gridBinOf } from "./grid";

/** One batch's numbers for one numeric column, as the SQL statements return them. */
export interface NumericBatchStats {
  /** Finite values. */
  n: number;
  nulls: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Finite values that are whole numbers. */
  whole: number;
  min: number | null;
  max: number | null;
  /** Mean and Σ (x − mean)² of the finite values (0 when there are none). */
  mean: number;
  m2: number;
  /** Grid bin → count of the finite values. */
  bins: Map<number, number>;
}

/** Largest |bin| (the largest finite double's), so bin + BIN_OFFSET indexes a dense counter. */
const BIN_OFFSET = (1023 + 1075) * 256 + 256;
/** Shared dense counter: a batch's bins are counted here, then read out and cleared. */
let counter: Int32Array | null = null;

/** A chunk's values as doubles (CAST AS DOUBLE), or null when its type is not read here. */
function doublesOf(data: Data): Float64Array | null {
  const values = data.values as unknown;
  if (data.typeId === Type.Float) {
    if (values instanceof Float64Array) return values.subarray(0, data.length);
    if (values instanceof Float32Array) return Float64Array.from(values.subarray(0, data.length));
    return null;
  }
  if (data.typeId === Type.Int) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      const out = new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = Number(values[i]);
      return out;
    }
    if (
      values instanceof Int8Array ||
      values instanceof Int16Array ||
      values instanceof Int32Array ||
      values instanceof Uint8Array ||
      values instanceof Uint16Array ||
      values instanceof Uint32Array
    ) {
      return Float64Array.from(values.subarray(0, data.length));
    }
  }
  return null;
}

/** Neumaier's compensated running sum. */
class Sum {
  sum = 0;
  compensation = 0;
  add(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.compensation;
  }
}

/** Whether bit i of a chunk's validity bitmap says the value is present (no bitmap: all are). */
function validityOf(data: Data): ((i: number) => boolean) | null {
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return null;
  const offset = data.offset;
  return (i) => ((bitmap[(offset + i) >> 3] as number) & (1 << ((offset + i) & 7))) !== 0;
}

/**
 * The batch numbers of one Arrow column, or null when one of its chunks has a type this module
 * does not read (the caller then uses SQL).
 */
export function numericStatsOfVector(vector: Vector): NumericBatchStats | null {
  const chunks: { values: Float64Array; valid: ((i: number) => boolean) | null; nulls: number }[] = [];
  for (const data of vector.data) {
    const values = doublesOf(data);
    if (!values) return null;
    chunks.push({ values, valid: validityOf(data), nulls: data.nullCount });
  }
  counter ??= new Int32Array(2 * BIN_OFFSET + 1);
  const counts = counter;
  const touched: number[] = [];
  const stats: NumericBatchStats = {
    n: 0,
    nulls: 0,
    nan: 0,
    posInf: 0,
    negInf: 0,
    whole: 0,
    min: null,
    max: null,
    mean: 0,
    m2: 0,
    bins: new Map(),
  };
  const sum = new Sum();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { values, valid, nulls } of chunks) {
    stats.nulls += nulls;
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < values.length; i++) {
      if (valid && !valid(i)) continue;
      const x = values[i] as number;
      // The high word (little-endian): sign, 11 exponent bits, top 20 significand bits.
      const high = words[2 * i + 1] as number;
      const biased = (high >>> 20) & 0x7ff;
      if (biased === 0x7ff) {
        if (x === Number.POSITIVE_INFINITY) stats.posInf += 1;
        else if (x === Number.NEGATIVE_INFINITY) stats.negInf += 1;
        else stats.nan += 1;
        continue;
      }
      stats.n += 1;
      if (x < min) min = x;
      if (x > max) max = x;
      if (Math.floor(x) === x) stats.whole += 1;
      sum.add(x);
      // Normal doubles: (e + 1075)·256 + s + 1 with e = biased − 1023, mirrored for negatives;
      // zero and subnormals (biased 0) through gridBinOf.
      const magnitude = biased === 0 ? Math.abs(gridBinOf(x)) : (biased + 52) * 256 + ((high >>> 12) & 0xff) + 1;
      const index = (high >>> 31 === 1 ? -magnitude : magnitude) + BIN_OFFSET;
      const before = counts[index] as number;
      if (before === 0) touched.push(index);
      counts[index] = before + 1;
    }
  }
  for (const index of touched) {
    stats.bins.set(index - BIN_OFFSET, counts[index] as number);
    counts[index] = 0;
  }
  if (stats.n === 0) return stats;
  stats.min = min;
  stats.max = max;
  stats.mean = sum.value / stats.n;
  if (!Number.isFinite(stats.mean)) {
    // The sum overflowed (values near ±1.8e308), not the mean: sum again over values scaled by 2^−600.
    const scaled = new Sum();
    for (const { values, valid } of chunks) {
      for (let i = 0; i < values.length; i++) {
        const x = values[i] as number;
        if ((valid && !valid(i)) || !Number.isFinite(x)) continue;
        scaled.add(x * 2 ** -SCALE_EXPONENT);
      }
    }
    stats.mean = (scaled.value / stats.n) * 2 ** SCALE_EXPONENT;
  }
  const m2 = new Sum();
  for (const { values, valid } of chunks) {
    for (let i = 0; i < values.length; i++) {
      if (valid && !valid(i)) continue;
      const x = values[i] as number;
      if (!Number.isFinite(x)) continue;
      const d = x - stats.mean;
      m2.add(d * d);
    }
  }
  stats.m2 = m2.value;
  return stats;
}

/** The batch numbers of each named column that `table` holds in a type read here. */
export function numericStatsOfArrow(table: Table, columns: readonly string[]): Map<string, NumericBatchStats> {
  const out = new Map<string, NumericBatchStats>();
  for (const name of columns) {
    const vector = table.getChild(name);
    if (!vector) continue;
    const stats = numericStatsOfVector(vector);
    if (stats) out.set(name, stats);
  }
  return out;
}
