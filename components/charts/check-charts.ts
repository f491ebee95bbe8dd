/**
 * The charts that explain each check's verdict, as Observable Plot specs. Pure functions of
 * a check's result and params; the PlotFigure component draws them.
 */
import type { CheckOutcome, CheckParams, CheckResult } from "@/lib/audit/checks/types";
import type { DriftColumnResult } from "@/lib/audit/drift";
import type { ChartRender } from "./PlotFigure";
import { PALETTE, PLOT_STYLE } from "./palette";

export interface Chart {
  id: string;
  title: string;
  render: ChartRender;
}

const fmt = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined || Number.isNaN(x) ? "—" : Number(x.toPrecision(digits)).toString();

/**
 * A column's drift as a multiple of its threshold, so every test reads the same way:
 * ≥ 1 means drift. Distances: statistic ÷ threshold. p-values: log(p) ÷ log(threshold).
 */
export function driftScore(c: DriftColumnResult): number {
  if (c.pValue === null) return c.statistic / c.threshold;
  const p = Math.max(c.pValue, 1e-300);
  return Math.log(p) / Math.log(c.threshold);
}

function driftCharts(result: Extract<CheckResult, { family: "drift" }>, focus: string | undefined): Chart[] {
  const columns = [...result.drift.columns].sort((a, b) => driftScore(b) - driftScore(a));
  const data = columns.map((c) => ({
    column: c.column,
    score: driftScore(c),
    drifted: c.drifted,
    text: `${c.method} ${fmt(c.pValue ?? c.statistic)}${c.pValue !== null ? " (p)" : ""}`,
  }));
  const charts: Chart[] = [
    {
      id: "drift-scores",
      title: "Drift per column, relative to each test's threshold (≥ 1 = drifted)",
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 30 + 22 * data.length,
          marginLeft: 130,
          marginRight: 150,
          style: PLOT_STYLE,
          x: { label: "score ÷ threshold", grid: true, nice: true },
          y: { label: null, domain: data.map((d) => d.column) },
          marks: [
            Plot.barX(data, { y: "column", x: "score", fill: (d) => (d.drifted ? PALETTE.fail : PALETTE.pass) }),
            Plot.ruleX([1], { stroke: "currentColor", strokeDasharray: "4,3" }),
            Plot.text(data, { y: "column", x: "score", text: "text", dx: 4, textAnchor: "start" }),
          ],
        }),
    },
  ];
  const chosen = columns.find((c) => c.column === focus) ?? columns[0];
  if (chosen) {
    const bins = chosen.bins.psi;
    const rows = bins.labels.flatMap((label, i) => [
      { bin: label, order: i, side: "reference", share: bins.referenceShares[i] ?? 0 },
      { bin: label, order: i, side: "current", share: bins.currentShares[i] ?? 0 },
    ]);
    charts.push({
      id: `drift-histogram`,
      title: `${chosen.column}: reference vs current (${bins.scheme} bins, PSI ${fmt(chosen.psi)})`,
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 240,
          marginBottom: 60,
          style: PLOT_STYLE,
          fx: { label: null, domain: bins.labels, tickRotate: bins.labels.length > 6 ? -30 : 0 },
          x: { axis: null, domain: ["reference", "current"] },
          y: { label: "share of rows", grid: true, tickFormat: "%" },
          color: { domain: ["reference", "current"], range: [PALETTE.reference, PALETTE.current], legend: true },
          marks: [Plot.barY(rows, { fx: "bin", x: "side", y: "share", fill: "side" }), Plot.ruleY([0])],
        }),
    });
  }
  return charts;
}

