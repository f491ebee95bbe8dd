/**
 * Sanitises SVG markup (a chart drawn by Observable Plot, but treated as untrusted) for inline
 * use in the HTML report. A small tokenizer reads the markup (no DOM, so it runs in Node); the
 * output is re-serialised from an allow-list only, so nothing the tokenizer did not understand
 * can pass through:
 *  - allowed elements (svg, g, path, …) are kept, inside an `<svg>` only; HTML wrappers
 *    (figure, div, span) are unwrapped; every other element is dropped with all it contains
 *    (script, style, foreignObject, use, image, a, animate, iframe, …);
 *  - allowed attributes only: no on* handlers, no href / xlink:href, no xmlns; a value that
 *    mentions `javascript:`, `expression(`, `@import` or `url(` other than a local `url(#id)`
 *    is dropped; a style attribute with `url(`, `expression`, `@import` or a backslash is dropped;
 *  - text and attribute values are entity-decoded and escaped again; comments, CDATA markers,
 *    processing instructions and doctypes are dropped.
 */

const ELEMENTS = [
  "svg",
  "g",
  "path",
  "line",
  "rect",
  "circle",
  "ellipse",
  "text",
  "tspan",
  "title",
  "desc",
  "polyline",
  "polygon",
  "defs",
  "clipPath",
  "linearGradient",
  "radialGradient",
  "stop",
  "marker",
];
const ELEMENT_NAMES = new Map(ELEMENTS.map((e) => [e.toLowerCase(), e]));
/** HTML containers Plot wraps a chart with legends in: the tag goes, allowed content stays. */
const UNWRAP = new Set(["figure", "figcaption", "div", "span", "p", "h2", "h3"]);
/** Elements whose content is text only (escaped), never markup. */
const TEXT_ELEMENTS = new Set(["text", "tspan", "title", "desc"]);

const ATTRIBUTES = [
  "id",
  "class",
  "x",
  "y",
  "x1",
  "x2",
  "y1",
  "y2",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "fx",
  "fy",
  "dx",
  "dy",
  "width",
  "height",
  "d",
  "points",
  "transform",
  "viewBox",
  "preserveAspectRatio",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "opacity",
  "color",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "font-variant",
  "text-anchor",
  "dominant-baseline",
  "alignment-baseline",
  "letter-spacing",
  "writing-mode",
  "paint-order",
  "shape-rendering",
  "text-rendering",
  "vector-effect",
  "visibility",
  "display",
  "clip-path",
  "clip-rule",
  "clipPathUnits",
  "marker-start",
  "marker-mid",
  "marker-end",
  "markerWidth",
  "markerHeight",
  "markerUnits",
  "refX",
  "refY",
  "orient",
  "offset",
  "stop-color",
  "stop-opacity",
  "gradientUnits",
  "gradientTransform",
  "role",
  "aria-label",
  "aria-hidden",
  "aria-description",
  "aria-roledescription",
  "style",
];
const ATTRIBUTE_NAMES = new Map(ATTRIBUTES.map((a) => [a.toLowerCase(), a]));

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  minus: "\u2212",
  colon: ":",
  sol: "/",
  lpar: "(",
  rpar: ")",
  bsol: "\\",
  tab: "\t",
  newline: "\n",
};

