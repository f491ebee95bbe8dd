/**
 * Native DuckDB (`@duckdb/node-api`) behind the same `QueryFn` contract the browser
 * engine offers, for the CLI, benchmarks and unit tests. Results are converted to Arrow
 * so that `lib/audit` reads them exactly as it reads DuckDB-WASM's.
 */
import {
  type DuckDBArrayType,
  type DuckDBConnection,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBListType,
  type DuckDBMaterializedResult,
  DuckDBResultReader,
  type DuckDBStructType,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
} from "@duckdb/node-api";
import {
  Bool,
  type DataType,
  DateDay,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  Struct,
  Table,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  makeData,
  makeVector,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import { decimalToDouble, hugeintToDouble } from "./decimal-columns";
import { NATIVE_ONLY_SETTINGS, SESSION_SETTINGS } from "./session-settings";
import { EngineError, type QueryFn } from "./types";

export interface NodeEngineOptions {
  /** Database path; in memory when omitted. */
  path?: string;
  /** DuckDB `memory_limit`, e.g. `8GB`. */
  memoryLimit?: string;
  /** Folder DuckDB spills to when a query outgrows memory. */
  tempDirectory?: string;
  /** Worker threads; DuckDB's default (all cores) when omitted. */
  threads?: number;
}

export interface NodeEngine {
  query: QueryFn;
  /** Runs a statement for its side effect (CREATE, COPY, SET…). */
  exec(sql: string): Promise<void>;
  version(): Promise<string>;
  close(): Promise<void>;
}

export async function createNodeEngine(options: NodeEngineOptions = {}): Promise<NodeEngine> {
  const config: Record<string, string> = {};
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(options.path ?? ":memory:", config);
  const connection: DuckDBConnection = await instance.connect();
  for (const statement of [...SESSION_SETTINGS, ...NATIVE_ONLY_SETTINGS]) await connection.run(statement);

  const run = async (sql: string): Promise<DuckDBResultReader> => {
    try {
      return await connection.runAndReadAll(sql);
    } catch (error) {
      throw new EngineError(error instanceof Error ? error.message : String(error), sql);
    }
  };

  /**
   * Numeric-only results (the audit's aggregates) straight from DuckDB's chunks; others through
   * a reader over the same materialized result. (Until session 6 the others ran their statement a
   * second time through `runAndReadAll`: 45 of the standard audit's 75 statements, ~1.9 s of its
   * 6.8 s natively at 1M + 1M rows.)
   */
  const query = async (sql: string): Promise<Table> => {
    let result: DuckDBMaterializedResult;
    try {
      result = await connection.run(sql);
    } catch (error) {
      throw new EngineError(error instanceof Error ? error.message : String(error), sql);
    }
    const numeric = chunksToArrow(result);
    if (numeric) return numeric;
    const reader = new DuckDBResultReader(result);
    await reader.readAll();
    return readerToArrow(reader);
  };

  return {
    query,
    exec: async (sql) => {
      await run(sql);
    },
    version: async () => {
      const reader = await run("SELECT version() AS v");
      return String(reader.getRowsJS()[0]?.[0]);
    },
    close: async () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function arrowType(type: DuckDBType): DataType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
      return new Int8();
    case DuckDBTypeId.SMALLINT:
      return new Int16();
    case DuckDBTypeId.INTEGER:
      return new Int32();
    case DuckDBTypeId.BIGINT:
      return new Int64();
    case DuckDBTypeId.UTINYINT:
      return new Uint8();
    case DuckDBTypeId.USMALLINT:
      return new Uint16();
    case DuckDBTypeId.UINTEGER:
      return new Uint32();
    case DuckDBTypeId.UBIGINT:
      return new Uint64();
    case DuckDBTypeId.FLOAT:
      return new Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      // As DuckDB-WASM's results are converted (decimal-columns.ts; HUGEINT arrives there as
      // DECIMAL(38, 0)): DOUBLE, rounded as DuckDB's CAST rounds.
      return new Float64();
    case DuckDBTypeId.DATE:
      return new DateDay();
    // Timestamps and times keep DuckDB's unit, as DuckDB-WASM's Arrow export does (exact values,
    // so both engines hash them alike; see temporalVector).
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new TimestampMicrosecond();
    case DuckDBTypeId.TIMESTAMP_S:
      return new TimestampSecond();
    case DuckDBTypeId.TIMESTAMP_MS:
      return new TimestampMillisecond();
    case DuckDBTypeId.TIMESTAMP_NS:
      return new TimestampNanosecond();
    case DuckDBTypeId.TIME:
      return new TimeMicrosecond();
    case DuckDBTypeId.STRUCT: {
      const struct = type as DuckDBStructType;
      return new Struct(
        struct.entryNames.map((name, i) => new Field(name, arrowType(struct.entryTypes[i] as DuckDBType), true)),
      );
    }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return new List(new Field("item", arrowType((type as DuckDBListType).valueType), true));
    default:
      return new Utf8();
  }
}

function toArrowValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof Float64 || type instanceof Float32) return Number(value);
  if (type instanceof Int64 || type instanceof Uint64) return BigInt(value as bigint | number);
  if (type instanceof Int8 || type instanceof Int16 || type instanceof Int32) return Number(value);
  if (type instanceof Uint8 || type instanceof Uint16 || type instanceof Uint32) return Number(value);
  if (type instanceof DateDay || type instanceof TimestampMicrosecond) {
    return value instanceof Date ? value : new Date(String(value));
  }
  if (type instanceof List) {
    const child = type.children[0]?.type as DataType;
    return (value as unknown[]).map((item) => toArrowValue(item, child));
  }
  if (type instanceof Bool) return Boolean(value);
  return typeof value === "string"
    ? value
    : JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

