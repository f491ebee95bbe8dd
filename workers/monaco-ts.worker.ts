// Monaco's TypeScript language service worker (completion and type errors in TypeScript cells).
import "monaco-editor/languages/features/typescript/ts.worker";
