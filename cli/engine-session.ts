/**
 * A native DuckDB for one command: `--memory-limit`, `--temp-dir`, `--threads`, a fresh temp
 * folder when none is given, and a scratch folder for Arrow inputs; `close()` removes both.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createNodeEngine, type NodeEngine } from "../lib/engine/node-engine";
import { type FlagSpec, type FlagValues, integerFlag, memoryFlag, stringFlag } from "./args";
import { CliError, firstLine } from "./errors";

/** The engine flags, for a command's FlagSpec. */
export const ENGINE_FLAGS: FlagSpec = {
  "memory-limit": { type: "string" },
  "temp-dir": { type: "string" },
  threads: { type: "string" },
};

export interface EngineSession {
  engine: NodeEngine;
  /** A folder for intermediate files (created on first use). */
  scratch: () => string;
  close(): Promise<void>;
}

/** Opens DuckDB with the engine flags of `values`; a start failure is a CliError. */
export async function openEngineSession(values: FlagValues): Promise<EngineSession> {
  const memoryLimit = memoryFlag(values, "memory-limit");
  const tempDir = stringFlag(values, "temp-dir");
  const threads = integerFlag(values, "threads");
  const ownTemp = tempDir === undefined ? mkdtempSync(join(tmpdir(), "assay-duckdb-")) : null;
  let scratchDir: string | null = null;
  const cleanup = () => {
    if (ownTemp) rmSync(ownTemp, { recursive: true, force: true });
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  };
  let engine: NodeEngine;
  try {
    engine = await createNodeEngine({
      tempDirectory: tempDir ?? (ownTemp as string),
      ...(memoryLimit ? { memoryLimit } : {}),
      ...(threads ? { threads } : {}),
    });
  } catch (error) {
    cleanup();
    throw new CliError(`DuckDB could not start: ${firstLine(error instanceof Error ? error.message : String(error))}.`);
  }
  return {
    engine,
    scratch: () => {
      scratchDir ??= mkdtempSync(join(tempDir ?? tmpdir(), "assay-inputs-"));
      return scratchDir;
    },
    async close() {
      await engine.close();
      cleanup();
    },
  };
}
