import { describe, expect, it } from "vitest";
import { formatBytes, formatMs, formatValue } from "./format";

describe("format", () => {
  it("formats sizes and durations", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(8.5 * 1024 * 1024)).toBe("8.50 MB");
    expect(formatMs(42.4)).toBe("42 ms");
    expect(formatMs(1500)).toBe("1.50 s");
  });
  it("formats values by type", () => {
    expect(formatValue(null, "DOUBLE")).toBe("NULL");
    expect(formatValue(12n, "BIGINT")).toBe("12");
    expect(formatValue(0.1 + 0.2, "DOUBLE")).toBe("0.3");
    expect(formatValue(Number.NaN, "DOUBLE")).toBe("NaN");
    expect(formatValue(Date.UTC(2026, 2, 1, 12, 30), "TIMESTAMP")).toBe("2026-03-01 12:30:00");
    expect(formatValue(Date.UTC(2026, 2, 1), "DATE")).toBe("2026-03-01");
  });
});
