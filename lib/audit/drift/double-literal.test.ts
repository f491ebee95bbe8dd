import fc from "fast-check";
import { expect, it } from "vitest";
import { queryRows } from "../rows";
import { openFixtureEngine } from "../testing/fixture-engine";
import { doubleLiteral } from "./double-literal";

it("doubleLiteral round-trips every finite double through DuckDB", async () => {
  const engine = await openFixtureEngine();
  const values = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 2000);
  values.push(0.1 + 0.2, 1 / 3, 5e-324, Number.MAX_VALUE, -0);
  const [row] = await queryRows(engine.query, `SELECT [${values.map(doubleLiteral).join(", ")}] AS v`);
  expect(row?.v).toEqual(values.map((v) => (Object.is(v, -0) ? 0 : v)));
  expect(() => doubleLiteral(Number.NaN)).toThrow();
  await engine.close();
});
