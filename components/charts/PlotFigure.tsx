"use client";

import { useEffect, useRef, useState } from "react";

export type PlotModule = typeof import("@observablehq/plot");
/** Builds one chart with Observable Plot; returns the SVG (or figure) element. */
export type ChartRender = (Plot: PlotModule, width: number) => SVGSVGElement | HTMLElement;

let plotModule: Promise<PlotModule> | null = null;
/** Plot (and d3) load on first use, after first paint. */
const loadPlot = () => {
  plotModule ??= import("@observablehq/plot");
  return plotModule;
};

export function PlotFigure({ render, title, testId }: { render: ChartRender; title: string; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let disposed = false;
    let element: Element | null = null;
    loadPlot()
      .then((Plot) => {
        if (disposed || !host.current) return;
        const width = Math.max(320, Math.min(host.current.clientWidth || 640, 900));
        element = render(Plot, width);
        host.current.replaceChildren(element);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => {
      disposed = true;
      element?.remove();
    };
  }, [render]);
  return (
    <figure className="chart" data-testid={testId ?? "chart"}>
      <figcaption>{title}</figcaption>
      {error ? <div className="cell-error">Could not draw this chart: {error}</div> : <div ref={host} />}
    </figure>
  );
}
