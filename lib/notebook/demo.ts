/**
 * The notebook that opens on first start, over the bundled sample logs
 * (public/samples, made by scripts/generate-samples.mjs).
 */
import { addAuditTemplate } from "./audit-template";
import { addCell } from "./document";
import type { NotebookDocument } from "./types";

/** Sample files the demo loads, relative to the app's base URL, and their table names. */
export const DEMO_DATASETS = [
  { name: "reference", path: "samples/reference.parquet" },
  { name: "production", path: "samples/production.parquet" },
] as const;

const CELLS: { kind: "sql" | "markdown"; name: string; source: string }[] = [
  {
    kind: "markdown",
    name: "intro",
    source: `# Credit-default model: production audit (demo)

Two bundled prediction logs: **reference** (the validation period, January) and **production** (two weeks of March,
30% of traffic on the \`v2-canary\` model). Each row is one scored application: features, the model's \`score\`,
its \`prediction\`, the observed \`label\` and the request's \`latency_ms\`.

Below: the standard audit (each check states its threshold and shows why it passed or failed), then SQL cells to
dig further. Run everything with **Run all**, or a cell with **Shift+Enter**. Each SQL cell's result is a table named
after the cell.`,
  },
  {
    kind: "sql",
    name: "volume",
    source: `-- Requests, mean score and observed default rate per model version
SELECT model_version,
       count(*)                    AS requests,
       round(avg(score), 4)        AS mean_score,
       round(avg(label), 4)        AS default_rate,
       round(avg(prediction), 4)   AS flagged_rate
FROM production
GROUP BY model_version
ORDER BY model_version`,
  },
  {
    kind: "sql",
    name: "region_mix",
    source: `-- How the share of each region moved between the periods
WITH r AS (SELECT region, count(*) / sum(count(*)) OVER () AS share FROM reference GROUP BY region),
     p AS (SELECT region, count(*) / sum(count(*)) OVER () AS share FROM production GROUP BY region)
SELECT region,
       round(r.share, 4) AS reference_share,
       round(p.share, 4) AS production_share,
       round((p.share - r.share) * ln(p.share / r.share), 4) AS psi_term
FROM r FULL JOIN p USING (region)
ORDER BY psi_term DESC`,
  },
  {
    kind: "sql",
    name: "selection_by_sex",
    source: `-- Selection rate and true-positive rate per group, production
SELECT sex,
       count(*) AS n,
       round(avg(prediction), 4) AS selection_rate,
       round(sum(prediction * label) / nullif(sum(label), 0), 4) AS tpr
FROM production
GROUP BY sex
ORDER BY sex`,
  },
  {
    kind: "sql",
    name: "parity",
    source: `-- Demographic parity ratio, from the previous cell's result
SELECT round(min(selection_rate) / max(selection_rate), 4) AS demographic_parity_ratio,
       min(selection_rate) / max(selection_rate) >= 0.8 AS passes_four_fifths
FROM selection_by_sex`,
  },
  {
    kind: "sql",
    name: "latency",
    source: `-- Latency percentiles per model version (linear interpolation)
SELECT model_version,
       round(quantile_cont(latency_ms, 0.50), 1) AS p50,
       round(quantile_cont(latency_ms, 0.95), 1) AS p95,
       round(quantile_cont(latency_ms, 0.99), 1) AS p99,
       round(avg(is_error::INTEGER), 4)           AS error_rate
FROM production
GROUP BY model_version
ORDER BY model_version`,
  },
];

/**
 * The demo over loaded sample datasets (`doc` holds them): the introduction, the standard
 * audit from the template (with a canary check of v2 against v1), then SQL to dig further.
 */
export function createDemoNotebook(doc: NotebookDocument): NotebookDocument {
  const [intro, ...rest] = CELLS;
  let next: NotebookDocument = { ...doc, title: "Credit model audit (demo)", cells: [] };
  if (intro) next = addCell(next, intro.kind, { name: intro.name, source: intro.source }).doc;
  if (doc.datasets.some((d) => d.name === "reference") && doc.datasets.some((d) => d.name === "production")) {
    next = addAuditTemplate(next, {
      reference: "reference",
      current: "production",
      label: "label",
      score: "score",
      prediction: "prediction",
      groups: ["sex", "age_band"],
      canary: { column: "model_version", baseline: "v1", candidate: "v2-canary" },
    });
  }
  for (const cell of rest) next = addCell(next, cell.kind, { name: cell.name, source: cell.source }).doc;
  return next;
}
