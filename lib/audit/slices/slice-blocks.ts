/**
 * Blocked aggregation of every 1- and 2-column slice, for rate metrics (integer numerator and
 * denominator, so partial counts re-add exactly and the result does not depend on thread count).
 *
 * GROUPING SETS over hundreds of sets costs about one hash aggregate over the whole table per
 * set. Instead every candidate gets a small integer code (numeric: Σ (x ≥ e_k) over the inner
 * edges, then a NaN code and a NULL code; categorical with ≤ MAX_PACKED_LEVELS values: its
 * position in the value list, then a NULL code), and the codes are packed into a few "parts"
 * (mixed-radix integers with at most MAX_PART_CODES combinations). Categorical columns with
 * more values are a part of their own and group by their raw value. Stage 1 is one GROUPING
 * SETS pass over every pair of parts (m parts → m(m−1)/2 sets instead of 1 + c + c(c−1)/2);
 * stage 2 derives each slice's counts from the one stage-1 block that holds its columns, by
 * decoding the codes (integer division and modulo) and summing the small block. The counts
 * are the same integers the direct GROUPING SETS gives.
 */
import { integerLiteral, numberLiteral, quoteIdentifier, quoteString } from "../../sql/identifiers";
import { NAN_BIN } from "./numeric-bins";

/** Largest number of code combinations in one packed part (a block of two parts has ≤ 4,096 groups, which stay in cache). */
export const MAX_PART_CODES = 64;
/** Categorical columns with at most this many codes (values + NULL) are packed; others stay raw. */
export const MAX_PACKED_LEVELS = 16;

/** What the blocked plan needs to know of one candidate. */
export type BlockCandidate =
  | { mode: "numeric"; column: string; edges: readonly number[]; nulls: boolean; nans: boolean }
  | {
      mode: "categorical";
      column: string;
      levels: readonly { hash: string; text: string }[];
      nulls: boolean;
      /** The column is VARCHAR: its code is a list lookup instead of a CASE (see encodeSql). */
      text?: boolean;
    };

interface Coded {
  index: number;
  /** Number of codes. */
  size: number;
  raw: boolean;
}

export interface BlockLayout {
  /** Per part, the candidate indices it holds (raw parts hold one). */
  parts: { members: number[]; raw: boolean }[];
  /** Per candidate: its part and stride within the part. */
  place: { part: number; stride: number; size: number }[];
}

function codeCount(c: BlockCandidate): number {
  if (c.mode === "numeric") return c.edges.length + 1 + (c.nans ? 1 : 0) + (c.nulls ? 1 : 0);
  return c.levels.length + (c.nulls ? 1 : 0);
}

/**
 * Packs candidates into parts, first-fit decreasing by code count. Deterministic. With `among`,
 * only those candidate indices are packed (the others get no part and must not be in any set).
 */
export function blockLayout(candidates: readonly BlockCandidate[], among?: readonly number[]): BlockLayout {
  const coded: Coded[] = candidates.map((c, index) => {
    const size = codeCount(c);
    return { index, size, raw: c.mode === "categorical" && size > MAX_PACKED_LEVELS };
  });
  const parts: { members: number[]; raw: boolean; product: number }[] = [];
  const packed = among === undefined ? coded : coded.filter((c) => among.includes(c.index));
  const order = [...packed].sort((a, b) => b.size - a.size || a.index - b.index);
  for (const c of order) {
    if (c.raw) {
      parts.push({ members: [c.index], raw: true, product: c.size });
      continue;
    }
    const fit = parts.find((p) => !p.raw && p.product * c.size <= MAX_PART_CODES);
    if (fit) {
      fit.members.push(c.index);
      fit.product *= c.size;
    } else parts.push({ members: [c.index], raw: false, product: c.size });
  }
  const place = coded.map(() => ({ part: 0, stride: 1, size: 1 }));
  parts.forEach((p, pi) => {
    let stride = 1;
    for (const i of p.members) {
      const size = coded[i]?.size ?? 1;
      place[i] = { part: pi, stride, size };
      stride *= size;
    }
  });
  return { parts: parts.map(({ members, raw }) => ({ members, raw })), place };
}