type NumericArray =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int8ArrayConstructor
  | Int16ArrayConstructor
  | Int32ArrayConstructor
  | Uint8ArrayConstructor
  | Uint16ArrayConstructor
  | Uint32ArrayConstructor;

/** An Arrow vector over a typed array, with an optional validity bitmap. */
function fixedWidthVector(
  type: DataType,
  length: number,
  nullCount: number,
  nullBitmap: Uint8Array | null,
  data: ArrayBufferView | undefined,
): Vector {
  // biome-ignore lint/suspicious/noExplicitAny: makeData's overloads are keyed by the concrete type.
  return makeVector(makeData({ type, length, nullCount, nullBitmap, data } as any)) as Vector;
}

function numericArrayFor(type: DataType): NumericArray | null {
  if (type instanceof Float64) return Float64Array;
  if (type instanceof Float32) return Float32Array;
  if (type instanceof Int8) return Int8Array;
  if (type instanceof Int16) return Int16Array;
  if (type instanceof Int32) return Int32Array;
  if (type instanceof Uint8) return Uint8Array;
  if (type instanceof Uint16) return Uint16Array;
  if (type instanceof Uint32) return Uint32Array;
  return null;
}

/**
 * Fixed-width numeric columns straight into typed arrays (with a validity bitmap for nulls):
 * `vectorFromArray`'s per-value builder costs ~1 s per million values, and the drift scans read
 * histograms of ~10^5–10^6 rows.
 */
function numericVector(values: readonly unknown[], type: DataType): Vector | null {
  const wide = type instanceof Int64 || type instanceof Uint64;
  const Numeric = numericArrayFor(type);
  if (!Numeric && !wide) return null;
  const n = values.length;
  const data = wide
    ? type instanceof Int64
      ? new BigInt64Array(n)
      : new BigUint64Array(n)
    : new (Numeric as NumericArray)(n);
  const { bitmap, nullCount } = validity(values);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (wide) (data as BigInt64Array)[i] = BigInt(v as bigint | number);
    else (data as Float64Array)[i] = Number(v);
  }
  return fixedWidthVector(type, n, nullCount, bitmap, data);
}