/** Decodes character references as an HTML parser would (unknown names stay literal). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);?/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code =
        ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)
        ? String.fromCodePoint(code)
        : "\ufffd";
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** Escapes text for element content and double-quoted attribute values; `/` too, so no `//` survives. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What a safe attribute value may not contain (after decoding, whitespace and case removed). */
function isSafeValue(name: string, value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters hide keywords.
  const squeezed = value.replace(/[\s\u0000-\u001f]+/g, "").toLowerCase();
  if (/javascript:|vbscript:|data:|expression\(|@import|behavior:|-moz-binding/.test(squeezed)) return false;
  if (name === "style") return !/url\(|\\|expression/.test(squeezed);
  // Only local references such as clip-path="url(#plot-clip-1)".
  const urls = squeezed.match(/url\([^)]*\)?/g) ?? [];
  return urls.every((u) => /^url\((['"]?)#[a-z0-9_.:-]+\1\)$/.test(u));
}

interface Tag {
  kind: "start" | "end";
  name: string;
  attributes: [string, string][];
  selfClosing: boolean;
}

type Token = Tag | { kind: "text"; text: string };

/** Splits markup into tags and text; comments, doctypes and processing instructions vanish. */
function* tokenize(markup: string): Generator<Token> {
  let i = 0;
  const n = markup.length;
  while (i < n) {
    const lt = markup.indexOf("<", i);
    if (lt < 0) {
      yield { kind: "text", text: decodeEntities(markup.slice(i)) };
      return;
    }
    if (lt > i) yield { kind: "text", text: decodeEntities(markup.slice(i, lt)) };
    i = lt;
    if (markup.startsWith("<!--", i)) {
      const end = markup.indexOf("-->", i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (markup.startsWith("<![CDATA[", i)) {
      const end = markup.indexOf("]]>", i + 9);
      yield { kind: "text", text: markup.slice(i + 9, end < 0 ? n : end) };
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (markup[i + 1] === "!" || markup[i + 1] === "?") {
      const end = markup.indexOf(">", i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const isEnd = markup[i + 1] === "/";
    const nameMatch = /^[a-zA-Z][^\s/>]*/.exec(markup.slice(i + (isEnd ? 2 : 1), i + 200));
    if (!nameMatch) {
      yield { kind: "text", text: "<" };
      i++;
      continue;
    }
    const name = nameMatch[0].toLowerCase();
    i += (isEnd ? 2 : 1) + nameMatch[0].length;
    const attributes: [string, string][] = [];
    let selfClosing = false;
    while (i < n) {
      while (i < n && /\s/.test(markup[i] as string)) i++;
      const c = markup[i];
      if (c === undefined) break;
      if (c === ">") {
        i++;
        break;
      }
      if (c === "/") {
        i++;
        if (markup[i] === ">") {
          selfClosing = true;
          i++;
          break;
        }
        continue;
      }
      const attr = /^[^\s/>=]+/.exec(markup.slice(i, i + 200));
      const attrName = attr ? attr[0] : (markup[i] as string);
      i += attrName.length;
      while (i < n && /\s/.test(markup[i] as string)) i++;
      let value = "";
      if (markup[i] === "=") {
        i++;
        while (i < n && /\s/.test(markup[i] as string)) i++;
        const q = markup[i];
        if (q === '"' || q === "'") {
          const end = markup.indexOf(q, i + 1);
          value = markup.slice(i + 1, end < 0 ? n : end);
          i = end < 0 ? n : end + 1;
        } else {
          const m = /^[^\s>]*/.exec(markup.slice(i)) as RegExpExecArray;
          value = m[0];
          i += value.length;
        }
      }
      attributes.push([attrName.toLowerCase(), decodeEntities(value)]);
    }
    yield isEnd
      ? { kind: "end", name, attributes: [], selfClosing: false }
      : { kind: "start", name, attributes, selfClosing };
  }
}

function startTag(name: string, attributes: [string, string][], selfClosing: boolean): string {
  let out = `<${name}`;
  const seen = new Set<string>();
  for (const [raw, value] of attributes) {
    const attr = ATTRIBUTE_NAMES.get(raw);
    if (!attr || seen.has(attr) || !isSafeValue(attr, value)) continue;
    seen.add(attr);
    out += ` ${attr}="${escapeXml(value)}"`;
  }
  return `${out}${selfClosing ? "/>" : ">"}`;
}

/** The safe subset of some SVG markup; "" when nothing safe is left. */
export function sanitizeSvg(markup: string): string {
  let out = "";
  /** Open elements as written to the output, or "" for an unwrapped container. */
  const open: string[] = [];
  /** While inside a dropped element: its name and nesting depth. */
  let skipping: { name: string; depth: number } | null = null;
  const inSvg = () => open.includes("svg");
  for (const token of tokenize(markup)) {
    if (skipping) {
      if (token.kind === "start" && token.name === skipping.name && !token.selfClosing) skipping.depth++;
      if (token.kind === "end" && token.name === skipping.name && --skipping.depth === 0) skipping = null;
      continue;
    }
    if (token.kind === "text") {
      const parent = open.at(-1);
      // Text belongs in text-like elements, or loose in an unwrapped container (a legend label).
      if (parent === undefined || TEXT_ELEMENTS.has(parent) || (parent === "" && !inSvg())) {
        if (parent !== undefined || token.text.trim() !== "") out += escapeXml(token.text);
      }
      continue;
    }
    if (token.kind === "start") {
      const element = ELEMENT_NAMES.get(token.name);
      const parent = open.at(-1);
      const allowed =
        element && (element === "svg" || inSvg()) && !(parent && TEXT_ELEMENTS.has(parent) && element !== "tspan");
      if (allowed) {
        out += startTag(element, token.attributes, token.selfClosing);
        if (!token.selfClosing) open.push(element);
      } else if (UNWRAP.has(token.name) && !inSvg()) {
        if (!token.selfClosing) open.push("");
      } else if (!token.selfClosing) {
        skipping = { name: token.name, depth: 1 };
      }
      continue;
    }
    // An end tag closes the nearest open element of that name, and any left open inside it.
    const element = ELEMENT_NAMES.get(token.name) ?? (UNWRAP.has(token.name) ? "" : undefined);
    if (element === undefined) continue;
    const at = open.lastIndexOf(element);
    if (at < 0) continue;
    while (open.length > at) {
      const closing = open.pop() as string;
      if (closing !== "") out += `</${closing}>`;
    }
  }
  while (open.length > 0) {
    const closing = open.pop() as string;
    if (closing !== "") out += `</${closing}>`;
  }
  return out;
}
