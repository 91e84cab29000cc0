import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { prng } from "../../bench/generate-bundle";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const SEEDS = [
  `{ operations(first: 5) { totalCount edges { cursor node { id name reports(first: 2) { nodes { title publisher { name } } } origins { country { name } confidence } } } pageInfo { endCursor hasNextPage } } }`,
  `query ($f: OperationFilter, $n: Int) { operations(first: $n, filter: $f, orderBy: { field: FIRST_DISCLOSED, direction: DESC }) { nodes { key breakoutScale } } }`,
  `query ($k: String!) { report(key: $k) { title figures { label value } operations(last: 3) { nodes { name } } stats { totals { operations } } } }`,
  `query ($id: ID!) { node(id: $id) { id ... on Country { name operationsTargeting(first: 3) { totalCount } } } }`,
  `{ operationStats(filter: { originCountry: ["CN"] }) { by(dimension: CATEGORY, limit: 3) { denominator buckets { key count share } } overTime(interval: QUARTER) { buckets { start count } } } }`,
  `query ($c: String!) { country(code: $c) { stats(role: TARGET) { crossTab(rows: ACTOR_TYPE, columns: PUBLISHER) { grandTotal } } } }`,
  `{ statements(first: 3, filter: { stance: [DENIAL] }) { nodes { quote organization { name } } } reportStats { by(dimension: YEAR) { buckets { key count } } } }`,
  `query Q { companies(first: 2) { nodes { ...C } } } fragment C on Company { key hqCountry { code } reportsPublished(first: 1) { totalCount } }`,
];

const PIECES = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ":",
  "$",
  "...",
  "@include(if: true)",
  "first: 100000",
  "last: -1",
  'after: "x"',
  "null",
  "__typename",
  "on",
  "fragment",
  '"\\u0000"',
  "1e309",
  "9999999999999",
  "#",
  "\n",
  "query",
  "mutation",
  "subscription",
  "operations",
  "nodes",
  "edges",
];

function mutate(random: () => number, text: string): string {
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const position = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 6)) {
    case 0:
      return text.slice(0, position) + text.slice(position + 1 + Math.floor(random() * 5));
    case 1:
      return text.slice(0, position) + pick(PIECES) + text.slice(position);
    case 2:
      return text.slice(0, position) + text.slice(position).replace(/\d+/, String(Math.floor(random() * 1e6) - 5e5));
    case 3:
      return text + text.slice(position);
    case 4:
      return text.slice(0, position) + String.fromCharCode(Math.floor(random() * 0xffff)) + text.slice(position);
    default:
      return text.replace(/\w+/, pick(PIECES));
  }
}

function variables(random: () => number): Record<string, unknown> {
  const values: unknown[] = [
    null,
    0,
    -1,
    101,
    1e9,
    "",
    "CN",
    "x".repeat(5000),
    [],
    [null],
    ["US", "XX"],
    { originCountry: ["ZZ"] },
    { category: ["NOPE"] },
    { breakoutScaleMin: 9 },
    true,
    "2025-02-30",
    { nested: { deep: [1, 2, 3] } },
  ];
  const pick = () => values[Math.floor(random() * values.length)];
  return { f: pick(), n: pick(), k: pick(), id: pick(), c: pick() };
}

/**
 * The seed of fuzz case `index`: each case draws from a generator of its own, so its input does not
 * depend on how the concurrent senders interleave, and one case can be replayed alone.
 */
const caseSeed = (base: number, index: number) => (Math.imul(base ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;

interface FuzzCase {
  seed: number;
  /** The request body as sent (usually JSON, sometimes a bare document). */
  body: string;
}

/** Draws one case's request body from its own seed. */
function fuzzCase(seed: number): FuzzCase {
  const random = prng(seed);
  let query = SEEDS[Math.floor(random() * SEEDS.length)];
  for (let i = Math.floor(random() * 4) - 1; i >= 0; i--) query = mutate(random, query);
  const body = random() < 0.05 ? query : JSON.stringify({ query, variables: random() < 0.7 ? variables(random) : undefined });
  return { seed, body };
}

// FUZZ_SEED sets the base seed of a run (another seed, other inputs); FUZZ_CASE_SEED replays a
// single case, as printed by a failure.
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const REPLAY = process.env.FUZZ_CASE_SEED === undefined ? null : Number(process.env.FUZZ_CASE_SEED);
const TOTAL = 2500;

describe("fuzzing", () => {
  it("answers thousands of mutated documents and variables without a 5xx, and still serves afterwards", async () => {
    const cases = REPLAY !== null ? [fuzzCase(REPLAY)] : Array.from({ length: TOTAL }, (_, index) => fuzzCase(caseSeed(BASE_SEED, index)));
    const statuses = new Map<number, number>();
    const failures: { seed: number; status: number; body: string; answer: string }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const { seed, body } = cases[next++];
        const response = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body });
        const answer = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) failures.push({ seed, status: response.status, body, answer: answer.slice(0, 500) });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const replay = failures.map((f) => `FUZZ_CASE_SEED=${f.seed} (status ${f.status})\n  sent: ${f.body}\n  got:  ${f.answer}`).join("\n");
    expect(failures.length, `base seed FUZZ_SEED=${BASE_SEED}; replay a case with the variable shown:\n${replay}`).toBe(0);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(cases.length);
    if (REPLAY === null) {
      // Both ways through the server were exercised: documents that ran and documents refused.
      expect(statuses.get(200) ?? 0, `FUZZ_SEED=${BASE_SEED}`).toBeGreaterThan(100);
      expect(statuses.get(400) ?? 0, `FUZZ_SEED=${BASE_SEED}`).toBeGreaterThan(100);
    }
    const { operations } = await t.data(`{ operations { totalCount } }`);
    expect(operations.totalCount).toBeGreaterThan(0);
  });
});
