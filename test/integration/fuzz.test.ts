import { createHash } from "node:crypto";
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
console.log(`fuzz base seed: FUZZ_SEED=${BASE_SEED}${REPLAY === null ? "" : ` (replaying FUZZ_CASE_SEED=${REPLAY})`}`);
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

/** The body limit of the server under test (the service's default MAX_BODY_BYTES). */
const BODY_LIMIT = 1_000_000;

/** One request of an input class: what is sent, and how. */
interface Probe {
  kind: string;
  body: string | Buffer;
  contentType: string;
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/**
 * Strings the service cannot store or must refuse: NUL, lone surrogates of either half, other
 * control characters, the largest code points, very long and empty text.
 */
function badText(random: () => number): string {
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const bad = pick(["\u0000", "\ud800", "\udfff", "\u0001", "\u001f", "\ufffe", "\uffff", "\u{10ffff}", "x".repeat(20_000), "", " ", "\u0000\u0000"]);
  const around = pick(["", "CN", "op-1", "ü🚩", "a b", '"quoted"', "-word or"]);
  return random() < 0.5 ? around + bad : bad + around;
}

/** Where a string can arrive: keys, codes, global IDs, cursors, search text; given as a variable or written into the document. */
const STRING_PLACES: { query: (v: string) => string; type: string; wrap?: (value: string) => string }[] = [
  { query: (v) => `operation(key: ${v}) { key }`, type: "String!" },
  { query: (v) => `report(key: ${v}) { key }`, type: "String!" },
  { query: (v) => `company(key: ${v}) { key }`, type: "String!" },
  { query: (v) => `country(code: ${v}) { name }`, type: "String!" },
  { query: (v) => `operations(filter: { originCountry: [${v}] }) { totalCount }`, type: "String!" },
  { query: (v) => `companies(filter: { text: ${v} }) { totalCount }`, type: "String!" },
  { query: (v) => `node(id: ${v}) { id }`, type: "ID!", wrap: (value) => b64(`Operation:${value}`) },
  { query: (v) => `node(id: ${v}) { id }`, type: "ID!", wrap: (value) => b64(`Country:${value}`) },
  { query: (v) => `nodes(ids: [${v}]) { id }`, type: "ID!", wrap: (value) => b64(`Company:${value}`) },
  { query: (v) => `operations(first: 2, after: ${v}) { totalCount }`, type: "String!", wrap: (value) => b64(JSON.stringify({ v: [value, 1], id: value })) },
  { query: (v) => `reports(last: 2, before: ${v}) { totalCount }`, type: "String!" },
];

/** Times PostgreSQL cannot hold (or the scalars refuse): years 0, negative, past 9999, months and days out of range. */
function badTime(random: () => number, dateOnly: boolean): string {
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const year = pick(["0000", "-000001", "+010000", "+275760", "+275761", "-271821", "9999", "0001", "1969"]);
  const rest = pick(["-01-01", "-12-31", "-02-30", "-13-01", "-00-10"]);
  return dateOnly ? `${year}${rest}` : `${year}${rest}T${pick(["00:00:00Z", "23:59:60Z", "24:00:00+14:00", "12:00:00.999999999-12:00"])}`;
}

const TIME_PLACES: { query: (v: string) => string; type: string; dateOnly: boolean }[] = [
  { query: (v) => `operations(filter: { updatedSince: ${v} }) { totalCount }`, type: "DateTimeISO!", dateOnly: false },
  { query: (v) => `reports(filter: { updatedSince: ${v} }) { totalCount }`, type: "DateTimeISO!", dateOnly: false },
  { query: (v) => `companies(filter: { updatedSince: ${v} }) { totalCount }`, type: "DateTimeISO!", dateOnly: false },
  { query: (v) => `deletions(since: ${v}) { totalCount }`, type: "DateTimeISO!", dateOnly: false },
  { query: (v) => `operations(filter: { disclosedFrom: ${v} }) { totalCount }`, type: "Date!", dateOnly: true },
];

/** A value `depth` levels of objects or lists deep, as JSON text (JSON.stringify would recurse as deep). */
function deepJson(random: () => number, depth: number): string {
  let open = "";
  let close = "";
  for (let i = 0; i < depth; i++) {
    if (random() < 0.5) {
      open += "[";
      close = "]" + close;
    } else {
      open += '{"a":';
      close = "}" + close;
    }
  }
  return `${open}"x"${close}`;
}

const JSON_TYPE = "application/json";

/** Draws one probe of the input classes the service must refuse with a 4xx (or answer), never a 5xx. */
function inputProbe(seed: number): Probe {
  const random = prng(seed);
  const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
  const asVariable = random() < 0.5;
  const kinds = ["deep variables", "bad strings", "bad times", "several operations", "persisted queries", "bodies"] as const;
  const kind = pick([...kinds]);
  switch (kind) {
    case "deep variables": {
      const depth = 60 + Math.floor(random() * 6000);
      const query = pick([
        "query ($v: OperationFilter) { operations(filter: $v) { totalCount } }",
        "query ($v: [String!]) { operations(filter: { originCountry: $v }) { totalCount } }",
        "query ($v: String) { operation(key: $v) { key } }",
      ]);
      const where = random() < 0.8 ? "variables" : "extensions";
      return { kind, contentType: JSON_TYPE, body: `{"query": ${JSON.stringify(query)}, "${where}": {"v": ${deepJson(random, depth)}}}` };
    }
    case "bad strings": {
      const place = pick(STRING_PLACES);
      const text = badText(random);
      const value = place.wrap ? place.wrap(text) : text;
      if (asVariable)
        return { kind, contentType: JSON_TYPE, body: JSON.stringify({ query: `query ($v: ${place.type}) { ${place.query("$v")} }`, variables: { v: value } }) };
      // Written into the document with GraphQL's escapes (those of JSON), so the JSON body itself stays clean.
      return { kind, contentType: JSON_TYPE, body: JSON.stringify({ query: `{ ${place.query(JSON.stringify(value))} }` }) };
    }
    case "bad times": {
      const place = pick(TIME_PLACES);
      const value = badTime(random, place.dateOnly);
      if (asVariable)
        return { kind, contentType: JSON_TYPE, body: JSON.stringify({ query: `query ($v: ${place.type}) { ${place.query("$v")} }`, variables: { v: value } }) };
      return { kind, contentType: JSON_TYPE, body: JSON.stringify({ query: `{ ${place.query(JSON.stringify(value))} }` }) };
    }
    case "several operations": {
      const count = 2 + Math.floor(random() * 3);
      const names = Array.from({ length: count }, (_, i) => (random() < 0.2 ? "" : `Op${i}`));
      const bodies = ["{ __typename }", "{ operations(first: 1) { totalCount } }", "{ countries(first: 1) { totalCount } }", "mutation { __typename }"];
      const query = names.map((name) => `${random() < 0.8 ? "query" : "mutation"} ${name} ${pick(bodies).replace(/^mutation /, "")}`).join("\n");
      const operationName = pick([undefined, null, "", "Nope", ...names, 42]);
      return { kind, contentType: JSON_TYPE, body: JSON.stringify({ query, operationName }) };
    }
    case "persisted queries": {
      const query = pick(["{ __typename }", "{ operations(first: 1) { totalCount } }"]);
      const sha = createHash("sha256").update(query).digest("hex");
      const version = pick([1, 1, 2, 0, -1, "1", null, 1.5]);
      const sha256Hash = pick([sha, "0".repeat(64), "f".repeat(64), "", "zz", sha.toUpperCase(), 7, null]);
      const withQuery = random() < 0.5;
      return {
        kind,
        contentType: JSON_TYPE,
        body: JSON.stringify({ query: withQuery ? query : undefined, extensions: { persistedQuery: { version, sha256Hash } } }),
      };
    }
    default: {
      const size = Math.floor(random() * random() * 3 * BODY_LIMIT);
      const contentType = pick([
        JSON_TYPE,
        JSON_TYPE,
        "application/json; charset=utf-8",
        "application/jsonx",
        "text/plain",
        "application/graphql-response+json",
        "",
        "multipart/form-data",
      ]);
      const head = Buffer.from('{"query": "{ __typename }", "variables": {"pad": "');
      const body = Buffer.alloc(Math.max(size, head.length + 3), 0x78);
      head.copy(body);
      body.write('"}}', body.length - 3);
      return { kind: "bodies", contentType, body };
    }
  }
}

const PROBES = 420;

describe("fuzzing the input classes", () => {
  it("answers deep variables, bad characters, bad times, several operations, persisted queries and bodies with no 5xx", async () => {
    const seeds = REPLAY !== null ? [REPLAY] : Array.from({ length: PROBES }, (_, index) => caseSeed(BASE_SEED ^ 0x1f2e3d4c, index));
    const byKind = new Map<string, Map<number, number>>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < seeds.length) {
        const seed = seeds[next++];
        const probe = inputProbe(seed);
        const headers: Record<string, string> = probe.contentType ? { "content-type": probe.contentType } : {};
        let status: number;
        let answer: string;
        try {
          const response = await fetch(t.url, { method: "POST", headers, body: probe.body as BodyInit });
          status = response.status;
          answer = await response.text();
        } catch (error) {
          status = 0;
          answer = `no answer: ${(error as Error).message} ${String((error as { cause?: unknown }).cause)}`;
        }
        const counts = byKind.get(probe.kind) ?? new Map<number, number>();
        counts.set(status, (counts.get(status) ?? 0) + 1);
        byKind.set(probe.kind, counts);
        let errorsWithoutCode: boolean;
        try {
          const json = JSON.parse(answer) as { errors?: { extensions?: { code?: unknown } }[] };
          errorsWithoutCode = (json.errors ?? []).some((error) => typeof error.extensions?.code !== "string");
        } catch {
          errorsWithoutCode = true; // every answer of /graphql is JSON
        }
        if (status === 0 || status >= 500 || answer.includes("INTERNAL_SERVER_ERROR") || errorsWithoutCode) {
          const sent = typeof probe.body === "string" ? probe.body.slice(0, 300) : `${probe.body.length} bytes`;
          failures.push(
            `FUZZ_CASE_SEED=${seed} ${probe.kind} (status ${status}, content-type "${probe.contentType}")\n  sent: ${sent}\n  got:  ${answer.slice(0, 300)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const summary = [...byKind].map(([kind, counts]) => `${kind}: ${JSON.stringify(Object.fromEntries(counts))}`).join("; ");
    console.log(`input classes (FUZZ_SEED=${BASE_SEED}): ${summary}`);
    expect(failures, `base seed FUZZ_SEED=${BASE_SEED}; replay a case with the variable shown:\n${failures.join("\n")}`).toEqual([]);
    if (REPLAY === null) {
      // Every class was drawn, and each was refused with a 4xx at least once.
      for (const kind of ["deep variables", "bad strings", "bad times", "several operations", "persisted queries", "bodies"]) {
        const statuses = [...(byKind.get(kind) ?? new Map<number, number>()).keys()];
        expect(
          statuses.some((status) => status >= 400 && status < 500),
          `${kind} at FUZZ_SEED=${BASE_SEED}: ${summary}`,
        ).toBe(true);
      }
    }
    const { operations } = await t.data(`{ operations { totalCount } }`);
    expect(operations.totalCount).toBeGreaterThan(0);
  }, 60_000);
});