/** The typed array behind a DuckDB vector of `type`, when the binding exposes it (it does in 1.4.3). */
function vectorItems(vector: unknown, type: DataType): ArrayLike<number | bigint> | null {
  const items = (vector as { items?: unknown }).items;
  if (type instanceof Float64 && items instanceof Float64Array) return items;
  if (type instanceof Int32 && items instanceof Int32Array) return items;
  if (type instanceof Int64 && items instanceof BigInt64Array) return items;
  return null;
}

function isValid(vector: unknown, i: number): boolean {
  const validity = (vector as { validity?: { itemValid?: (i: number) => boolean } }).validity;
  return validity?.itemValid ? validity.itemValid(i) : true;
}

/**
 * DOUBLE / INTEGER / BIGINT results copied chunk by chunk from DuckDB's vectors: the reader's
 * per-value conversion costs ~0.5 µs a value, which the drift histograms (10^5–10^6 rows) feel.
 * Null when a column has another type (or the binding changes shape): the caller takes the reader.
 */
function chunksToArrow(result: DuckDBMaterializedResult): Table | null {
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes().map((t) => arrowType(t));
  if (!types.every((t) => t instanceof Float64 || t instanceof Int32 || t instanceof Int64)) return null;
  const typeIds = result.columnTypes().map((t) => t.typeId);
  if (typeIds.some((id) => id !== DuckDBTypeId.DOUBLE && id !== DuckDBTypeId.INTEGER && id !== DuckDBTypeId.BIGINT)) {
    return null;
  }
  const rows = result.rowCount;
  const data = types.map((t) =>
    t instanceof Int64 ? new BigInt64Array(rows) : t instanceof Int32 ? new Int32Array(rows) : new Float64Array(rows),
  );
  const bitmaps: (Uint8Array | null)[] = types.map(() => null);
  const nulls = types.map(() => 0);
  let offset = 0;
  for (let c = 0; c < result.chunkCount; c++) {
    const chunk = result.getChunk(c);
    const count = chunk.rowCount;
    for (let col = 0; col < types.length; col++) {
      const vector = chunk.getColumnVector(col);
      const items = vectorItems(vector, types[col] as DataType);
      if (!items) return null;
      (data[col] as Float64Array).set(items as Float64Array, offset);
      for (let i = 0; i < count; i++) {
        if (isValid(vector, i)) continue;
        const bitmap = bitmaps[col] ?? new Uint8Array((rows + 7) >> 3).fill(255);
        bitmaps[col] = bitmap;
        const k = offset + i;
        bitmap[k >> 3] = (bitmap[k >> 3] ?? 0) & ~(1 << (k & 7));
        nulls[col] = (nulls[col] ?? 0) + 1;
      }
    }
    offset += count;
  }
  const vectors: Record<string, Vector> = {};
  names.forEach((name, col) => {
    vectors[name] = fixedWidthVector(types[col] as DataType, rows, nulls[col] ?? 0, bitmaps[col] ?? null, data[col]);
  });
  return new Table(vectors);
}

/** The integer a timestamp or time value holds in its own unit (micros, seconds, millis, nanos). */
function temporalInteger(value: DuckDBValue): bigint {
  const v = value as { micros?: bigint; seconds?: bigint; millis?: bigint; nanos?: bigint };
  const n = v.micros ?? v.seconds ?? v.millis ?? v.nanos;
  if (typeof n !== "bigint") throw new Error(`node-engine: ${String(value)} is not a timestamp or time value`);
  return n;
}

/**
 * Whether a column is built from DuckDB's own values (exactVector) instead of their JS conversion:
 * timestamps and times, and the STRUCTs and LISTs that may hold them at any depth.
 */
function isExact(type: DuckDBType): boolean {
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIME:
      return true;
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return true;
    default:
      return false;
  }
}

/** A validity bitmap and null count for `values` (null when none is null). */
function validity(values: readonly unknown[]): { bitmap: Uint8Array | null; nullCount: number } {
  let bitmap: Uint8Array | null = null;
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) return;
    bitmap ??= new Uint8Array((values.length + 7) >> 3).fill(255);
    bitmap[i >> 3] = (bitmap[i >> 3] ?? 0) & ~(1 << (i & 7));
    nullCount++;
  });
  return { bitmap, nullCount };
}

