/**
 * DECIMAL (and HUGEINT) results as DOUBLE, converted the way DuckDB's own `CAST(x AS DOUBLE)`
 * converts them, so both engines hand the audit and the result hash the same numbers.
 *
 * DuckDB-WASM's `castDecimalToDouble` option casts only top-level columns: a DECIMAL inside a
 * STRUCT or LIST arrived typed Float64 but holding the unscaled 128-bit integer's bits (1.5 as
 * 7.41e-321). The worker therefore opens DuckDB-WASM without it, receives every DECIMAL as an
 * Arrow Decimal128 with its precision and scale, and converts the columns here, at any depth.
 * Native DuckDB (node-engine.ts) converts its DECIMAL values with the same `decimalToDouble`.
 *
 * DuckDB's cast (src/common/operator/cast_operators.cpp, TryCastDecimalToFloatingPoint): the
 * unscaled value x is stored as int16/int32/int64/int128 for widths ≤4/≤9/≤18/≤38. When
 * |x| ≤ 2^53 (always for int16/int32) or the scale is 0, the result is double(x) / 10^scale;
 * otherwise double(x div 10^scale) + double(x mod 10^scale) / 10^scale (division truncating
 * toward zero). An int64 converts to double correctly rounded; an int128 through its halves
 * (Hugeint::Cast<double>: lower + upper · 2^64, or −double(2^64−1−lower) − 1 when upper = −1),
 * which is not always correctly rounded. HUGEINT arrives from DuckDB-WASM as DECIMAL(38, 0).
 */
import {
  type Data,
  type DataType,
  Field,
  FixedSizeList,
  Float64,
  List,
  Map_,
  makeData,
  RecordBatch,
  RecordBatchReader,
  Schema,
  Struct,
  Table,
  Type,
  tableFromIPC,
  Union,
  tableToIPC,
} from "apache-arrow";

const TWO_53 = 2 ** 53;
const TWO_64 = 2 ** 64;
const BIG_TWO_53 = 2n ** 53n;
const UINT64_MAX = 2n ** 64n - 1n;

/** DuckDB's DOUBLE_POWERS_OF_TEN: the literals 1e0 … 1e38, each correctly rounded. */
const DOUBLE_POWERS_OF_TEN = Array.from({ length: 39 }, (_, s) => Number.parseFloat(`1e${s}`));

function powerOfTen(scale: number): number {
  const p = DOUBLE_POWERS_OF_TEN[scale];
  if (p === undefined) throw new Error(`decimal-columns: scale ${scale} is outside 0…38`);
  return p;
}

/** A 128-bit integer as DOUBLE, as DuckDB's Hugeint::Cast<double> computes it. */
export function hugeintToDouble(value: bigint): number {
  const upper = value >> 64n;
  const lower = BigInt.asUintN(64, value);
  if (upper === -1n) return -Number(UINT64_MAX - lower) - 1;
  return Number(lower) + Number(upper) * TWO_64;
}

/** A DECIMAL(width, scale) with unscaled value `unscaled` as DOUBLE, as DuckDB's CAST computes it. */
export function decimalToDouble(unscaled: bigint, width: number, scale: number): number {
  const p = powerOfTen(scale);
  // int16 / int32 storage: always exact as a double.
  if (width <= 9) return Number(unscaled) / p;
  const toDouble = width <= 18 ? Number : hugeintToDouble;
  if (scale === 0 || (unscaled <= BIG_TWO_53 && unscaled >= -BIG_TWO_53)) return toDouble(unscaled) / p;
  const power = 10n ** BigInt(scale);
  return toDouble(unscaled / power) + toDouble(unscaled % power) / p;
}

/** The signed 128-bit integer in four little-endian 32-bit words starting at `at`. */
function wordsToBigInt(words: Uint32Array, at: number): bigint {
  const low = BigInt(words[at] ?? 0) | (BigInt(words[at + 1] ?? 0) << 32n);
  const high = BigInt(words[at + 2] ?? 0) | (BigInt(words[at + 3] ?? 0) << 32n);
  return BigInt.asIntN(128, (high << 64n) | low);
}

/**
 * Converts the first `out.length` Decimal128 values in `words` (4 little-endian words each) into
 * `out`. Values whose unscaled integer is below 2^53 in magnitude take the arithmetic path (the
 * common case: no BigInt per value); the rest go through `decimalToDouble`.
 */
export function convertDecimalWords(words: Uint32Array, precision: number, scale: number, out: Float64Array): void {
  const p = powerOfTen(scale);
  const end = out.length;
  if (precision <= 9) {
    for (let i = 0; i < end; i++) out[i] = ((words[i * 4] ?? 0) | 0) / p;
    return;
  }
  for (let i = 0; i < end; i++) {
    const k = i * 4;
    const hi = (words[k + 1] ?? 0) | 0;
    const sign = hi >> 31;
    const v = hi * 4294967296 + (words[k] ?? 0);
    // Strictly inside ±2^53 the sum above is exact (so is the value); the upper words must only
    // extend the sign of the lower 64 bits.
    if (v < TWO_53 && v > -TWO_53 && ((words[k + 2] ?? 0) | 0) === sign && ((words[k + 3] ?? 0) | 0) === sign) {
      out[i] = v / p;
    } else {
      out[i] = decimalToDouble(wordsToBigInt(words, k), precision, scale);
    }
  }
}

