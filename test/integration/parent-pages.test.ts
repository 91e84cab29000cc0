import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

/**
 * A list under one parent (a company's reports, a country's companies, a company's or a country's
 * statements) is a keyset page, `WHERE parent = ... ORDER BY sort, id LIMIT n + 1`, and must be
 * read as a range of an index on (parent, sort, id): with an index on the parent alone or on the
 * sort alone, PostgreSQL at a million operations walked a sort index past every other parent's rows
 * (bench/README.md). The statement each query runs is the service's own (the default writes one
 * statement per root field); PostgreSQL plans it with sequential and bitmap scans off, since the
 * test data is small enough to scan whole, and the plan must read the child table through an index whose
 * columns are the parent, the list's sort expression and the id, as pg_indexes prints them.
 */
let t: TestApp;
let recording: string[] | null = null;

beforeAll(async () => {
  t = await startTestApp({ onStatement: (text) => recording?.push(text) });
});
afterAll(async () => {
  await t?.close();
});

/** Index definitions the plan of `query` reads `table` through. */
async function indexesRead(query: string, table: string): Promise<string[]> {
  recording = [];
  const response = await t.gql(query);
  const statements = recording;
  recording = null;
  expect(response.body.errors).toBeUndefined();
  expect(statements).toHaveLength(1);
  const client = new pg.Client({ connectionString: t.databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL enable_seqscan = off");
    await client.query("SET LOCAL enable_bitmapscan = off");
    const [{ "QUERY PLAN": plan }] = (await client.query(`EXPLAIN (FORMAT JSON) ${statements[0]}`)).rows;
    const names = new Set<string>();
    const walk = (node: Record<string, unknown>) => {
      if (node["Relation Name"] === table && typeof node["Index Name"] === "string") names.add(node["Index Name"]);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(plan[0].Plan);
    const { rows } = await client.query("SELECT indexdef FROM pg_indexes WHERE indexname = ANY($1)", [[...names]]);
    return rows.map((row) => row.indexdef.replace(/^.* USING btree /, ""));
  } finally {
    await client.query("ROLLBACK");
    await client.end();
  }
}

const CASES: [list: string, order: string, query: (order: string) => string, table: string, columns: string][] = [
  [
    "Company.reportsPublished",
    "{ field: KEY, direction: ASC }",
    (o) => `{ companies(first: 5) { nodes { reportsPublished(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "report",
    "(publisher_id, key, id)",
  ],
  [
    "Company.reportsPublished",
    "{ field: TITLE, direction: ASC }",
    (o) => `{ companies(first: 5) { nodes { reportsPublished(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "report",
    "(publisher_id, title COLLATE reader_order, id)",
  ],
  [
    "Company.reportsPublished",
    "{ field: PUBLISHED_ON, direction: DESC }",
    (o) => `{ companies(first: 5) { nodes { reportsPublished(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "report",
    "(publisher_id, published_on, id)",
  ],
  [
    "Country.companies",
    "{ field: KEY, direction: ASC }",
    (o) => `{ countries(first: 5) { nodes { companies(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "company",
    "(hq_country_code, key, id)",
  ],
  [
    "Country.companies",
    "{ field: NAME, direction: ASC }",
    (o) => `{ countries(first: 5) { nodes { companies(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "company",
    "(hq_country_code, name COLLATE reader_order, id)",
  ],
  [
    "Company.statements",
    "{ field: KEY, direction: ASC }",
    (o) => `{ companies(first: 5) { nodes { statements(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "statement",
    "(organization_id, key, id)",
  ],
  [
    "Company.statements",
    "{ field: SAID_ON, direction: DESC }",
    (o) => `{ companies(first: 5) { nodes { statements(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "statement",
    "(organization_id, COALESCE(said_on, '0001-01-01'::date), id)",
  ],
  [
    "Company.statements",
    "{ field: SPEAKER, direction: ASC }",
    (o) => `{ companies(first: 5) { nodes { statements(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "statement",
    "(organization_id, speaker COLLATE reader_order, id)",
  ],
  [
    "Country.statements",
    "{ field: KEY, direction: ASC }",
    (o) => `{ countries(first: 5) { nodes { statements(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "statement",
    "(country_code, key, id)",
  ],
  [
    "Country.statements",
    "{ field: SAID_ON, direction: DESC }",
    (o) => `{ countries(first: 5) { nodes { statements(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "statement",
    "(country_code, COALESCE(said_on, '0001-01-01'::date), id)",
  ],
  [
    "Country.statements",
    "{ field: SPEAKER, direction: ASC }",
    (o) => `{ countries(first: 5) { nodes { statements(first: 2, orderBy: ${o}) { nodes { key } } } } }`,
    "statement",
    "(country_code, speaker COLLATE reader_order, id)",
  ],
];

describe("a list under a parent", () => {
  it.each(CASES)("%s ordered by %s reads an index on (parent, sort, id)", async (_list, order, query, table, columns) => {
    expect(await indexesRead(query(order), table)).toContain(columns);
  });
});