/**
 * JS values as `getColumnsJS` gives them, except:
 * - timestamps, times, structs and lists stay DuckDB's own values for exactVector (the JS conversion
 *   makes Dates, which drop the microseconds and throw on ±infinity);
 * - DECIMAL and HUGEINT become the DOUBLE DuckDB's CAST gives, as DuckDB-WASM's results are
 *   converted (decimal-columns.ts), not node-api's own conversion (which differs in rare cases).
 */
const keepExact: DuckDBValueConverter<unknown> = (value, type, converter) => {
  if (isExact(type)) return value;
  if (value instanceof DuckDBDecimalValue) return decimalToDouble(value.value, value.width, value.scale);
  if (type.typeId === DuckDBTypeId.HUGEINT && typeof value === "bigint") return hugeintToDouble(value);
  return JSDuckDBValueConverter(value, type, converter as unknown as DuckDBValueConverter<JS>);
};

/** A column of `keepExact` values: exact columns by exactVector, the others from their JS values. */
function columnVector(values: readonly unknown[], duckType: DuckDBType): Vector {
  if (isExact(duckType)) return exactVector(values, duckType);
  const type = arrowType(duckType);
  return (
    numericVector(values, type) ??
    (vectorFromArray(
      values.map((v) => toArrowValue(v, type)),
      type,
    ) as Vector)
  );
}

/**
 * A column from DuckDB's own values: timestamps and times as the integers DuckDB stores, in their
 * unit; structs entry by entry and lists item by item, each as a column of its own type (so a
 * timestamp in a list keeps its microseconds, as at the top level, and other types take their JS
 * conversion, as top-level columns do).
 */
function exactVector(values: readonly unknown[], duckType: DuckDBType): Vector {
  const type = arrowType(duckType);
  const { bitmap, nullCount } = validity(values);
  const convert = (v: DuckDBValue | undefined, t: DuckDBType) =>
    v === null || v === undefined ? null : keepExact(v, t, keepExact);
  if (duckType.typeId === DuckDBTypeId.STRUCT) {
    const struct = duckType as DuckDBStructType;
    const children = struct.entryNames.map((name, e) => {
      const entryType = struct.entryTypes[e] as DuckDBType;
      const entries = values.map((v) =>
        v === null || v === undefined
          ? null
          : convert((v as { entries: Record<string, DuckDBValue> }).entries[name], entryType),
      );
      return columnVector(entries, entryType).data[0];
    });
    // biome-ignore lint/suspicious/noExplicitAny: makeData's overloads are keyed by the concrete type.
    return makeVector(makeData({ type, length: values.length, nullCount, nullBitmap: bitmap, children } as any));
  }
  if (duckType.typeId === DuckDBTypeId.LIST || duckType.typeId === DuckDBTypeId.ARRAY) {
    const itemType = (duckType as DuckDBListType | DuckDBArrayType).valueType;
    const valueOffsets = new Int32Array(values.length + 1);
    const items: unknown[] = [];
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) {
        for (const item of (v as { items: readonly DuckDBValue[] }).items) items.push(convert(item, itemType));
      }
      valueOffsets[i + 1] = items.length;
    });
    const child = columnVector(items, itemType).data[0];
    return makeVector(
      // biome-ignore lint/suspicious/noExplicitAny: makeData's overloads are keyed by the concrete type.
      makeData({ type, length: values.length, nullCount, nullBitmap: bitmap, valueOffsets, child } as any),
    );
  }
  const data = new BigInt64Array(values.length);
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) data[i] = temporalInteger(v as DuckDBValue);
  });
  return fixedWidthVector(type, values.length, nullCount, bitmap, data);
}

function readerToArrow(reader: DuckDBResultReader): Table {
  const names = reader.deduplicatedColumnNames();
  const types = reader.columnTypes();
  const columns = reader.convertColumns(keepExact);
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    vectors[name] = columnVector((columns[i] ?? []) as unknown[], types[i] as DuckDBType);
  });
  return new Table(vectors);
}
