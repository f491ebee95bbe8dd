import { describe, expect, it } from "vitest";
import { guessColumns } from "./guess-columns";

describe("guessColumns", () => {
  it("finds the roles in a typical prediction log", () => {
    const g = guessColumns([
      { name: "request_id", type: "VARCHAR" },
      { name: "ts", type: "TIMESTAMP" },
      { name: "model_version", type: "VARCHAR" },
      { name: "age", type: "INTEGER" },
      { name: "sex", type: "VARCHAR" },
      { name: "income", type: "DOUBLE" },
      { name: "score", type: "DOUBLE" },
      { name: "prediction", type: "INTEGER" },
      { name: "label", type: "INTEGER" },
      { name: "latency_ms", type: "DOUBLE" },
      { name: "is_error", type: "BOOLEAN" },
    ]);
    expect(g).toMatchObject({
      label: "label",
      score: "score",
      prediction: "prediction",
      groups: ["sex"],
      latency: "latency_ms",
      error: "is_error",
      version: "model_version",
      id: "request_id",
      timestamp: "ts",
      features: ["age", "income"],
    });
  });
  it("does not take a text column as the score", () => {
    expect(guessColumns([{ name: "score", type: "VARCHAR" }]).score).toBeUndefined();
  });
});
