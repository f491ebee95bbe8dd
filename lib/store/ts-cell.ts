/**
 * Runs a TypeScript cell: the code goes to the sandbox (lib/sandbox/host), its `sql` templates
 * come back here and run on the engine, its outputs and checks are collected, and a returned
 * table becomes a DuckDB table named after the cell, so later cells can query it.
 */
import { tableToIPC } from "apache-arrow";
import type { Verdict } from "../audit/checks/types";
import { judge } from "../audit/checks/verdict";
import type { BrowserEngine } from "../engine/browser-engine";
import { EngineError } from "../engine/types";
import type { CellData, NotebookDocument } from "../notebook/types";
import { createSandbox, type Sandbox, SandboxError } from "../sandbox/host";
import type { TsCheck, TsOutput } from "../sandbox/protocol";
import { renderSqlTemplate } from "../sandbox/sql-template";

export interface TsCheckResult extends TsCheck {
  verdict: Verdict;
}

/** What a TypeScript cell produced (runtime state, never saved). */
export interface TsCellRuntime {
  /** `display()` calls, in order. */
  outputs: TsOutput[];
  /** The returned value, when there was one. */
  value?: TsOutput;
  checks: TsCheckResult[];
  /** The table made from a returned table, named after the cell. */
  table?: { name: string; rowCount: number };
}

/**
 * False for a notebook that came from elsewhere (imported or shared) until the person trusts
 * it. Only TypeScript cells wait for trust; SQL and checks cannot reach the network or storage.
 */
export function isNotebookTrusted(doc: NotebookDocument): boolean {
  if (doc.trusted === false) return false;
  return doc.imported === undefined || doc.trusted === true;
}

export const UNTRUSTED_MESSAGE =
  "This notebook came from elsewhere: its TypeScript cells run only after you choose “Trust this notebook”.";

let sandbox: Sandbox | null = null;

function sandboxFor(): Sandbox {
  sandbox ??= createSandbox({ url: new URL("sandbox/index.html", document.baseURI).href });
  return sandbox;
}

/** Stops the running TypeScript cell (its worker is terminated). */
export function interruptTsCell(): void {
  sandbox?.interrupt();
}

/** Runs a TypeScript cell; `onProgress` sees outputs as they appear. Throws EngineError on failure. */
export async function runTsCell(
  doc: NotebookDocument,
  cell: CellData,
  engine: BrowserEngine,
  onProgress: (state: TsCellRuntime) => void,
  timeoutMs?: number,
): Promise<TsCellRuntime> {
  if (!isNotebookTrusted(doc)) throw new EngineError(UNTRUSTED_MESSAGE, undefined, "input");
  let state: TsCellRuntime = { outputs: [], checks: [] };
  const update = (patch: Partial<TsCellRuntime>) => {
    state = { ...state, ...patch };
    onProgress(state);
  };
  update({});
  try {
    const result = await sandboxFor().run({
      code: cell.source,
      cellName: cell.name,
      ...(timeoutMs ? { timeoutMs } : {}),
      async onSql(strings, values) {
        const table = await engine.query(renderSqlTemplate(strings, values));
        return tableToIPC(table, "stream");
      },
      onDisplay: (output) => update({ outputs: [...state.outputs, output] }),
      onCheck: (check) =>
        update({
          checks: [...state.checks, { ...check, verdict: judge(check.value, check.comparator, check.threshold) }],
        }),
    });
    if (result.table) {
      const rowCount = await engine.insertTable(cell.name, result.table);
      update({ table: { name: cell.name, rowCount } });
    }
    update(result.value ? { value: result.value } : {});
    return state;
  } catch (error) {
    if (error instanceof SandboxError) {
      throw new EngineError(error.message, undefined, error.kind === "interrupted" ? "cancelled" : "query");
    }
    throw error;
  }
}
