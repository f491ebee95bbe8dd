import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { BundleError, bundleSizeWarning, createBundle, readBundle } from "./bundle";

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe("bundle", () => {
  const notebookText = '{\n  "format": "assay-notebook",\n  "title": "ünïcode ✓ 🚀"\n}\n';
  const files = [
    { name: "predictions 2025.csv", data: strToU8('a,b\r\n1,"x,y"\r\n') },
    { name: "big.parquet", data: bytes(300_000) },
    { name: "empty.json", data: new Uint8Array(0) },
  ];

  it("round-trips the notebook text and every file byte for byte", () => {
    const zip = createBundle({ notebookText, files });
    const back = readBundle(zip);
    expect(back.notebookText).toBe(notebookText);
    expect(back.files.map((f) => f.name).sort()).toEqual(files.map((f) => f.name).sort());
    for (const f of files) expect(back.files.find((b) => b.name === f.name)?.data).toEqual(f.data);
  });

  it("is deterministic and holds a README", () => {
    const a = createBundle({ notebookText, files });
    const b = createBundle({ notebookText, files });
    expect(a).toEqual(b);
    expect(new TextDecoder().decode(a)).toContain("README.txt");
  });

  it("refuses file names that leave data/ or collide", () => {
    expect(() => createBundle({ notebookText, files: [{ name: "../x.csv", data: new Uint8Array(1) }] })).toThrow(
      BundleError,
    );
    expect(() =>
      createBundle({
        notebookText,
        files: [
          { name: "a.csv", data: new Uint8Array(1) },
          { name: "a.csv", data: new Uint8Array(2) },
        ],
      }),
    ).toThrow(/Two data files/);
  });

  it("names a corrupt or truncated zip clearly", () => {
    const zip = createBundle({ notebookText, files });
    expect(() => readBundle(zip.slice(0, zip.length - 40))).toThrow(/damaged or truncated/);
    expect(() => readBundle(strToU8("not a zip at all"))).toThrow(BundleError);
    const flipped = zip.slice();
    flipped.fill(0, 30, 60);
    expect(() => readBundle(flipped)).toThrow(BundleError);
  });

  it("notices a stored (uncompressed) data file whose bytes were changed", () => {
    const zip = createBundle({ notebookText, files });
    // big.parquet is stored as is: flip one byte in the middle of its data.
    const text = new TextDecoder("latin1").decode(zip);
    const at = text.indexOf("data/big.parquet") + 16 + 1000;
    const flipped = zip.slice();
    flipped[at] = (flipped[at] as number) ^ 0xff;
    expect(() => readBundle(flipped)).toThrow(/big\.parquet" in the bundle is damaged/);
  });

  it("names a zip without a notebook", () => {
    const other = zipSync({ "hello.txt": strToU8("hi") });
    expect(() => readBundle(other)).toThrow(/no notebook\.assay\.json.*hello\.txt/);
  });
});

describe("bundleSizeWarning", () => {
  it("is silent up to 200 MB and names the size above", () => {
    expect(bundleSizeWarning(200 * 1024 * 1024)).toBeNull();
    expect(bundleSizeWarning(1000)).toBeNull();
    expect(bundleSizeWarning(300 * 1024 * 1024)).toMatch(/300\.0 MB/);
    expect(bundleSizeWarning(3 * 1024 ** 3)).toMatch(/3\.0 GB/);
  });
});