/** Whether `type` is or holds (in a Struct, List, FixedSizeList, Map or Union) a Decimal. */
export function holdsDecimal(type: DataType): boolean {
  switch (type.typeId) {
    case Type.Decimal:
      return true;
    case Type.Struct:
    case Type.List:
    case Type.FixedSizeList:
    case Type.Map:
    case Type.Union:
      return type.children.some((child) => holdsDecimal(child.type));
    default:
      return false;
  }
}

function convertField(field: Field): Field {
  if (!holdsDecimal(field.type)) return field;
  return new Field(field.name, convertType(field.type), field.nullable, field.metadata);
}

/** `type` with every Decimal inside it replaced by Float64. */
function convertType(type: DataType): DataType {
  switch (type.typeId) {
    case Type.Decimal:
      return new Float64();
    case Type.Struct:
      return new Struct(type.children.map(convertField));
    case Type.List:
      return new List(convertField(type.children[0] as Field));
    case Type.FixedSizeList:
      return new FixedSizeList((type as FixedSizeList).listSize, convertField(type.children[0] as Field));
    case Type.Map:
      return new Map_(convertField(type.children[0] as Field) as Field<Struct>, (type as Map_).keysSorted);
    case Type.Union: {
      const union = type as Union;
      return new Union(union.mode, Array.from(union.typeIds), union.children.map(convertField));
    }
    default:
      return type;
  }
}

/** `data` with every Decimal inside it as Float64; the same Data when it holds none. */
function convertData(data: Data): Data {
  const { type } = data;
  if (!holdsDecimal(type)) return data;
  const { offset, length, nullBitmap } = data;
  const nullCount = data.nullCount;
  if (type.typeId === Type.Decimal) {
    const { precision, scale, bitWidth } = type as DataType & { precision: number; scale: number; bitWidth: number };
    if (bitWidth !== 128) throw new Error(`decimal-columns: ${bitWidth}-bit decimals are not expected from DuckDB`);
    // arrow-js slices a Data's value buffer but keeps its offset into the validity bitmap: the
    // doubles start at the slice's first value, and the bitmap and offset carry over unchanged.
    const out = new Float64Array(length);
    convertDecimalWords(data.values as Uint32Array, precision, scale, out);
    return makeData({ type: new Float64(), offset, length, nullCount, nullBitmap, data: out });
  }
  const newType = convertType(type);
  const children = data.children.map(convertData);
  const common = { offset, length, nullCount, nullBitmap };
  switch (type.typeId) {
    case Type.Struct:
      return makeData({ type: newType as Struct, ...common, children });
    case Type.List:
      return makeData({
        type: newType as List,
        ...common,
        valueOffsets: data.valueOffsets,
        child: children[0] as Data,
      });
    case Type.FixedSizeList:
      return makeData({ type: newType as FixedSizeList, ...common, child: children[0] as Data });
    case Type.Map:
      return makeData({
        type: newType as Map_,
        ...common,
        valueOffsets: data.valueOffsets,
        child: children[0] as Data<Struct>,
      });
    case Type.Union:
      // A union has no validity bitmap of its own; its type ids (and, dense, offsets) carry over.
      return makeData({
        type: newType as Union,
        offset,
        length,
        nullCount,
        typeIds: data.typeIds,
        valueOffsets: data.valueOffsets,
        children,
      });
    default:
      return data;
  }
}

/** `table` with every Decimal column (top-level or nested) as Float64; the same table when it has none. */
export function decimalsToDoubles(table: Table): Table {
  if (!table.schema.fields.some((f) => holdsDecimal(f.type))) return table;
  const schema = new Schema(table.schema.fields.map(convertField), table.schema.metadata);
  const batches = table.batches.map((batch) => new RecordBatch(schema, convertData(batch.data) as Data<Struct>));
  return new Table(schema, batches);
}

/**
 * An Arrow IPC stream with its Decimal columns as Float64 (see decimalsToDoubles). Returns the
 * same bytes, untouched and unparsed past the schema, when the stream holds no decimal.
 */
export function decimalIpcToDoubles(ipc: Uint8Array): Uint8Array {
  if (ipc.byteLength === 0) return ipc;
  const reader = RecordBatchReader.from(ipc).open();
  if (!reader.schema?.fields.some((f) => holdsDecimal(f.type))) return ipc;
  return tableToIPC(decimalsToDoubles(tableFromIPC(ipc)), "stream");
}
