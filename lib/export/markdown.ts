/**
 * Markdown → HTML for the report, with no way to run script or load anything: raw HTML is
 * shown as text (as components/cells/MarkdownView.tsx does), images become a text placeholder,
 * and links become their text followed by the address as plain text (the report links to
 * nothing outside itself). Headings move down two levels to sit under the cell's heading.
 */
import { Marked } from "marked";
import { decodeEntities, escapeXml } from "./sanitize-svg";

const markdown = new Marked({
  gfm: true,
  renderer: {
    html: ({ text }) => escapeXml(text),
    image: ({ text, href }) => `<span class="muted">[image: ${escapeXml(text || href)}]</span>`,
    link({ href, tokens }) {
      const text = this.parser.parseInline(tokens);
      const plain = href.replace(/^mailto:/i, "");
      if (plain === "" || href.startsWith("#")) return text;
      // An autolink's text is its address: show it once.
      if (decodeEntities(text) === plain) return escapeXml(plain);
      return `${text} <span class="muted">(${escapeXml(plain)})</span>`;
    },
    heading({ tokens, depth }) {
      const level = Math.min(depth + 2, 6);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

/** Safe HTML for a Markdown cell. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source, { async: false }) as string;
  // marked leaves "/" as is; split any "//" (a code comment, an address) so the report holds none.
  return html.replaceAll("//", "/&#47;");
}
