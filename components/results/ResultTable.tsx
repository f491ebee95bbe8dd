"use client";

import type { Table } from "apache-arrow";
import { useEffect, useState } from "react";
import type { CellResult } from "@/lib/engine/browser-engine";
import { formatCount, formatMs, formatValue } from "@/lib/format";
import { notebookActions } from "@/lib/store/notebook-store";
import { ResultDownloads } from "./ResultDownloads";

const PAGE_SIZE = 100;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UBIGINT|UINTEGER|FLOAT|DOUBLE|DECIMAL|Int|Float|Uint)/i;

/**
 * A result, one page of rows at a time: the full result stays in DuckDB (the cell's table),
 * so ten million rows cost one page of DOM, not ten million rows of it.
 */
export function ResultTable({ result }: { result: CellResult }) {
  const [page, setPage] = useState(0);
  const [rows, setRows] = useState<Table | null>(result.kind === "table" ? result.firstPage : result.rows);
  const [error, setError] = useState<string | null>(null);
  const pages = Math.max(1, Math.ceil(result.rowCount / PAGE_SIZE));

  useEffect(() => {
    setPage(0);
    setRows(result.kind === "table" ? result.firstPage : result.rows);
  }, [result]);

  useEffect(() => {
    if (result.kind !== "table") return;
    if (page === 0) {
      setRows(result.firstPage);
      return;
    }
    let stale = false;
    notebookActions
      .fetchRows(result.table, page * PAGE_SIZE, PAGE_SIZE)
      .then((t) => !stale && setRows(t))
      .catch((e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stale = true;
    };
  }, [page, result]);

  const offset = result.kind === "table" ? page * PAGE_SIZE : 0;
  const visible = rows ? (result.kind === "rows" ? rows.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE) : rows) : null;
  const first = result.rowCount === 0 ? 0 : page * PAGE_SIZE + 1;
  const last = Math.min(result.rowCount, (page + 1) * PAGE_SIZE);

  return (
    <div data-testid="result">
      <div className="result-meta">
        <span data-testid="result-row-count" data-rows={result.rowCount}>
          {formatCount(result.rowCount)} {result.rowCount === 1 ? "row" : "rows"}
        </span>
        <span>{result.columns.length} columns</span>
        <span data-testid="result-elapsed">{formatMs(result.elapsedMs)}</span>
        {result.kind === "table" && (
          <span>
            as table <code>{result.table}</code>
          </span>
        )}
        <span className="spacer" />
        {result.kind === "table" && <ResultDownloads table={result.table} />}
        {pages > 1 && (
          <span className="pager">
            <button type="button" disabled={page === 0} onClick={() => setPage(0)} aria-label="First page">
              «
            </button>{" "}
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)} aria-label="Previous page">
              ‹
            </button>{" "}
            <span data-testid="result-range">
              {formatCount(first)}–{formatCount(last)}
            </span>{" "}
            <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)} aria-label="Next page">
              ›
            </button>{" "}
            <button
              type="button"
              disabled={page >= pages - 1}
              onClick={() => setPage(pages - 1)}
              aria-label="Last page"
            >
              »
            </button>
          </span>
        )}
      </div>
      {error && <div className="cell-error">{error}</div>}
      {result.columns.length > 0 && visible && (
        <div className="result-scroll">
          <table className="result">
            <thead>
              <tr>
                <th />
                {result.columns.map((c) => (
                  <th key={c.name} title={`${c.name}: ${c.type}`}>
                    {c.name}
                    <span className="type">{c.type}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: visible.numRows }, (_, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a page have no identity beyond position.
                <tr key={offset + r}>
                  <td className="rownum">{offset + r + 1}</td>
                  {result.columns.map((c, ci) => {
                    const value = visible.getChildAt(ci)?.get(r);
                    const isNull = value === null || value === undefined;
                    return (
                      <td key={c.name} className={isNull ? "null" : NUMERIC.test(c.type) ? "num" : undefined}>
                        {formatValue(value, c.type)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
