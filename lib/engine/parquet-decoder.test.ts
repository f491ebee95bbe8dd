import { describe, expect, it } from "vitest";
import { type DecoderReply, type DecoderRequest, openParquetDecoder, ParquetDecodeError } from "./parquet-decoder";

/** A stand-in for the decode worker: records requests, replies when told to. */
class FakeWorker {
  requests: DecoderRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<DecoderReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(request: DecoderRequest) {
    this.requests.push(request);
  }
  terminate() {
    this.terminated = true;
  }
  reply(message: DecoderReply) {
    this.onmessage?.({ data: message } as MessageEvent<DecoderReply>);
  }
}

const wasm = {} as WebAssembly.Module;
const group = (index: number): DecoderReply => ({
  type: "group",
  index,
  rows: 10,
  ipc: new Uint8Array([index]),
  decodeMs: 1,
});

function open(fake: FakeWorker) {
  return openParquetDecoder(fake as unknown as Worker, new Blob(["PAR1"]), wasm);
}

describe("openParquetDecoder", () => {
  it("hands out row groups in order, acknowledges each, and ends the worker after the last", async () => {
    const fake = new FakeWorker();
    const opening = open(fake);
    expect(fake.requests[0]?.type).toBe("open");
    fake.reply({ type: "opened", groups: 2, rows: 20, schemaIpc: null });
    const decoder = await opening;
    expect(decoder.groups).toBe(2);
    // Replies that arrive before they are asked for wait in order.
    fake.reply(group(0));
    fake.reply(group(1));
    expect((await decoder.next())?.ipc[0]).toBe(0);
    expect(fake.requests.filter((r) => r.type === "taken")).toHaveLength(1);
    expect(fake.terminated).toBe(false);
    const pending = decoder.next();
    expect((await pending)?.index).toBe(1);
    expect(fake.terminated).toBe(true);
    expect(await decoder.next()).toBeNull();
  });

  it("waits for a row group that has not arrived yet", async () => {
    const fake = new FakeWorker();
    const opening = open(fake);
    fake.reply({ type: "opened", groups: 1, rows: 10, schemaIpc: null });
    const decoder = await opening;
    const pending = decoder.next();
    fake.reply(group(0));
    expect((await pending)?.rows).toBe(10);
  });

  it("reports an unreadable footer as a footer error and ends the worker", async () => {
    const fake = new FakeWorker();
    const opening = open(fake);
    fake.reply({ type: "error", stage: "footer", message: "EOF while reading" });
    const error = await opening.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetDecodeError);
    expect((error as ParquetDecodeError).stage).toBe("footer");
    expect(fake.terminated).toBe(true);
  });

  it("fails the next row group when decoding fails, and stays failed", async () => {
    const fake = new FakeWorker();
    const opening = open(fake);
    fake.reply({ type: "opened", groups: 3, rows: 30, schemaIpc: null });
    const decoder = await opening;
    fake.reply({ type: "error", stage: "decode", message: "corrupt page" });
    await expect(decoder.next()).rejects.toThrow("corrupt page");
    await expect(decoder.next()).rejects.toThrow("corrupt page");
    expect(fake.terminated).toBe(true);
  });

  it("passes on the schema of a file with no row groups and ends the worker at once", async () => {
    const fake = new FakeWorker();
    const opening = open(fake);
    fake.reply({ type: "opened", groups: 0, rows: 0, schemaIpc: new Uint8Array([1, 2]) });
    const decoder = await opening;
    expect(decoder.schemaIpc).toEqual(new Uint8Array([1, 2]));
    expect(fake.terminated).toBe(true);
    expect(await decoder.next()).toBeNull();
  });

  it("turns a worker that fails to run into a decode error", async () => {
    const fake = new FakeWorker();
    const opening = open(fake);
    fake.onerror?.({ message: "script failed", preventDefault() {} } as ErrorEvent);
    await expect(opening).rejects.toThrow("script failed");
  });
});