function fairnessCharts(result: Extract<CheckResult, { family: "fairness" }>, minRatio: number): Chart[] {
  return result.fairness.attributes.map((a) => {
    const rates = a.groups.filter((g) => g.selectionRate !== null).map((g) => g.selectionRate as number);
    const max = rates.length ? Math.max(...rates) : 0;
    const data = a.groups.map((g) => ({
      group: g.group,
      rate: g.selectionRate,
      lower: g.selectionRateCi?.lower ?? null,
      upper: g.selectionRateCi?.upper ?? null,
      label: `n = ${g.count}${g.small ? " (small)" : ""}`,
      inBand: g.selectionRate !== null && g.selectionRate >= max * minRatio,
    }));
    return {
      id: `fairness-${a.attribute}`,
      title: `Selection rate by ${a.attribute}, 95% Wilson intervals; shaded: within ${minRatio} of the highest`,
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 50 + 34 * data.length,
          marginLeft: 110,
          marginRight: 110,
          style: PLOT_STYLE,
          x: {
            label: "selection rate",
            grid: true,
            domain: [0, Math.min(1, Math.max(0.05, ...data.map((d) => d.upper ?? 0)) * 1.1)],
          },
          y: { label: null, domain: data.map((d) => d.group) },
          marks: [
            Plot.rectX([{ x1: max * minRatio, x2: max }], {
              x1: "x1",
              x2: "x2",
              fill: PALETTE.pass,
              fillOpacity: 0.15,
            }),
            Plot.barX(data, {
              y: "group",
              x: "rate",
              fill: (d) => (d.inBand ? PALETTE.current : PALETTE.fail),
              insetTop: 6,
              insetBottom: 6,
            }),
            Plot.ruleY(data, { y: "group", x1: "lower", x2: "upper", stroke: "currentColor" }),
            Plot.text(data, { y: "group", x: "upper", text: "label", dx: 6, textAnchor: "start" }),
          ],
        }),
    };
  });
}

function calibrationCharts(result: Extract<CheckResult, { family: "calibration" }>): Chart[] {
  const bins = result.calibration.bins;
  return [
    {
      id: "reliability",
      title: `Reliability diagram (ECE ${fmt(result.calibration.ece)}, MCE ${fmt(result.calibration.mce)}); dot size = rows`,
      render: (Plot, width) =>
        Plot.plot({
          width: Math.min(width, 520),
          height: 340,
          style: PLOT_STYLE,
          x: { label: "mean score", domain: [0, 1], grid: true },
          y: { label: "observed positive rate", domain: [0, 1], grid: true },
          r: { range: [2, 14] },
          marks: [
            Plot.line(
              [
                [0, 0],
                [1, 1],
              ],
              { stroke: "currentColor", strokeOpacity: 0.4, strokeDasharray: "4,3" },
            ),
            Plot.link(bins, {
              x1: "meanScore",
              y1: "meanScore",
              x2: "meanScore",
              y2: "fractionPositive",
              stroke: PALETTE.fail,
              strokeOpacity: 0.6,
            }),
            Plot.line(bins, { x: "meanScore", y: "fractionPositive", stroke: PALETTE.current }),
            Plot.dot(bins, { x: "meanScore", y: "fractionPositive", r: "count", fill: PALETTE.current, tip: true }),
          ],
        }),
    },
    {
      id: "calibration-counts",
      title: "Rows per score bin",
      render: (Plot, width) =>
        Plot.plot({
          width: Math.min(width, 520),
          height: 140,
          style: PLOT_STYLE,
          x: { label: "score", domain: [0, 1] },
          y: { label: "rows", grid: true },
          marks: [
            Plot.rectY(bins, { x1: "lower", x2: "upper", y: "count", fill: PALETTE.neutral, inset: 1 }),
            Plot.ruleY([0]),
          ],
        }),
    },
  ];
}

