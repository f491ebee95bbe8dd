import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEntities, sanitizeSvg } from "./sanitize-svg";

const PLOT_LIKE = `<svg class="plot-d6a7b5" fill="currentColor" font-family="system-ui, sans-serif" font-size="10" text-anchor="middle" width="640" height="400" viewBox="0 0 640 400" xmlns="http://www.w3.org/2000/svg"><style>:where(.plot-d6a7b5) { --plot-background: white; display: block; }</style><g aria-label="bar" fill="#1a7f37"><rect x="20" y="10" width="30" height="40"><title>AUC 0.91</title></rect></g><g aria-label="rule" stroke="currentColor" stroke-dasharray="4,3" clip-path="url(#plot-clip-1)"><line x1="10" x2="10" y1="0" y2="400"/></g><text x="5" y="5">a &lt; b &amp; c</text></svg>`;

/** Everything a report must never contain, whatever the chart said. */
function assertInert(out: string): void {
  expect(out).not.toMatch(/<script|<style|<foreignobject|<use|<image|<a[\s>]|<iframe|<animate|<set/i);
  expect(out).not.toMatch(/\/\//);
  // Text is escaped, so every "<" opens one of our tags; look inside each.
  for (const tag of out.match(/<[^>]*>/g) ?? []) {
    expect(tag).toMatch(
      /^<\/?(svg|g|path|line|rect|circle|ellipse|text|tspan|title|desc|polyline|polygon|defs|clipPath|linearGradient|radialGradient|stop|marker)[\s/>]/,
    );
    expect(tag).not.toMatch(/\son[a-z]*\s*=/i);
    expect(tag).not.toMatch(/href|javascript:/i);
    expect(tag).not.toMatch(/url\((?!#)/i);
  }
}

describe("sanitizeSvg", () => {
  it("keeps a Plot chart's shapes, text and local clip paths", () => {
    const out = sanitizeSvg(PLOT_LIKE);
    expect(out).toContain('<svg class="plot-d6a7b5"');
    expect(out).toContain('viewBox="0 0 640 400"');
    expect(out).toContain('<rect x="20" y="10" width="30" height="40"><title>AUC 0.91</title></rect>');
    expect(out).toContain('<line x1="10" x2="10" y1="0" y2="400"/>');
    expect(out).toContain('clip-path="url(#plot-clip-1)"');
    expect(out).toContain("a &#60; b &#38; c");
    expect(out).not.toContain("xmlns");
    expect(out).not.toContain("<style");
    assertInert(out);
  });

  it("drops script, foreignObject and use with everything inside them", () => {
    const out = sanitizeSvg(
      `<svg><script>alert(1)</script><script><script>x</script></script><foreignObject><div><img src=x onerror=alert(1)></div></foreignObject><use href="#a"/><use xlink:href="data:image/svg+xml,..."></use><g><rect/></g></svg>`,
    );
    expect(out).toBe("<svg><g><rect/></g></svg>");
  });

  it("drops event handlers, hrefs and javascript: values however they are spelled", () => {
    const out = sanitizeSvg(
      `<svg onload="alert(1)" ONLOAD=alert(2)><rect onclick='x' onmouseover=x width=5 /><a href="javascript:alert(1)"><text>t</text></a><circle fill="jav&#x61;script:alert(1)" r="2"/><path d="M0 0" xlink:href="https://evil.example/x"/><animate attributeName="href" to="javascript:alert(1)"/><set attributeName="onload" to="alert(1)"/></svg>`,
    );
    expect(out).toBe('<svg><rect width="5"/><circle r="2"/><path d="M0 0"/></svg>');
  });

  it("drops style attributes and values that load something", () => {
    const out = sanitizeSvg(
      `<svg><rect style="fill: url(https://evil.example/x.png)"/><rect style="width: expression(alert(1))"/><rect style="fill:re\\64"/><rect fill="url(http://evil.example/p#x)"/><rect fill="url(#grad1)" style="fill-opacity: 0.5"/><rect style="background: ur&#108;(x)"/><rect filter="url(#f)"/></svg>`,
    );
    expect(out).toBe(
      '<svg><rect/><rect/><rect/><rect/><rect fill="url(#grad1)" style="fill-opacity: 0.5"/><rect/><rect/></svg>',
    );
  });

  it("keeps nothing outside an svg except legend text, and unwraps Plot's figure", () => {
    const out = sanitizeSvg(
      `<figure class="plot"><div class="swatches"><span><svg width="15" height="15"><rect fill="red" width="15" height="15"/></svg>reference</span></div><svg><g/></svg></figure><g><rect/></g><iframe src="https://x"></iframe><img src=x onerror=alert(1)>`,
    );
    expect(out).toBe(
      '<svg width="15" height="15"><rect fill="red" width="15" height="15"/></svg>reference<svg><g/></svg>',
    );
  });

  it("escapes text so it cannot open markup, and closes what was left open", () => {
    const out = sanitizeSvg(`<svg><text>&lt;script&gt;alert(1)&lt;/script&gt; <![CDATA[<b>x</b>]]></text><g><g>`);
    expect(out).toBe(
      "<svg><text>&#60;script&#62;alert(1)&#60;&#47;script&#62; &#60;b&#62;x&#60;&#47;b&#62;</text><g><g></g></g></svg>",
    );
  });

  it("ignores comments, doctypes, processing instructions and stray end tags", () => {
    expect(sanitizeSvg(`<?xml version="1.0"?><!DOCTYPE svg><svg><!-- <script>x</script> --></g></svg></svg>`)).toBe(
      "<svg></svg>",
    );
  });

  it("never lets anything dangerous through for arbitrary markup (property)", () => {
    const pieces = fc.constantFrom(
      "<svg>",
      "</svg>",
      "<g>",
      "</g>",
      "<script>",
      "</script>",
      "<style>",
      "<text>",
      "</text>",
      '<rect onload="x"/>',
      '<a href="javascript:x">',
      "<foreignObject>",
      "</foreignObject>",
      "<",
      ">",
      '"',
      "'",
      "=",
      "&#x3c;",
      "url(",
      "//",
      "onerror=",
      " ",
      "x",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        assertInert(sanitizeSvg(parts.join("")));
      }),
    );
  });
});

describe("decodeEntities", () => {
  it("decodes numeric and common named references, leaves unknown ones", () => {
    expect(decodeEntities("&#106;&#x61;&amp;&lt;&unknown;&colon")).toBe("ja&<&unknown;:");
  });
});
