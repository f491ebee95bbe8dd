/**
 * Writes the canonical lines of a result (`[tok,tok,…]\n`, see result-values.ts) as UTF-8
 * bytes straight into a buffer, column writer by column writer, without building a string per
 * value or per row: strings are copied from Arrow's UTF-8 buffer with JSON escaping, integers
 * are written digit by digit. The bytes equal `TextEncoder.encode(line)` for the token text.
 */
import { type Data, DataType, makeVector } from "apache-arrow";
import { canonicalNumber, nfc, readValue, token } from "./result-values";

/** A growable byte buffer. */
export class ByteSink {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  private readonly encoder = new TextEncoder();

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Writes a string as UTF-8. */
  text(s: string): void {
    this.reserve(s.length * 3);
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      for (let i = 0; i < s.length; i++) this.bytes[this.length + i] = s.charCodeAt(i);
      this.length += s.length;
    } else {
      this.length += this.encoder.encodeInto(s, this.bytes.subarray(this.length)).written;
    }
  }
}

/** Writes the token of row `i` of a chunk. */
export type ColumnWriter = (sink: ByteSink, i: number) => void;

const NULL = [0x6e, 0x75, 0x6c, 0x6c];
const HEX = "0123456789abcdef";
// Escapes JSON.stringify uses for control characters.
const SHORT_ESCAPES: Record<number, number> = { 8: 0x62, 9: 0x74, 10: 0x6e, 12: 0x66, 13: 0x72 };

function writeNull(sink: ByteSink): void {
  sink.reserve(4);
  sink.bytes.set(NULL, sink.length);
  sink.length += 4;
}

function writeNumber(sink: ByteSink, x: number): void {
  sink.text(canonicalNumber(x));
}

/** A JSON string from UTF-8 bytes, escaped as JSON.stringify escapes; non-ASCII text goes through NFC. */
function writeUtf8(sink: ByteSink, src: Uint8Array, from: number, to: number, decoder: TextDecoder): void {
  for (let j = from; j < to; j++) {
    if ((src[j] as number) > 0x7f) {
      const s = decoder.decode(src.subarray(from, to));
      const normal = nfc(s);
      if (normal !== s) {
        sink.text(JSON.stringify(normal));
        return;
      }
      break;
    }
  }
  sink.reserve((to - from) * 6 + 2);
  const out = sink.bytes;
  let n = sink.length;
  out[n++] = 0x22;
  for (let j = from; j < to; j++) {
    const b = src[j] as number;
    if (b === 0x22 || b === 0x5c) {
      out[n++] = 0x5c;
      out[n++] = b;
    } else if (b < 0x20) {
      out[n++] = 0x5c;
      const short = SHORT_ESCAPES[b];
      if (short !== undefined) out[n++] = short;
      else {
        out[n++] = 0x75;
        out[n++] = 0x30;
        out[n++] = 0x30;
        out[n++] = HEX.charCodeAt(b >> 4);
        out[n++] = HEX.charCodeAt(b & 15);
      }
    } else out[n++] = b;
  }
  out[n++] = 0x22;
  sink.length = n;
}

/** The writer for one chunk, chosen once from its type. */
export function columnWriter(data: Data): ColumnWriter {
  const type = data.type;
  const nullable = data.nullCount > 0;
  const orNull =
    (write: ColumnWriter): ColumnWriter =>
    (sink, i) => {
      if (nullable && !data.getValid(i)) writeNull(sink);
      else write(sink, i);
    };
  if (DataType.isNull(type)) return writeNull;
  if (DataType.isInt(type) || (DataType.isFloat(type) && type.precision !== 0)) {
    const values = data.values as ArrayLike<number | bigint>;
    return orNull((sink, i) => writeNumber(sink, Number(values[i])));
  }
  if (DataType.isBool(type)) {
    const vector = makeVector(data);
    return orNull((sink, i) => sink.text(vector.get(i) ? "true" : "false"));
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    const offsets = data.valueOffsets as ArrayLike<number | bigint>;
    const bytes = data.values as Uint8Array;
    const decoder = new TextDecoder();
    return orNull((sink, i) => writeUtf8(sink, bytes, Number(offsets[i]), Number(offsets[i + 1]), decoder));
  }
  if (DataType.isDictionary(type) && data.dictionary) {
    const entries: Uint8Array[] = [];
    for (const chunk of data.dictionary.data) {
      const write = columnWriter(chunk);
      for (let i = 0; i < chunk.length; i++) {
        const one = new ByteSink();
        write(one, i);
        entries.push(one.bytes.slice(0, one.length));
      }
    }
    const keys = data.values as ArrayLike<number | bigint>;
    return orNull((sink, i) => {
      const entry = entries[Number(keys[i])];
      if (!entry) return writeNull(sink);
      sink.reserve(entry.length);
      sink.bytes.set(entry, sink.length);
      sink.length += entry.length;
    });
  }
  const vector = makeVector(data);
  return (sink, i) => sink.text(token(readValue(data, vector, i)));
}

/** Writes every row of a record batch's columns; `row` is called after each line with its start offset. */
export function writeBatch(sink: ByteSink, columns: readonly Data[], rows: number, row: (start: number) => void): void {
  const writers = columns.map(columnWriter);
  for (let r = 0; r < rows; r++) {
    const start = sink.length;
    sink.byte(0x5b);
    for (let c = 0; c < writers.length; c++) {
      if (c > 0) sink.byte(0x2c);
      (writers[c] as ColumnWriter)(sink, r);
    }
    sink.byte(0x5d);
    sink.byte(0x0a);
    row(start);
  }
}
