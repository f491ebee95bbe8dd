import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EvidenceEntry } from "../notebook/format/types";
import { appendEvidence, GENESIS_HASH, verifyEvidence } from "./evidence-log";

async function logOf(n: number): Promise<EvidenceEntry[]> {
  let log: EvidenceEntry[] = [];
  for (let i = 0; i < n; i++) {
    log = await appendEvidence(log, {
      at: `2025-03-01T10:00:0${i}.000Z`,
      cellId: `c${i % 2}`,
      cellName: `check_${i % 2}`,
      inputs: [{ name: "preds", sha256: "a".repeat(64) }],
      verdict: i % 3 === 0 ? "fail" : "pass",
      resultHash: String(i).repeat(64).slice(0, 64),
    });
  }
  return log;
}

describe("evidence log", () => {
  it("chains entries from the genesis hash", async () => {
    const log = await logOf(3);
    expect(log[0]?.prev).toBe(GENESIS_HASH);
    expect(log[1]?.prev).toBe(log[0]?.hash);
    expect(await verifyEvidence(log)).toEqual({ valid: true, head: log[2]?.hash, message: "3 entries, chain intact." });
    expect(await verifyEvidence([])).toMatchObject({ valid: true, head: GENESIS_HASH });
  });

  it("does not change the log it appends to", async () => {
    const log = await logOf(2);
    const copy = structuredClone(log);
    await appendEvidence(log, { ...log[0]!, at: "2025-04-01T00:00:00.000Z" });
    expect(log).toEqual(copy);
  });

  it("detects an edited entry", async () => {
    const log = await logOf(4);
    log[2]!.verdict = "warn";
    expect(await verifyEvidence(log)).toMatchObject({
      valid: false,
      brokenAt: 2,
      message: expect.stringMatching(/Entry 2 .* was edited/),
    });
  });

  it("detects an edited entry whose hash was recomputed (the next link breaks)", async () => {
    const log = await logOf(4);
    const forged = (await appendEvidence(log.slice(0, 1), { ...log[1]!, verdict: "warn" }))[1]!;
    log[1] = forged;
    expect(await verifyEvidence(log)).toMatchObject({
      valid: false,
      brokenAt: 2,
      message: expect.stringMatching(/does not follow/),
    });
  });

  it("detects removal in the middle and at the start", async () => {
    const log = await logOf(4);
    expect(await verifyEvidence([log[0]!, log[2]!, log[3]!])).toMatchObject({ valid: false, brokenAt: 1 });
    expect(await verifyEvidence(log.slice(1))).toMatchObject({
      valid: false,
      brokenAt: 0,
      message: expect.stringMatching(/earlier entries were removed/),
    });
  });

  it("detects removal at the end only against a known head", async () => {
    const log = await logOf(4);
    const head = log[3]!.hash;
    expect((await verifyEvidence(log.slice(0, 3))).valid).toBe(true);
    expect(await verifyEvidence(log.slice(0, 3), head)).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it("detects any reordering", async () => {
    const log = await logOf(5);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5, maxLength: 5 }), async (order) => {
        const shuffled = order.map((i) => log[i]!);
        const isIdentity = order.every((v, i) => v === i);
        expect((await verifyEvidence(shuffled)).valid).toBe(isIdentity);
      }),
      { numRuns: 60 },
    );
  });
});
