import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";
import { sha256Hex } from "./digest";
import {
  exportSigningKey,
  fingerprint,
  formatFingerprint,
  generateSigningKey,
  importSigningKey,
  signNotebook,
  verifySignature,
} from "./signature";
import { sampleNotebook } from "./testing/sample-notebook";

describe("signatures", () => {
  it("reports an unsigned notebook", async () => {
    expect(await verifySignature(await sampleNotebook())).toEqual({
      status: "unsigned",
      message: "The notebook is not signed.",
    });
  });

  it("signs and verifies with ECDSA P-256, embedding the key and its fingerprint", async () => {
    const key = await generateSigningKey();
    const signed = await signNotebook(await sampleNotebook(), key.privateKey, key.publicJwk);
    expect(signed.signature).toMatchObject({ algorithm: "ECDSA-P256-SHA256", fingerprint: key.fingerprint });
    expect(Object.keys(signed.signature?.publicKeyJwk ?? {}).sort()).toEqual(["crv", "kty", "x", "y"]);
    const check = await verifySignature(signed);
    expect(check.status).toBe("valid");
    expect(check.message).toContain(formatFingerprint(key.fingerprint));
  });

  it("is invalid after an edit, with another key's signature, or with a swapped fingerprint", async () => {
    const key = await generateSigningKey();
    const other = await generateSigningKey();
    const signed = await signNotebook(await sampleNotebook(), key.privateKey, key.publicJwk);
    const edited = structuredClone(signed);
    edited.notebook.cells[0]!.source += " ";
    expect((await verifySignature(edited)).status).toBe("invalid");

    const swappedKey = structuredClone(signed);
    swappedKey.signature!.publicKeyJwk = other.publicJwk;
    swappedKey.signature!.fingerprint = other.fingerprint;
    expect(await verifySignature(swappedKey)).toMatchObject({ status: "invalid", fingerprint: other.fingerprint });

    const swappedPrint = structuredClone(signed);
    swappedPrint.signature!.fingerprint = other.fingerprint;
    expect((await verifySignature(swappedPrint)).message).toMatch(/fingerprint does not belong/);

    const garbage = structuredClone(signed);
    garbage.signature!.value = "AAAA";
    expect((await verifySignature(garbage)).status).toBe("invalid");
  });

  it("computes RFC 7638 thumbprints (the RFC's own example uses RSA; here the same rule on EC)", async () => {
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
      y: "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
      d: "secret",
      kid: "x",
    };
    expect(await fingerprint(jwk)).toBe(
      await sha256Hex(canonicalJson({ crv: "P-256", kty: "EC", x: jwk.x, y: jwk.y })),
    );
    expect(formatFingerprint("0123456789abcdef")).toBe("0123 4567 89ab cdef");
  });

  it("exports a key as JSON and imports it back to sign", async () => {
    const key = await generateSigningKey();
    const text = exportSigningKey(key);
    expect(JSON.parse(text)).toMatchObject({ type: "assay-signing-key", fingerprint: key.fingerprint });
    const again = await importSigningKey(text);
    expect(again.fingerprint).toBe(key.fingerprint);
    const signed = await signNotebook(await sampleNotebook(), again.privateKey, again.publicJwk);
    expect((await verifySignature(signed)).status).toBe("valid");
    await expect(importSigningKey("{")).rejects.toThrow(/not valid JSON/);
    await expect(importSigningKey(JSON.stringify(key.publicJwk))).rejects.toThrow(/no private key/);
  });

  it("verifies Ed25519 signatures when the platform has Ed25519", async () => {
    let pair: CryptoKeyPair;
    try {
      pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    } catch {
      return; // not available in this runtime
    }
    const publicJwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const signed = await signNotebook(await sampleNotebook(), pair.privateKey, publicJwk);
    expect(signed.signature?.algorithm).toBe("Ed25519");
    expect((await verifySignature(signed)).status).toBe("valid");
    signed.notebook.title += "!";
    expect((await verifySignature(signed)).status).toBe("invalid");
  });
});
