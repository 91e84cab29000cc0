import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "graphql";
import type { GraphQLSchema } from "graphql";
import { buildAppSchema } from "../../src/schema";
import { queryCost } from "../../src/http/query-cost";

// The price rule, as query-cost.ts documents it, applied by hand below. The unit is a record the
// query may touch:
//   connection field            (first ?? last ?? 20) × (1 + selection); edges/nodes pass through
//   plain list of records       (last ?? limit ?? 10) × (1 + selection)
//   nodes(ids:)                 ids.length × (1 + selection)
//   single record               1 + selection;  a scalar 0
//   a statistic                 100 per parent it is computed for, plus its result lists:
//                               by: (limit + 2) × bucket, crossTab: 500 ×, overTime: 1200 ×
// Building the schema needs no database, so these run as unit tests.
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

const cost = (query: string, variables: Record<string, unknown> = {}) => queryCost(schema, parse(query), variables);

describe("connections", () => {
  it("cost their page size times one plus their selection per record", () => {
    // 5 × (1 + 0)
    expect(cost(`{ operations(first: 5) { nodes { name } } }`)).toBe(5);
    // 7 × (1 + node 1)
    expect(cost(`{ operations(last: 7) { edges { cursor node { key } } } }`)).toBe(14);
  });

  it("take 20 records when neither first nor last is given", () => {
    expect(cost(`{ operations { totalCount } }`)).toBe(20);
  });

  it("multiply when nested", () => {
    // 10 × (1 + 3 × (1 + 0))
    expect(cost(`{ operations(first: 10) { nodes { reports(first: 3) { nodes { title } } } } }`)).toBe(40);
    // 2 × (1 + 4 × (1 + 5 × (1 + 0)))
    expect(cost(`{ countries(first: 2) { nodes { operationsOriginating(first: 4) { nodes { reports(first: 5) { totalCount } } } } } }`)).toBe(50);
  });

  it("sum across sibling fields", () => {
    // 3 + 4 × (1 + 0) + 20
    expect(cost(`{ operations(first: 3) { totalCount } reports(first: 4) { nodes { title } } statements { totalCount } }`)).toBe(27);
  });
});

describe("variables and defaults", () => {
  const NESTED = `query ($n: Int, $m: Int = 3) { operations(first: $n) { nodes { reports(first: $m) { totalCount } } } }`;

  it("price the values the request sends", () => {
    // 6 × (1 + 1)
    expect(cost(NESTED, { n: 6, m: 1 })).toBe(12);
  });

  it("price a variable's default when the request leaves it out", () => {
    // 6 × (1 + 3)
    expect(cost(NESTED, { n: 6 })).toBe(24);
  });

  it("price the page-size default when a variable is null or absent", () => {
    // 20 × (1 + 3)
    expect(cost(NESTED, {})).toBe(80);
    expect(cost(NESTED, { n: null })).toBe(80);
  });

  it("price an argument's schema default: auditLog(last: Int! = 20)", () => {
    expect(cost(`{ auditLog { id } }`)).toBe(20);
    expect(cost(`{ auditLog(last: 3) { id } }`)).toBe(3);
  });

  it("see through fragments and the operation a request names", () => {
    const document = `query A { operations(first: 2) { ...N } } query B { operations(first: 9) { ...N } } fragment N on OperationConnection { nodes { reports(first: 2) { totalCount } } }`;
    // 2 × (1 + 2), then 9 × (1 + 2)
    expect(queryCost(schema, parse(document), {}, "A")).toBe(6);
    expect(queryCost(schema, parse(document), {}, "B")).toBe(27);
  });
});

describe("plain lists and nodes(ids:)", () => {
  it("price a plain list of records by its bound of 10", () => {
    // operation: 1 + origins 10 × (1 + country 1)
    expect(cost(`{ operation(key: "x") { origins { confidence country { name } } } }`)).toBe(21);
    // operation: 1 + aiTools 10 × (1 + 0) + platforms 10 × (1 + 0)
    expect(cost(`{ operation(key: "x") { aiTools { name } platforms { key } } }`)).toBe(21);
  });

  it("price a plain list of scalars as nothing", () => {
    // operation: 1 + aliases 0 + categories 0
    expect(cost(`{ operation(key: "x") { aliases categories } }`)).toBe(1);
  });

  it("price nodes(ids:) by the number of ids", () => {
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Operation { reports(first: 2) { totalCount } } } }`;
    // 3 × (1 + 2)
    expect(cost(query, { ids: ["a", "b", "c"] })).toBe(9);
    // 1 × (1 + 2): an empty list is priced as one record
    expect(cost(query, { ids: [] })).toBe(3);
    // 4 ids written inline, 4 × (1 + 0)
    expect(cost(`{ nodes(ids: ["a", "b", "c", "d"]) { id } }`)).toBe(4);
  });
});

describe("statistics", () => {
  it("cost 100 each", () => {
    // operationStats 1 + totals 100
    expect(cost(`{ operationStats { totals { operations } } }`)).toBe(101);
    // operationStats 1 + totals 100 + crossTab 100 + 500 × 0
    expect(cost(`{ operationStats { totals { operations } crossTab(rows: CATEGORY, columns: YEAR) { grandTotal cells { count } } } }`)).toBe(201);
  });

  it("cost 100 for every parent they are computed for", () => {
    // 3 countries × (1 + stats 1 + totals 100)
    expect(cost(`{ countries(first: 3) { nodes { stats { totals { operations } } } } }`)).toBe(306);
    // 25 countries × (1 + stats 1 + totals 100 + overTime 100)
    expect(cost(`{ countries(first: 25) { nodes { stats { totals { operations } overTime(interval: YEAR) { undated } } } } }`)).toBe(25 * 202);
  });

  it("multiply the records a result list may hold by its bound", () => {
    // by: 100 + (default limit 10 + 2) × (node 1 + 0); operationStats 1 +
    expect(cost(`{ operationStats { by(dimension: PUBLISHER) { buckets { node { id } } } } }`)).toBe(113);
    // by: 100 + (4 + 2) × 1, the limit from a variable's default
    expect(cost(`query ($l: Int! = 4) { operationStats { by(dimension: PUBLISHER, limit: $l) { buckets { node { id } } } } }`)).toBe(107);
    // operationStats 1 + overTime: 100 + 1200 buckets × (splits 500 × (node 1 + 0))
    expect(cost(`{ operationStats { overTime(interval: YEAR, splitBy: PUBLISHER) { buckets { splits { node { id } } } } } }`)).toBe(1 + 100 + 1200 * 500);
  });
});

describe("a sample size out of bounds", () => {
  it("is refused while pricing, before anything runs", () => {
    expect(() => cost(`{ operations(filter: { sample: { seed: "s", size: 0 } }) { totalCount } }`)).toThrow(
      "filter.sample.size: a sample holds 1 to 10000 operations (got 0)",
    );
    expect(() =>
      cost(`query ($size: Int!) { operationStats(filter: { sample: { seed: "s", size: $size } }) { totals { operations } } }`, { size: 10_001 }),
    ).toThrow(/got 10001/);
    expect(cost(`{ operations(filter: { sample: { seed: "s", size: 10000 } }) { totalCount } }`)).toBe(20);
  });
});
