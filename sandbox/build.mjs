// Builds the TypeScript-cell sandbox into public/sandbox/index.html: one self-contained page
// (the frame script inlined, the worker's code inside it as a string), so it needs no other
// request and works offline. Its Content-Security-Policy allows exactly that inline script (by
// hash), workers from blob: URLs, and no connection of any kind. Run by `npm run prebuild`.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The sandbox worker forbids making code from strings once cell code runs (sandbox/worker.ts),
 * but apache-arrow's builders compile their null test with `new Function`. This swaps it for an
 * equivalent closure, in the sandbox bundle only.
 */
const arrowWithoutEval = {
  name: "arrow-without-eval",
  transform(code, id) {
    if (!id.replaceAll("\\", "/").endsWith("apache-arrow/builder/valid.mjs")) return null;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of the source to replace.
    const from = "return new Function(`x`, `${fnBody}\\nreturn true;`);";
    if (!code.includes(from)) throw new Error("apache-arrow changed: update arrowWithoutEval in sandbox/build.mjs");
    const to = "return (x) => !(x !== x && noNaNs.length !== nullValues.length) && !noNaNs.includes(x);";
    return { code: code.replace(from, to), map: null };
  },
};

async function bundle(entry, define = {}) {
  const result = await build({
    configFile: false,
    root,
    logLevel: "warn",
    define: { "process.env.NODE_ENV": '"production"', ...define },
    resolve: { alias: { "@": root } },
    plugins: [arrowWithoutEval],
    build: {
      write: false,
      minify: true,
      target: "es2022",
      lib: { entry: join(root, entry), formats: ["iife"], name: "assaySandbox" },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunk = outputs.find((o) => o.type === "chunk");
  if (!chunk) throw new Error(`No bundle for ${entry}`);
  return chunk.code;
}

const workerCode = await bundle("sandbox/worker.ts");
const frameCode = (await bundle("sandbox/frame.ts", { __WORKER_SOURCE__: JSON.stringify(workerCode) }))
  // Inline in HTML: `</script` would end the element and `<!--` changes how it is parsed.
  .replaceAll("</script", "<\\/script")
  .replaceAll("<!--", "<\\x21--");
const hash = createHash("sha256").update(frameCode).digest("base64");

export const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${hash}' 'unsafe-eval'`,
  "worker-src blob:",
  "connect-src 'none'",
  "img-src 'none'",
  "style-src 'none'",
  "font-src 'none'",
  "media-src 'none'",
  "object-src 'none'",
  "frame-src 'none'",
  "child-src blob:",
  "form-action 'none'",
  "base-uri 'none'",
].join("; ");

const html = `<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<title>Assay sandbox</title></head>
<body><script>${frameCode}</script></body></html>
`;
const outDir = join(root, "public", "sandbox");
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "index.html"), html);
console.log(`sandbox: ${(html.length / 1024).toFixed(0)} KiB written to public/sandbox/index.html`);
