#!/usr/bin/env node
// The `assay` bin: loads the TypeScript CLI through tsx (a runtime dependency), so neither a
// fresh checkout nor a project that installs Assay needs a build step. `tsconfig: false`: the
// CLI's code needs no compiler options, and the calling project's tsconfig must not apply.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("./main.ts", { parentURL: import.meta.url, tsconfig: false });
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`assay: internal error: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
  process.exitCode = 70;
}
