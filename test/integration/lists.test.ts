import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worldCountries from "world-countries";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";

const dataset = readDataset();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const LIST = (field: string, id: string) => `
  query ($first: Int, $after: String, $last: Int, $before: String, $orderBy: ${field === "countries" ? "CountryOrder" : field === "companies" ? "CompanyOrder" : field === "reports" ? "ReportOrder" : field === "operations" ? "OperationOrder" : "StatementOrder"}) {
    list: ${field}(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { ${id} } }
      nodes { ${id} }
    }
  }`;

/** Walks a whole list forward with `first`, then backward with `last`, checking pageInfo on the way. */
async function walk(field: string, id: string, pageSize: number, orderBy?: object) {
  const forward: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const { list }: any = await t.data(LIST(field, id), { first: pageSize, after, orderBy });
    expect(list.nodes).toEqual(list.edges.map((e: { node: unknown }) => e.node));
    expect(list.pageInfo.hasPreviousPage).toBe(after !== null);
    forward.push(...list.nodes.map((n: Record<string, string>) => n[id]));
    pages += 1;
    if (!list.pageInfo.hasNextPage) {
      expect(list.totalCount).toBe(forward.length);
      break;
    }
    expect(list.edges).toHaveLength(pageSize);
    after = list.pageInfo.endCursor;
  }
  const backward: string[] = [];
  let before: string | null = null;
  for (;;) {
    const { list }: any = await t.data(LIST(field, id), { last: pageSize, before, orderBy });
    backward.unshift(...list.nodes.map((n: Record<string, string>) => n[id]));
    expect(list.pageInfo.hasNextPage).toBe(before !== null);
    if (!list.pageInfo.hasPreviousPage) break;
    before = list.pageInfo.startCursor;
  }
  expect(backward).toEqual(forward);
  expect(pages).toBe(Math.max(1, Math.ceil(forward.length / pageSize)));
  return forward;
}

describe("top-level lists", () => {
  it("page through every list both ways, with totals that match the data files", async () => {
    const expected = {
      reports: ["key", dataset.reports.map((r) => r.key)],
      operations: ["key", dataset.operations.map((o) => o.key)],
      companies: ["key", dataset.companies.map((c) => c.key)],
      statements: ["key", dataset.statements.map((s) => s.key)],
      countries: ["code", worldCountries.map((c) => c.cca2)],
    } as const;
    for (const [field, [id, keys]] of Object.entries(expected)) {
      const seen = await walk(field, id, 17);
      expect([...seen].sort()).toEqual([...keys].sort());
    }
  });

  // Orders by a name (NAME, TITLE, SPEAKER) follow a reader's collation: name-order.test.ts checks them.
  it("orders by every order field, with the stable tiebreak the database gives", async () => {
    const cases: [string, string, string, string][] = [
      ["operations", "KEY", "key", "SELECT key FROM operation ORDER BY key, id"],
      ["operations", "BREAKOUT_SCALE", "breakout_scale", "SELECT key FROM operation ORDER BY COALESCE(breakout_scale, 0) DESC, id DESC"],
      ["operations", "ACCOUNTS_BANNED", "accounts_banned", "SELECT key FROM operation ORDER BY COALESCE(accounts_banned, -1), id"],
      [
        "operations",
        "FIRST_DISCLOSED",
        "first",
        "SELECT o.key FROM operation o ORDER BY (SELECT min(r.published_on) FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = o.id) DESC, o.id DESC",
      ],
      ["reports", "PUBLISHED_ON", "published", "SELECT key FROM report ORDER BY published_on DESC, id DESC"],
      ["statements", "SAID_ON", "said", "SELECT key FROM statement ORDER BY COALESCE(said_on, '0001-01-01') DESC, id DESC"],
    ];
    for (const [field, orderField, , sql] of cases) {
      const direction = /DESC/.test(sql) ? "DESC" : "ASC";
      const seen = await walk(field, "key", 13, { field: orderField, direction });
      const oracle = (await t.sql<{ key: string }>(sql)).map((row) => row.key);
      expect(seen, `${field} by ${orderField} ${direction}`).toEqual(oracle);
    }
    const countries = await walk("countries", "code", 40, { field: "CODE", direction: "DESC" });
    expect(countries).toEqual(
      worldCountries
        .map((c) => c.cca2)
        .sort()
        .reverse(),
    );
  });

  it("defaults to 20 records and newest reports first", async () => {
    const { list }: any = await t.data(LIST("operations", "key"), {});
    expect(list.edges).toHaveLength(20);
    const { reports } = await t.data(`{ reports(first: 100) { nodes { publishedOn } } }`);
    const dates = reports.nodes.map((r: { publishedOn: string }) => r.publishedOn);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it("gives an empty page for first: 0 but still counts and knows more follow", async () => {
    const { list }: any = await t.data(LIST("reports", "key"), { first: 0 });
    expect(list.edges).toEqual([]);
    expect(list.totalCount).toBe(dataset.reports.length);
    expect(list.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });
});

describe("paging errors", () => {
  it("refuses a page over the cap, naming the cap", async () => {
    const response = await t.gql(`{ operations(first: 100000) { totalCount } }`);
    expect(response.body.data).toBeNull();
    expect(response.body.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.body.errors![0].message).toMatch(/100000.*capped at 100/);
    const last = await t.gql(`{ reports(last: 101) { totalCount } }`);
    expect(last.body.errors![0].message).toMatch(/^last must be between 0 and 100/);
  });

  it("refuses negative sizes and first with last", async () => {
    expect((await t.gql(`{ operations(first: -1) { totalCount } }`)).body.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
    const both = await t.gql(`{ operations(first: 2, last: 2) { totalCount } }`);
    expect(both.body.errors![0].message).toBe("pass either first or last, not both");
  });

  it("refuses malformed cursors and cursors of another list or ordering", async () => {
    const { reports } = await t.data(`{ reports(first: 1) { pageInfo { endCursor } } }`);
    const { operations } = await t.data(`{ operations(first: 1, orderBy: { field: KEY, direction: ASC }) { pageInfo { endCursor } } }`);
    const cases: [string, RegExp][] = [
      [`{ operations(after: "not a cursor") { totalCount } }`, /^after: not a valid cursor/],
      [`{ operations(before: "${Buffer.from('{"t":"Operation"}').toString("base64url")}") { totalCount } }`, /^before: not a valid cursor/],
      [
        `{ operations(after: "${reports.pageInfo.endCursor}") { totalCount } }`,
        /^after: this cursor belongs to another list or ordering \(Report by PUBLISHED_ON\)/,
      ],
      [`{ operations(after: "${operations.pageInfo.endCursor}") { totalCount } }`, /Operation by KEY\); this list is Operation by NAME/],
    ];
    for (const [query, message] of cases) {
      const response = await t.gql(query);
      expect(response.body.errors![0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(response.body.errors![0].message).toMatch(message);
    }
  });
});