function performanceCharts(result: Extract<CheckResult, { family: "performance" }>): Chart[] {
  const p = result.performance;
  const c = p.confusion;
  const cells = [
    { actual: "1", predicted: "1", n: c.tp, name: "TP" },
    { actual: "1", predicted: "0", n: c.fn, name: "FN" },
    { actual: "0", predicted: "1", n: c.fp, name: "FP" },
    { actual: "0", predicted: "0", n: c.tn, name: "TN" },
  ];
  return [
    {
      id: "roc",
      title: `ROC curve (AUC ${fmt(p.rocAuc, 4)})`,
      render: (Plot, width) =>
        Plot.plot({
          width: Math.min(width / 2, 360),
          height: 300,
          style: PLOT_STYLE,
          x: { label: "false positive rate", domain: [0, 1], grid: true },
          y: { label: "true positive rate", domain: [0, 1], grid: true },
          marks: [
            Plot.line(
              [
                [0, 0],
                [1, 1],
              ],
              { stroke: "currentColor", strokeOpacity: 0.4, strokeDasharray: "4,3" },
            ),
            Plot.line(p.rocCurve, { x: "fpr", y: "tpr", stroke: PALETTE.current, strokeWidth: 2 }),
          ],
        }),
    },
    {
      id: "pr",
      title: `Precision–recall curve (average precision ${fmt(p.prAuc, 4)})`,
      render: (Plot, width) =>
        Plot.plot({
          width: Math.min(width / 2, 360),
          height: 300,
          style: PLOT_STYLE,
          x: { label: "recall", domain: [0, 1], grid: true },
          y: { label: "precision", domain: [0, 1], grid: true },
          marks: [
            Plot.line(p.prCurve, {
              x: "recall",
              y: "precision",
              stroke: PALETTE.current,
              strokeWidth: 2,
              curve: "step-before",
            }),
          ],
        }),
    },
    {
      id: "confusion",
      title: "Confusion matrix",
      render: (Plot) =>
        Plot.plot({
          width: 300,
          height: 240,
          style: PLOT_STYLE,
          x: { label: "predicted", domain: ["0", "1"] },
          y: { label: "actual", domain: ["0", "1"] },
          color: { scheme: "blues", type: "sqrt" },
          marks: [
            Plot.cell(cells, { x: "predicted", y: "actual", fill: "n", inset: 1 }),
            Plot.text(cells, {
              x: "predicted",
              y: "actual",
              text: (d) => `${d.name}\n${d.n}`,
              fill: "currentColor",
              stroke: "var(--panel, white)",
              strokeWidth: 3,
              paintOrder: "stroke",
            }),
          ],
        }),
    },
  ];
}

function slicesCharts(result: Extract<CheckResult, { family: "slices" }>): Chart[] {
  const s = result.slices;
  const data = s.slices.slice(0, 12).map((x) => ({
    slice: x.description,
    value: x.value,
    lower: x.ci?.lower ?? x.value,
    upper: x.ci?.upper ?? x.value,
    significant: x.significant,
    n: `n = ${x.n}`,
  }));
  return [
    {
      id: "slices",
      title: `Worst slices by ${s.metric.replace("_", " ")} with 95% intervals; dashed line: whole dataset (${fmt(s.overall.value)})`,
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 40 + 26 * data.length,
          marginLeft: Math.min(320, 8 + 6.2 * Math.max(10, ...data.map((d) => d.slice.length))),
          marginRight: 70,
          style: PLOT_STYLE,
          x: { label: s.metric.replace("_", " "), grid: true },
          y: { label: null, domain: data.map((d) => d.slice) },
          marks: [
            Plot.ruleX([s.overall.value ?? 0], { stroke: "currentColor", strokeDasharray: "4,3" }),
            Plot.ruleY(data, { y: "slice", x1: "lower", x2: "upper", stroke: "currentColor", strokeOpacity: 0.6 }),
            Plot.dot(data, {
              y: "slice",
              x: "value",
              fill: (d) => (d.significant ? PALETTE.fail : PALETTE.neutral),
              r: 4,
            }),
            Plot.text(data, { y: "slice", x: "upper", text: "n", dx: 6, textAnchor: "start" }),
          ],
        }),
    },
  ];
}

