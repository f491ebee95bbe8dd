import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalJson } from "./canonical-json";

describe("canonicalJson", () => {
  it("sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)", () => {
    const value = { "\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": 7 };
    // Object.keys would list "1" first (an integer-like key), so read the order from the text.
    expect(canonicalJson(value)).toBe('{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}');
  });

  it("writes numbers in the ECMAScript shortest form (RFC 8785 appendix values)", () => {
    expect(canonicalJson([333333333.3333333, 1e30, 4.5, 2e-3, 0.000000000000000000000000001, -0, 1e21, 1e-7])).toBe(
      "[333333333.3333333,1e+30,4.5,0.002,1e-27,0,1e+21,1e-7]",
    );
  });

  it("has no whitespace and omits undefined members", () => {
    expect(canonicalJson({ b: [1, { d: "x", c: null }], a: undefined, e: true })).toBe(
      '{"b":[1,{"c":null,"d":"x"}],"e":true}',
    );
  });

  it("rejects non-finite numbers with the path and the encoding to use", () => {
    expect(() => canonicalJson({ results: { c1: [1, Number.NaN] } })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ results: { c1: [1, Number.NaN] } })).toThrow(
      /\$\.results\.c1\[1\].*\{"\$float": "NaN"\}/,
    );
    expect(() => canonicalJson(Number.NEGATIVE_INFINITY)).toThrow(/-Infinity/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson([undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/Date/);
  });

  it("is JSON that parses back to the same value, whatever the key order", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it("indents on request without changing the content", () => {
    const value = { z: [1, 2], a: { b: "c" }, e: [], f: {} };
    expect(JSON.parse(canonicalJson(value, { indent: 2 }))).toEqual(value);
    expect(canonicalJson(value, { indent: 2 })).toBe(
      '{\n  "a": {\n    "b": "c"\n  },\n  "e": [],\n  "f": {},\n  "z": [\n    1,\n    2\n  ]\n}',
    );
  });
});
