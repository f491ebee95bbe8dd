import type { Verdict } from "@/lib/audit/checks/types";

const TEXT: Record<Verdict, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", error: "ERROR" };

export function VerdictBadge({ verdict, stale }: { verdict: Verdict | "not-run"; stale?: boolean }) {
  return (
    <span
      className={`verdict ${verdict}${stale ? " stale" : ""}`}
      data-testid="verdict"
      data-verdict={verdict}
      data-stale={stale ? "true" : "false"}
    >
      {verdict === "not-run" ? "NOT RUN" : TEXT[verdict]}
      {stale ? " · stale" : ""}
    </span>
  );
}
