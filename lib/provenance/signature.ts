/**
 * Signing a notebook with a key kept in the browser (WebCrypto). The signature covers the
 * canonical JSON of the whole file except `signature` itself — content and manifest alike.
 * It proves which key signed; the fingerprint says whose key that is only if the reader
 * knows the signer's fingerprint from elsewhere.
 */
import type { AssayNotebookFile, NotebookSignature, PublicKeyJwk, SignatureAlgorithm } from "../notebook/format/types";
import { canonicalBytes } from "./canonical-json";
import { digestJson } from "./digest";

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  privateJwk: JsonWebKey;
  publicJwk: PublicKeyJwk;
  /** RFC 7638 thumbprint of the public key, hex. */
  fingerprint: string;
}

export type SignatureStatus = "unsigned" | "valid" | "invalid";

export interface SignatureCheck {
  status: SignatureStatus;
  fingerprint?: string;
  algorithm?: SignatureAlgorithm;
  message: string;
}

const ECDSA = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDSA_SIGN = { name: "ECDSA", hash: "SHA-256" } as const;

function params(algorithm: SignatureAlgorithm): {
  importParams: AlgorithmIdentifier | EcKeyImportParams;
  sign: AlgorithmIdentifier | EcdsaParams;
} {
  return algorithm === "Ed25519"
    ? { importParams: { name: "Ed25519" }, sign: { name: "Ed25519" } }
    : { importParams: ECDSA, sign: ECDSA_SIGN };
}

function algorithmOf(jwk: PublicKeyJwk): SignatureAlgorithm {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ECDSA-P256-SHA256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "Ed25519";
  throw new Error(`Unsupported key type ${jwk.kty}/${jwk.crv}: Assay signs with ECDSA P-256 or Ed25519.`);
}

/** The members that define a public key (RFC 7638 §3.2), nothing else. */
export function publicJwkOf(jwk: JsonWebKey): PublicKeyJwk {
  if (typeof jwk.kty !== "string" || typeof jwk.crv !== "string" || typeof jwk.x !== "string") {
    throw new Error("A public key needs kty, crv and x.");
  }
  if (jwk.kty === "EC") {
    if (typeof jwk.y !== "string") throw new Error("An EC public key needs y.");
    return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  }
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}

/** RFC 7638 JWK thumbprint: SHA-256 of the canonical JSON of the key's defining members, hex. */
export function fingerprint(publicJwk: JsonWebKey | PublicKeyJwk): Promise<string> {
  return digestJson(publicJwkOf(publicJwk as JsonWebKey));
}

/** A fingerprint for people: groups of four, e.g. `3f2a 91c0 …`. */
export function formatFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(" ") ?? hex;
}

/** A new extractable ECDSA P-256 key pair. */
export async function generateSigningKey(): Promise<SigningKey> {
  const pair = (await globalThis.crypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateJwk = await globalThis.crypto.subtle.exportKey("jwk", pair.privateKey);
  const publicJwk = publicJwkOf(await globalThis.crypto.subtle.exportKey("jwk", pair.publicKey));
  return { ...pair, privateJwk, publicJwk, fingerprint: await fingerprint(publicJwk) };
}

/** The key pair as JSON text the person can save and later import. Contains the private key. */
export function exportSigningKey(key: SigningKey): string {
  return `${JSON.stringify({ type: "assay-signing-key", fingerprint: key.fingerprint, privateJwk: key.privateJwk }, null, 2)}\n`;
}

/** Reads a key saved by exportSigningKey (or a bare private JWK). Throws with a clear message. */
export async function importSigningKey(text: string): Promise<SigningKey> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("The key file is not valid JSON.");
  }
  const record = (parsed ?? {}) as { privateJwk?: JsonWebKey } & JsonWebKey;
  const privateJwk: JsonWebKey = record.privateJwk ?? record;
  if (typeof privateJwk.d !== "string") throw new Error("The key file holds no private key (JWK member d).");
  const publicJwk = publicJwkOf(privateJwk);
  const algorithm = algorithmOf(publicJwk);
  const { importParams } = params(algorithm);
  const subtle = globalThis.crypto.subtle;
  const privateKey = await subtle.importKey("jwk", privateJwk, importParams, true, ["sign"]);
  const publicKey = await subtle.importKey("jwk", { ...publicJwk, ext: true }, importParams, true, ["verify"]);
  return { privateKey, publicKey, privateJwk, publicJwk, fingerprint: await fingerprint(publicJwk) };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The bytes a signature covers: canonical JSON of the file without `signature`. */
export function signedBytes(file: AssayNotebookFile): Uint8Array {
  const { signature: _s, ...rest } = file;
  return canonicalBytes(rest);
}

/** Signs a sealed file (sealNotebook first); replaces any earlier signature. */
export async function signNotebook(
  file: AssayNotebookFile,
  privateKey: CryptoKey,
  publicJwk: JsonWebKey | PublicKeyJwk,
): Promise<AssayNotebookFile> {
  const jwk = publicJwkOf(publicJwk as JsonWebKey);
  const algorithm = algorithmOf(jwk);
  const bytes = signedBytes(file) as Uint8Array<ArrayBuffer>;
  const raw = new Uint8Array(await globalThis.crypto.subtle.sign(params(algorithm).sign, privateKey, bytes));
  const signature: NotebookSignature = {
    algorithm,
    publicKeyJwk: jwk,
    fingerprint: await fingerprint(jwk),
    value: toBase64Url(raw),
  };
  return { ...file, signature };
}

/** Checks the embedded signature against the embedded public key. */
export async function verifySignature(file: AssayNotebookFile): Promise<SignatureCheck> {
  const sig = file.signature;
  if (!sig) return { status: "unsigned", message: "The notebook is not signed." };
  const invalid = (message: string): SignatureCheck => ({
    status: "invalid",
    fingerprint: sig.fingerprint,
    algorithm: sig.algorithm,
    message,
  });
  let algorithm: SignatureAlgorithm;
  try {
    algorithm = algorithmOf(sig.publicKeyJwk);
  } catch (error) {
    return invalid(String((error as Error).message));
  }
  if (algorithm !== sig.algorithm) {
    return invalid(`The signature says ${sig.algorithm} but the key is a ${algorithm} key.`);
  }
  const actualFingerprint = await fingerprint(sig.publicKeyJwk);
  if (actualFingerprint !== sig.fingerprint) {
    return invalid(
      `The stated fingerprint does not belong to the embedded key (its fingerprint is ${formatFingerprint(actualFingerprint)}).`,
    );
  }
  const { importParams, sign } = params(algorithm);
  let ok = false;
  try {
    const key = await globalThis.crypto.subtle.importKey(
      "jwk",
      { ...sig.publicKeyJwk, ext: true },
      importParams,
      false,
      ["verify"],
    );
    const bytes = signedBytes(file) as Uint8Array<ArrayBuffer>;
    ok = await globalThis.crypto.subtle.verify(sign, key, fromBase64Url(sig.value) as Uint8Array<ArrayBuffer>, bytes);
  } catch (error) {
    return invalid(`The signature could not be checked: ${(error as Error).message}`);
  }
  return ok
    ? {
        status: "valid",
        fingerprint: sig.fingerprint,
        algorithm,
        message: `Signed by the key with fingerprint ${formatFingerprint(sig.fingerprint)}.`,
      }
    : invalid("The signature does not match the file: it was altered after signing, or signed by another key.");
}