function operationalCharts(result: Extract<CheckResult, { family: "operational" }>, maxP99: number): Chart[] {
  const o = result.operational;
  if (!o.latency || o.histogram.length === 0) return [];
  const marks = [
    { at: o.latency.p50, label: `p50 ${fmt(o.latency.p50)}` },
    { at: o.latency.p95, label: `p95 ${fmt(o.latency.p95)}` },
    { at: o.latency.p99, label: `p99 ${fmt(o.latency.p99)}` },
  ];
  return [
    {
      id: "latency",
      title: `Latency distribution; red: the p99 threshold (${maxP99})`,
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 240,
          style: PLOT_STYLE,
          x: { label: "latency", grid: true },
          y: { label: "requests", grid: true },
          marks: [
            Plot.rectY(o.histogram, { x1: "lower", x2: "upper", y: "count", fill: PALETTE.neutral, inset: 0.5 }),
            Plot.ruleX(marks, { x: "at", stroke: PALETTE.current }),
            Plot.text(marks, {
              x: "at",
              text: "label",
              frameAnchor: "top",
              dy: -4,
              dx: 3,
              textAnchor: "start",
              rotate: 0,
            }),
            Plot.ruleX([maxP99], { stroke: PALETTE.fail, strokeDasharray: "5,3", strokeWidth: 2 }),
            Plot.ruleY([0]),
          ],
        }),
    },
  ];
}

function canaryCharts(result: Extract<CheckResult, { family: "canary" }>): Chart[] {
  const rows = result.canary.deltas.flatMap((d) => [
    { metric: d.metric, side: "production", value: d.baseline },
    { metric: d.metric, side: "canary", value: d.candidate },
  ]);
  return [
    {
      id: "canary",
      title: "Production vs canary, per metric",
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 240,
          style: PLOT_STYLE,
          fx: { label: null },
          x: { axis: null, domain: ["production", "canary"] },
          y: { label: "value", grid: true },
          color: { domain: ["production", "canary"], range: [PALETTE.reference, PALETTE.current], legend: true },
          marks: [Plot.barY(rows, { fx: "metric", x: "side", y: "value", fill: "side" }), Plot.ruleY([0])],
        }),
    },
  ];
}

function qualityCharts(result: Extract<CheckResult, { family: "quality" }>): Chart[] {
  const data = result.profile.columns.map((c) => ({
    column: c.column,
    missing: (c.nullCount + c.nanCount) / Math.max(1, result.profile.rows),
  }));
  return [
    {
      id: "nulls",
      title: "Missing values (null or NaN) per column",
      render: (Plot, width) =>
        Plot.plot({
          width,
          height: 30 + 18 * data.length,
          marginLeft: 130,
          style: PLOT_STYLE,
          x: {
            label: "share missing",
            domain: [0, Math.max(0.05, ...data.map((d) => d.missing))],
            tickFormat: "%",
            grid: true,
          },
          y: { label: null, domain: data.map((d) => d.column) },
          marks: [
            Plot.barX(data, { y: "column", x: "missing", fill: (d) => (d.missing > 0 ? PALETTE.warn : PALETTE.pass) }),
          ],
        }),
    },
  ];
}

/** The charts for a check outcome; `focus` picks the drift column whose histogram is shown. */
export function chartsFor(outcome: CheckOutcome, params: CheckParams, focus?: string): Chart[] {
  const r = outcome.result;
  switch (r.family) {
    case "drift":
      return driftCharts(r, focus);
    case "fairness":
      return fairnessCharts(r, params.family === "fairness" ? params.minParityRatio : 0.8);
    case "calibration":
      return calibrationCharts(r);
    case "performance":
      return performanceCharts(r);
    case "slices":
      return slicesCharts(r);
    case "operational":
      return operationalCharts(r, params.family === "operational" ? params.maxP99 : 300);
    case "canary":
      return canaryCharts(r);
    case "quality":
      return qualityCharts(r);
  }
}