/** Integer code of candidate `c` for a row (never NULL). */
function encodeSql(c: BlockCandidate, size: number): string {
  const col = quoteIdentifier(c.column);
  if (c.mode === "numeric") {
    const d = `CAST(${col} AS DOUBLE)`;
    // DuckDB orders NaN above every number, so a NaN satisfies every x ≥ e: Σ = k, then + 1.
    const terms = c.edges.map((e) => `CAST(${d} >= ${numberLiteral(e)} AS INTEGER)`);
    if (c.nans) terms.push(`CAST(${d} = CAST('NaN' AS DOUBLE) AS INTEGER)`);
    const sum = terms.length > 0 ? terms.join(" + ") : "0";
    return c.nulls ? `coalesce(${sum}, ${integerLiteral(size - 1)})` : sum;
  }
  if (c.text === true) {
    // list_position finds the value in one call: 3× cheaper than a CASE of string comparisons on
    // DuckDB-WASM's compressed (dictionary) columns (~20 vs ~60 ms per column at 1M rows), the
    // same natively. Not found or NULL gives NULL: the last code, as the CASE's ELSE. Only for
    // VARCHAR: another type would need a cast to text per row, which costs more than the CASE.
    const list = c.levels.map((l) => quoteString(l.text)).join(", ");
    return `coalesce(list_position([${list}], ${col}) - 1, ${integerLiteral(size - 1)})`;
  }
  const whens = c.levels.map((l, j) => `WHEN ${quoteString(l.text)} THEN ${integerLiteral(j)}`).join(" ");
  return `(CASE ${col} ${whens} ELSE ${integerLiteral(size - 1)} END)`;
}

/** The SQL of the key `k{i}` decoded from a stage-1 row (numeric: bin index; categorical: UBIGINT hash). */
function decodeSql(c: BlockCandidate, layout: BlockLayout, i: number): string {
  const place = layout.place[i] as { part: number; stride: number; size: number };
  const p = quoteIdentifier(`p${place.part}`);
  if (layout.parts[place.part]?.raw) return `CASE WHEN ${p} IS NULL THEN NULL ELSE hash(${p}) END`;
  const code = `((${p} // ${integerLiteral(place.stride)}) % ${integerLiteral(place.size)})`;
  if (c.mode === "numeric") {
    const k = c.edges.length;
    const whens: string[] = [];
    if (c.nans) whens.push(`WHEN ${integerLiteral(k + 1)} THEN ${integerLiteral(NAN_BIN)}`);
    if (c.nulls) whens.push(`WHEN ${integerLiteral(place.size - 1)} THEN NULL`);
    return whens.length > 0
      ? `CAST(CASE ${code} ${whens.join(" ")} ELSE ${code} END AS INTEGER)`
      : `CAST(${code} AS INTEGER)`;
  }
  const whens = c.levels.map((l, j) => `WHEN ${integerLiteral(j)} THEN CAST(${quoteString(l.hash)} AS UBIGINT)`);
  return `CASE ${code} ${whens.join(" ")} END`;
}

/**
 * CTE text `stage1 AS MATERIALIZED (...), b0 AS MATERIALIZED (...), …, grouped AS (...)` (or `name`) reading
 * `base` (which must hold the part columns p0… and the metric's inputs). `num`/`den` are the
 * rate metric's aggregates; `sets` the grouping sets as candidate-index lists.
 */
