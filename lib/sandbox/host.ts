/**
 * The app's side of the TypeScript-cell sandbox: a hidden iframe with `sandbox="allow-scripts"`
 * (an opaque origin: no access to the app's storage, cookies or DOM) loading
 * public/sandbox/index.html, whose CSP forbids every connection. Runs are serialised; a run
 * that times out or is interrupted takes the whole iframe (and the worker in it) down, and the
 * next run starts a fresh one. See docs/security.md.
 */
import { type FromSandbox, isFromSandbox, type SqlValue, type TsCheck, type TsOutput } from "./protocol";

export interface SandboxRunOptions {
  code: string;
  cellName: string;
  /** Stop the run after this long (default 30 s). */
  timeoutMs?: number;
  /** Runs a `sql` template app-side; resolves with Arrow IPC stream bytes. */
  onSql(strings: string[], values: SqlValue[]): Promise<Uint8Array>;
  onDisplay(output: TsOutput): void;
  onCheck(check: TsCheck): void;
}

export interface SandboxRunResult {
  /** What the cell returned, ready to show. */
  value?: TsOutput;
  /** When the cell returned a table (Arrow or an array of row objects): all of it, as Arrow IPC. */
  table?: Uint8Array;
}

export class SandboxError extends Error {
  constructor(
    message: string,
    readonly kind: "error" | "timeout" | "interrupted" | "unavailable",
  ) {
    super(message);
    this.name = "SandboxError";
  }
}

export interface Sandbox {
  run(options: SandboxRunOptions): Promise<SandboxRunResult>;
  /** Stops the running cell, if any. */
  interrupt(): void;
  dispose(): void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
const START_TIMEOUT_MS = 20_000;

let runCounter = 0;

export function createSandbox(options: { url: string; container?: HTMLElement }): Sandbox {
  let frame: HTMLIFrameElement | null = null;
  let ready: Promise<Window> | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  let stopCurrent: ((error: SandboxError) => void) | null = null;

  function destroyFrame() {
    frame?.remove();
    frame = null;
    ready = null;
  }

  function ensureFrame(): Promise<Window> {
    ready ??= new Promise<Window>((resolve, reject) => {
      const iframe = document.createElement("iframe");
      iframe.setAttribute("sandbox", "allow-scripts");
      iframe.setAttribute("referrerpolicy", "no-referrer");
      iframe.setAttribute("aria-hidden", "true");
      iframe.setAttribute("tabindex", "-1");
      iframe.title = "TypeScript cell sandbox";
      iframe.dataset.testid = "ts-sandbox";
      iframe.style.cssText = "position:absolute;width:0;height:0;border:0;visibility:hidden";
      const timer = setTimeout(() => {
        window.removeEventListener("message", onReady);
        reject(new SandboxError("The TypeScript sandbox did not start.", "unavailable"));
      }, START_TIMEOUT_MS);
      const onReady = (event: MessageEvent) => {
        if (event.source !== iframe.contentWindow || !isFromSandbox(event.data) || event.data.type !== "ready") return;
        clearTimeout(timer);
        window.removeEventListener("message", onReady);
        resolve(iframe.contentWindow as Window);
      };
      window.addEventListener("message", onReady);
      iframe.src = options.url;
      (options.container ?? document.body).appendChild(iframe);
      frame = iframe;
    });
    const current = ready;
    current.catch(() => {
      if (ready === current) destroyFrame();
    });
    return current;
  }

  async function runOnce(run: SandboxRunOptions): Promise<SandboxRunResult> {
    const target = await ensureFrame();
    runCounter += 1;
    const runId = `ts${runCounter}`;
    return new Promise<SandboxRunResult>((resolve, reject) => {
      const finish = (error: SandboxError | null, result?: SandboxRunResult) => {
        clearTimeout(timer);
        window.removeEventListener("message", onMessage);
        stopCurrent = null;
        if (error) reject(error);
        else resolve(result ?? {});
      };
      const timeoutMs = run.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        destroyFrame();
        finish(
          new SandboxError(`Stopped after ${timeoutMs / 1000} s (the time limit for a TypeScript cell).`, "timeout"),
        );
      }, timeoutMs);
      stopCurrent = (error) => {
        destroyFrame();
        finish(error);
      };
      const onMessage = (event: MessageEvent) => {
        if (event.source !== target || !isFromSandbox(event.data)) return;
        const msg: FromSandbox = event.data;
        if (msg.type === "ready" || msg.runId !== runId) return;
        switch (msg.type) {
          case "sql":
            run.onSql(msg.strings, msg.values).then(
              (ipc) => target.postMessage({ type: "sql-result", runId, reqId: msg.reqId, ipc }, "*"),
              (error: unknown) =>
                target.postMessage(
                  {
                    type: "sql-result",
                    runId,
                    reqId: msg.reqId,
                    error: error instanceof Error ? error.message : String(error),
                  },
                  "*",
                ),
            );
            break;
          case "display":
            run.onDisplay(msg.output);
            break;
          case "check":
            run.onCheck(msg.check);
            break;
          case "done":
            finish(null, { ...(msg.value ? { value: msg.value } : {}), ...(msg.table ? { table: msg.table } : {}) });
            break;
          case "failed":
            finish(new SandboxError(msg.message, "error"));
            break;
        }
      };
      window.addEventListener("message", onMessage);
      target.postMessage({ type: "run", runId, code: run.code, cellName: run.cellName }, "*");
    });
  }

  return {
    run(run) {
      const result = tail.then(() => runOnce(run));
      tail = result.catch(() => undefined);
      return result;
    },
    interrupt() {
      stopCurrent?.(new SandboxError("Interrupted.", "interrupted"));
    },
    dispose() {
      stopCurrent?.(new SandboxError("The sandbox was closed.", "interrupted"));
      destroyFrame();
    },
  };
}
