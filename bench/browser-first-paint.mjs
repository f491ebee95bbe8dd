/**
 * JavaScript the first paint needs: the scripts out/index.html references (`<script src>` and
 * `<link rel="preload" as="script">`, deduplicated), each gzipped at zlib's default level 6 —
 * what a static host serving gzip sends. Chunks loaded later (Monaco, DuckDB-WASM, workers)
 * are not counted.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Script URLs referenced by an HTML page. */
export function scriptUrls(html) {
  const urls = new Set();
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*>/g)) {
    const tag = m[0];
    if (!/\bas="script"/.test(tag) && !/rel="modulepreload"/.test(tag)) continue;
    const href = /\shref="([^"]+)"/.exec(tag)?.[1];
    if (href) urls.add(href);
  }
  return [...urls].filter((u) => u.startsWith("/"));
}

/** Raw and gzip bytes of the first-paint scripts of `outDir`/index.html. */
export function firstPaintJs(outDir) {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const files = scriptUrls(html).map((url) => {
    const bytes = readFileSync(join(outDir, url.split("?")[0]));
    return { url, bytes: bytes.length, gzip: gzipSync(bytes).length };
  });
  return {
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    gzip: files.reduce((s, f) => s + f.gzip, 0),
  };
}
