import { describe, expect, it } from "vitest";
import { judge, worstVerdict } from "./verdict";

describe("judge", () => {
  it("fails a broken threshold, warns near it, passes clear of it", () => {
    expect(judge(0.06, "<=", 0.05)).toBe("fail");
    expect(judge(0.048, "<=", 0.05)).toBe("warn");
    expect(judge(0.02, "<=", 0.05)).toBe("pass");
    expect(judge(0.79, ">=", 0.8)).toBe("fail");
    expect(judge(0.85, ">=", 0.8)).toBe("warn");
    expect(judge(0.95, ">=", 0.8)).toBe("pass");
    expect(judge(0.05, "<", 0.05)).toBe("fail");
  });
  it("treats zero thresholds and undefined values explicitly", () => {
    expect(judge(0, "=", 0)).toBe("pass");
    expect(judge(1, "=", 0)).toBe("fail");
    expect(judge(0, "<=", 0)).toBe("pass");
    expect(judge(null, ">=", 0.8)).toBe("warn");
  });
  it("orders verdicts", () => {
    expect(worstVerdict([])).toBe("pass");
    expect(worstVerdict(["pass", "warn", "pass"])).toBe("warn");
    expect(worstVerdict(["warn", "fail", "error"])).toBe("error");
  });
});
