import * as Plot from "@observablehq/plot";
import { describe, expect, it } from "vitest";
import { MiniDocument, MiniElement } from "./mini-dom";
import { isFromSandbox } from "./protocol";

describe("MiniDocument", () => {
  it("lets Observable Plot draw an SVG without a browser DOM", () => {
    const document = new MiniDocument();
    const data = Array.from({ length: 20 }, (_, i) => ({ x: i, y: i * i, g: i % 2 ? "odd" : "even" }));
    const svg = Plot.plot({
      document: document as never,
      marks: [Plot.dot(data, { x: "x", y: "y", fill: "g" }), Plot.ruleY([0])],
    }) as unknown as MiniElement;
    expect(svg).toBeInstanceOf(MiniElement);
    expect(svg.localName).toBe("svg");
    expect(svg.querySelectorAll("circle")).toHaveLength(20);
    expect(svg.outerHTML).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it("escapes text and attributes when serializing", () => {
    const document = new MiniDocument();
    const g = document.createElementNS("http://www.w3.org/2000/svg", "text");
    g.setAttribute("data-x", '"><script>');
    g.textContent = "</text><script>alert(1)</script>";
    expect(g.outerHTML).toBe(
      '<text data-x="&quot;&gt;&lt;script&gt;">&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>',
    );
  });
});

describe("isFromSandbox", () => {
  it("accepts the protocol's messages and nothing else", () => {
    expect(isFromSandbox({ type: "ready" })).toBe(true);
    expect(isFromSandbox({ type: "done", runId: "ts1" })).toBe(true);
    expect(isFromSandbox({ type: "done" })).toBe(false);
    expect(isFromSandbox({ type: "navigate", runId: "ts1" })).toBe(false);
    expect(isFromSandbox("done")).toBe(false);
    expect(isFromSandbox(null)).toBe(false);
  });
});
