/**
 * The sandbox frame's only script (inlined into sandbox/index.html, allowed by its hash). It
 * relays messages between the app (its parent) and a worker that runs one cell; a new worker
 * per run, so nothing a cell leaves behind reaches the next. The frame itself never runs cell
 * code, so a cell stuck in `while (true) {}` cannot stop this relay.
 */
import type { FromSandbox, ToSandbox } from "../lib/sandbox/protocol";

declare const __WORKER_SOURCE__: string;

const workerUrl = URL.createObjectURL(new Blob([__WORKER_SOURCE__], { type: "text/javascript" }));
let worker: Worker | null = null;
const toApp = (message: FromSandbox) => window.parent.postMessage(message, "*");

window.addEventListener("message", (event: MessageEvent<ToSandbox>) => {
  if (event.source !== window.parent) return;
  const msg = event.data;
  if (msg?.type === "run") {
    worker?.terminate();
    const current = new Worker(workerUrl, { name: "assay-ts-cell" });
    worker = current;
    current.onmessage = (e: MessageEvent<FromSandbox>) => {
      if (worker === current) toApp(e.data);
    };
    current.onerror = (e) => {
      e.preventDefault();
      if (worker === current)
        toApp({ type: "failed", runId: msg.runId, message: e.message || "The cell's worker failed." });
    };
    current.postMessage(msg);
  } else if (msg?.type === "sql-result") {
    worker?.postMessage(msg);
  }
});

toApp({ type: "ready" });
