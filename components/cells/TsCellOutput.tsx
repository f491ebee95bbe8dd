"use client";

import { tableFromIPC } from "apache-arrow";
import { useMemo } from "react";
import type { CellId } from "@/lib/notebook/types";
import type { PlotPart, TsOutput } from "@/lib/sandbox/protocol";
import { useNotebookStore } from "@/lib/store/notebook-store";
import { VerdictBadge } from "../checks/VerdictBadge";
import { PreviewTable } from "../results/PreviewTable";

const PREVIEW_ROWS = 100;

function TsTable({ ipc, rowCount }: { ipc: Uint8Array; rowCount: number }) {
  const table = useMemo(() => tableFromIPC(ipc), [ipc]);
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
  const rows = table.slice(0, PREVIEW_ROWS).toArray();
  return (
    <div className="result-scroll" data-testid="ts-table" data-rows={rowCount}>
      <PreviewTable columns={columns} rows={rows.map((row) => columns.map((c) => row[c.name]))} />
      {rowCount > rows.length && (
        <div className="muted">
          {rows.length} of {rowCount} rows shown
        </div>
      )}
    </div>
  );
}

/**
 * SVG from the sandbox is shown as an image: an SVG image runs no script and loads nothing,
 * whatever its markup says (docs/security.md).
 */
function PlotView({ parts }: { parts: PlotPart[] }) {
  return (
    <figure className="chart ts-plot" data-testid="ts-plot">
      {parts.map((part, i) => {
        const key = `${i}:${part.kind}`;
        if (part.kind === "text") {
          return (
            <span key={key} className="ts-plot-text">
              {part.text}
            </span>
          );
        }
        return (
          // biome-ignore lint/performance/noImgElement: a data: SVG image, not a page asset.
          <img
            key={key}
            alt="plot"
            data-testid="ts-plot-svg"
            width={part.width || undefined}
            height={part.height || undefined}
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(part.markup)}`}
          />
        );
      })}
    </figure>
  );
}

function OutputView({ output }: { output: TsOutput }) {
  switch (output.kind) {
    case "text":
      return (
        <pre className="ts-text" data-testid="ts-text">
          {output.text}
        </pre>
      );
    case "json":
      return (
        <pre className="ts-text" data-testid="ts-json">
          {output.text}
        </pre>
      );
    case "table":
      return <TsTable ipc={output.ipc} rowCount={output.rowCount} />;
    case "plot":
      return <PlotView parts={output.parts} />;
  }
}

const show = (x: number | null) => (x === null ? "—" : Number(x.toPrecision(4)).toString());

export function TsCellOutput({ id }: { id: CellId }) {
  const runtime = useNotebookStore((s) => s.cells[id]);
  if (!runtime) return null;
  const ts = runtime.ts;
  return (
    <div className="cell-output" data-testid="ts-output">
      {ts?.outputs.map((output, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: outputs are append-only, in order.
        <OutputView key={i} output={output} />
      ))}
      {ts && ts.checks.length > 0 && (
        <ul className="ts-checks">
          {ts.checks.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: checks are append-only, in order.
            <li key={i} data-testid="ts-check" data-verdict={c.verdict}>
              <VerdictBadge verdict={c.verdict} /> {c.name}: {show(c.value)} (threshold {c.comparator}{" "}
              {show(c.threshold)})
            </li>
          ))}
        </ul>
      )}
      {runtime.status === "done" && ts?.value && (
        <div className="ts-value" data-testid="ts-value">
          <OutputView output={ts.value} />
        </div>
      )}
      {runtime.status === "done" && ts?.table && (
        <div className="muted" data-testid="ts-result-table">
          Result table <code>{ts.table.name}</code> ({ts.table.rowCount} rows): later cells can query it.
        </div>
      )}
      {runtime.status === "running" && (
        <div className="running" data-testid="cell-running">
          <span className="spinner" /> Running in the sandbox… Interrupt stops it.
        </div>
      )}
      {(runtime.status === "error" || runtime.status === "cancelled") && runtime.error && (
        <div className="cell-error" role="alert" data-testid="cell-error">
          {runtime.status === "cancelled" ? "Interrupted. " : ""}
          {runtime.error.message}
        </div>
      )}
    </div>
  );
}
