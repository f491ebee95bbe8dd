"use client";

import { Marked } from "marked";
import { useMemo } from "react";

const escapeHtml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

// Raw HTML in a notebook is shown as text, never interpreted: an imported notebook must not
// be able to run script or load remote images through its Markdown.
const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    image: ({ text }) => `<span class="muted">[image: ${escapeHtml(text)}]</span>`,
    link: ({ href, text }) => {
      const safe = /^(https?:|mailto:|#)/i.test(href) ? escapeHtml(href) : "#";
      return `<a href="${safe}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
    },
  },
});

export function MarkdownView({ source }: { source: string }) {
  const html = useMemo(() => markdown.parse(source, { async: false }) as string, [source]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: raw HTML is escaped by the renderer above.
  return <div className="markdown" data-testid="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
