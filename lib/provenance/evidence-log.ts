/**
 * The evidence log: one entry per run of a check, each holding the hash of the entry before
 * it. Editing, removing or reordering an entry breaks the chain at that point. Removing the
 * newest entries leaves a valid shorter chain: compare `head` with one recorded elsewhere
 * (the manifest, a signature, a CI log) to catch that.
 */
import type { EvidenceEntry, VerdictStatus } from "../notebook/format/types";
import { digestJson } from "./digest";

/** `prev` of the first entry. */
export const GENESIS_HASH = "0".repeat(64);

/** What a caller records about one run of a check. */
export interface EvidenceInput {
  at: string;
  cellId: string;
  cellName: string;
  inputs: { name: string; sha256: string }[];
  verdict: VerdictStatus | null;
  resultHash: string;
}

export interface EvidenceCheck {
  valid: boolean;
  /** Index of the first entry that does not fit the chain. */
  brokenAt?: number;
  /** Hash of the last entry (GENESIS_HASH for an empty log). */
  head: string;
  message: string;
}

/** The hash an entry must carry: SHA-256 of its canonical JSON without `hash`. */
export function entryHash(entry: Omit<EvidenceEntry, "hash"> & { hash?: string }): Promise<string> {
  const { hash: _h, ...body } = entry;
  return digestJson(body);
}

/** A new log with `input` appended and chained to the current head. */
export async function appendEvidence(log: readonly EvidenceEntry[], input: EvidenceInput): Promise<EvidenceEntry[]> {
  const body = {
    at: input.at,
    cellId: input.cellId,
    cellName: input.cellName,
    inputs: input.inputs.map(({ name, sha256 }) => ({ name, sha256 })),
    verdict: input.verdict,
    resultHash: input.resultHash,
    prev: log.at(-1)?.hash ?? GENESIS_HASH,
  };
  return [...log, { ...body, hash: await entryHash(body) }];
}

/** Walks the chain; `expectedHead`, when given, also catches entries removed from the end. */
export async function verifyEvidence(log: readonly EvidenceEntry[], expectedHead?: string): Promise<EvidenceCheck> {
  let prev = GENESIS_HASH;
  for (let i = 0; i < log.length; i++) {
    const entry = log[i] as EvidenceEntry;
    if (entry.prev !== prev) {
      return {
        valid: false,
        brokenAt: i,
        head: log.at(-1)?.hash ?? GENESIS_HASH,
        message:
          i === 0
            ? "Entry 0 does not start the chain: earlier entries were removed."
            : `Entry ${i} does not follow entry ${i - 1}: an entry between them was removed, or entries were reordered.`,
      };
    }
    if ((await entryHash(entry)) !== entry.hash) {
      return {
        valid: false,
        brokenAt: i,
        head: log.at(-1)?.hash ?? GENESIS_HASH,
        message: `Entry ${i} (cell "${entry.cellName}" at ${entry.at}) was edited: its content does not match its hash.`,
      };
    }
    prev = entry.hash;
  }
  if (expectedHead !== undefined && expectedHead !== prev) {
    return {
      valid: false,
      brokenAt: log.length,
      head: prev,
      message: "The log is intact but does not end where expected: entries were removed from its end.",
    };
  }
  return { valid: true, head: prev, message: `${log.length} entries, chain intact.` };
}