export function compileBlockedGrouped(
  candidates: readonly BlockCandidate[],
  layout: BlockLayout,
  sets: readonly number[][],
  num: string,
  den: string,
  name = "grouped",
): { parts: string[]; ctes: string } {
  const m = layout.parts.length;
  const parts = layout.parts.map((part, pi) => {
    if (part.raw) {
      const first = candidates[part.members[0] as number] as BlockCandidate;
      return `${quoteIdentifier(first.column)} AS ${quoteIdentifier(`p${pi}`)}`;
    }
    const terms = part.members.map((i) => {
      const c = candidates[i] as BlockCandidate;
      const place = layout.place[i] as { stride: number; size: number };
      const e = encodeSql(c, place.size);
      return place.stride === 1 ? `(${e})` : `${integerLiteral(place.stride)} * (${e})`;
    });
    return `CAST(${terms.join(" + ")} AS INTEGER) AS ${quoteIdentifier(`p${pi}`)}`;
  });
  const p = (i: number) => quoteIdentifier(`p${i}`);
  // Stage-1 sets: every pair of parts, or the single part.
  const blocks: [number, number][] = [];
  if (m === 1) blocks.push([0, 0]);
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) blocks.push([a, b]);
  const blockSet = (blk: [number, number]) => (blk[0] === blk[1] ? [blk[0]] : blk);
  const gid = (blk: [number, number]) => {
    const inSet = new Set(blockSet(blk));
    let g = 0;
    for (let i = 0; i < m; i++) if (!inSet.has(i)) g += 2 ** (m - 1 - i);
    return g;
  };
  const partsOf = (set: readonly number[]) =>
    [...new Set(set.map((i) => (layout.place[i] as { part: number }).part))].sort((x, y) => x - y);
  const findBlock = (a: number, b: number) => blocks.findIndex(([x, y]) => x === a && y === b);
  // Blocks that sets spanning two parts need anyway; a set within one part (a single column, or
  // the whole table) is summed from one of those when it can, else from a disjoint pairing of
  // the parts ((0, 1), (2, 3), …): every block is one more hash table probed by every row.
  const needed = new Set(
    sets.flatMap((set) => {
      const ps = partsOf(set);
      return m > 1 && ps.length === 2 ? [findBlock(ps[0] as number, ps[1] as number)] : [];
    }),
  );
  const blockOf = (set: readonly number[]): number => {
    if (m <= 1) return 0;
    const ps = partsOf(set);
    if (ps.length === 2) return findBlock(ps[0] as number, ps[1] as number);
    const sorted = [...needed].sort((x, y) => x - y);
    if (ps.length === 0) return sorted[0] ?? 0;
    const part = ps[0] as number;
    const holding = sorted.find((bi) => (blocks[bi] as [number, number]).includes(part));
    if (holding !== undefined) return holding;
    const a = Math.min(part - (part % 2), m - 2);
    return findBlock(a, a + 1);
  };
  // Only the blocks some set is assigned to are counted.
  const usedBlocks = [...new Set(sets.map(blockOf))].sort((x, y) => x - y);
  const allParts = Array.from({ length: m }, (_, i) => p(i)).join(", ");
  const stage1 =
    m === 0
      ? `stage1 AS MATERIALIZED (SELECT 0 AS gid, count(*) AS n, ${num} AS num, ${den} AS den FROM base)`
      : `stage1 AS MATERIALIZED (
  SELECT GROUPING_ID(${allParts}) AS gid, ${allParts}, count(*) AS n, ${num} AS num, ${den} AS den
  FROM base
  GROUP BY GROUPING SETS (${usedBlocks
    .map(
      (bi) =>
        `(${blockSet(blocks[bi] as [number, number])
          .map(p)
          .join(", ")})`,
    )
    .join(", ")})
)`;
  const blockCtes =
    m === 0
      ? ["b0 AS MATERIALIZED (SELECT * FROM stage1)"]
      : usedBlocks.map(
          (bi) =>
            `b${bi} AS MATERIALIZED (SELECT * FROM stage1 WHERE gid = ${integerLiteral(gid(blocks[bi] as [number, number]))})`,
        );
  const count = candidates.length;
  // Stage 2: per block, one GROUPING SETS over the decoded keys of the sets assigned to it.
  const assigned = new Map<number, number[][]>();
  for (const set of sets) {
    const b = blockOf(set);
    assigned.set(b, [...(assigned.get(b) ?? []), set]);
  }
  const k = (i: number) => quoteIdentifier(`k${i}`);
  const branches = [...assigned.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([b, blockSets]) => {
      const used = [...new Set(blockSets.flat())].sort((x, y) => x - y);
      const inBlock = new Set(used);
      const decoded = used.map((i) => `${decodeSql(candidates[i] as BlockCandidate, layout, i)} AS ${k(i)}`);
      const cols: string[] = [];
      for (let i = 0; i < count; i++) {
        cols.push(
          inBlock.has(i) ? `GROUPING(${k(i)}) AS ${quoteIdentifier(`g${i}`)}` : `1 AS ${quoteIdentifier(`g${i}`)}`,
        );
      }
      for (let i = 0; i < count; i++) {
        const c = candidates[i] as BlockCandidate;
        const type = c.mode === "numeric" ? "INTEGER" : "UBIGINT";
        cols.push(inBlock.has(i) ? k(i) : `CAST(NULL AS ${type}) AS ${k(i)}`);
      }
      const groupSets = blockSets.map((set) => `(${set.map(k).join(", ")})`).join(", ");
      return `SELECT ${cols.map((x) => `${x}, `).join("")}CAST(sum(n) AS BIGINT) AS n, CAST(sum(num) AS DOUBLE) AS num, CAST(sum(den) AS DOUBLE) AS den, CAST(NULL AS DOUBLE) AS var
  FROM (SELECT ${decoded.map((x) => `${x}, `).join("")}n, num, den FROM b${b})
  GROUP BY GROUPING SETS (${groupSets})`;
    });
  const ctes = [stage1, ...blockCtes, `${quoteIdentifier(name)} AS (\n${branches.join("\nUNION ALL\n")}\n)`].join(
    ",\n",
  );
  return { parts, ctes };
}
