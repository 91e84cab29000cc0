import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { SQL_EXECUTION_COUNTS } from "../../src/http/sql-execution";

/**
 * The SQL of canonical queries, kept as text beside this file (`__snapshots__/<name>.sql`), so
 * that a change to the statements a query runs shows in review as a diff of SQL. Each query runs
 * through the real server; the service reports the text of every statement its requests send
 * (`createApp`'s `onStatement`), with parameters as placeholders, never their values. Statements
 * that run concurrently may start in either order, so each file lists them sorted, after their
 * count. `npx vitest run -u test/integration/sql-snapshots.test.ts` rewrites the files.
 *
 * Two instances over one database: the resolver path (EXECUTION=compiled, `<name>.sql`), what the
 * default runs for anything it does not write as SQL, and the default (EXECUTION=sql), whose
 * statement for a query it answers from SQL is kept as `sql/<name>.sql`; a query it hands to the
 * resolvers must run exactly the resolver path's statements.
 */

let t: TestApp;
let byDefault: TestApp;
let recording: string[] | null = null;
/** Records and keys the queries name: the first of each kind by key, so the text never depends on which. */
const keys = { operation: "", report: "", company: "", country: "" };

beforeAll(async () => {
  t = await startTestApp({ env: { EXECUTION: "compiled" }, onStatement: (text) => recording?.push(text) });
  byDefault = await startTestApp({ sharing: t, onStatement: (text) => recording?.push(text) });
  keys.operation = (await t.sql('SELECT key FROM operation ORDER BY key COLLATE "C" LIMIT 1'))[0].key;
  keys.report = (await t.sql('SELECT key FROM report ORDER BY key COLLATE "C" LIMIT 1'))[0].key;
  keys.company = (
    await t.sql('SELECT c.key FROM company c WHERE EXISTS (SELECT 1 FROM report r WHERE r.publisher_id = c.id) ORDER BY c.key COLLATE "C" LIMIT 1')
  )[0].key;
  keys.country = (await t.sql('SELECT country_code AS code FROM operation_origin ORDER BY country_code COLLATE "C" LIMIT 1'))[0].code;
});
afterAll(async () => {
  await byDefault?.close();
  await t?.close();
});

/** The statements one request ran, as the file keeps them: their count, then each text, sorted. */
function sqlFile(statements: string[]): string {
  const texts = statements.map((text) => text.replace(/[ \t]+$/gm, "").trim()).sort();
  return `-- ${statements.length} statement${statements.length === 1 ? "" : "s"}\n\n${texts.map((text) => `${text};\n`).join("\n")}`;
}

/** The statements one query ran on `app`, checked against the count the service reported (X-SQL-Statements). */
async function statementsOf(app: TestApp, query: string): Promise<string[]> {
  let counted = 0;
  const statements = await record(async () => {
    const response = await app.gql(query);
    expect(response.body.errors).toBeUndefined();
    counted = response.statements;
  });
  expect(statements).toHaveLength(counted);
  return statements;
}

async function record(run: () => Promise<void>): Promise<string[]> {
  recording = [];
  try {
    await run();
    return recording;
  } finally {
    recording = null;
  }
}

const QUERIES: [name: string, query: () => string][] = [
  ["operations-page", () => `{ operations(first: 20) { nodes { key name categories actorType } pageInfo { hasNextPage endCursor } } }`],
  ["operations-total-count", () => `{ operations(filter: { category: [INFLUENCE_OPERATION] }) { totalCount } }`],
  ["operations-page-with-count", () => `{ operations(first: 5) { totalCount edges { cursor node { key } } } }`],
  [
    "operations-page-with-edges",
    () => `{ operations(first: 50) { nodes { key name reports(first: 5) { nodes { key publisher { key name } } }
      origins { country { code name } confidence } targets { code } platforms { key } } } }`,
  ],
  [
    "operations-filtered",
    () => `{ operations(first: 10, filter: { category: [CYBER_OPERATION], originCountry: ["CN", "RU"], disclosedFrom: "2024-01-01" }) { nodes { key } } }`,
  ],
  ["operations-search", () => `{ operations(first: 10, filter: { text: "election" }) { nodes { key name } } }`],
  [
    "operation-by-key",
    () => `{ operation(key: "${keys.operation}") { key name summary origins { country { code } confidence } targets { code } aiTools { key } } }`,
  ],
  [
    "operation-by-key-with-reports",
    () =>
      `{ operation(key: "${keys.operation}") { key disclosures { breakoutScale report { key } } reports(first: 10) { totalCount nodes { key title publisher { name } } } } }`,
  ],
  ["reports-page-with-publisher", () => `{ reports(first: 20) { nodes { key title publishedOn publisher { key name } } } }`],
  [
    "reports-nested-operations",
    () => `{ reports(first: 10) { nodes { key operations(first: 5) { totalCount nodes { key origins { country { code } } } } } } }`,
  ],
  [
    "report-by-key-with-operations",
    () => `{ report(key: "${keys.report}") { key title operations(first: 20) { nodes { key name } pageInfo { hasNextPage } } } }`,
  ],
  [
    "company-by-key-with-reports",
    () =>
      `{ company(key: "${keys.company}") { key name reportsPublished(first: 10) { totalCount nodes { key } } operationsUsingTool(first: 5) { nodes { key } } } }`,
  ],
  [
    "country-by-code-with-operations",
    () =>
      `{ country(code: "${keys.country}") { code name operationsOriginating(first: 10) { totalCount nodes { key } } operationsTargeting(first: 10) { nodes { key } } } }`,
  ],
  ["statements-page", () => `{ statements(first: 20) { nodes { key speaker saidOn organization { key } country { code } } } }`],
  ["operation-totals", () => `{ operationStats { totals { operations disclosures reports accountsBanned } } }`],
  [
    "operation-stats-by",
    () =>
      `{ operationStats(filter: { category: [INFLUENCE_OPERATION] }) { by(dimension: ORIGIN_COUNTRY, limit: 5) { denominator buckets { key count share } } } }`,
  ],
  ["operation-stats-by-publisher", () => `{ operationStats { by(dimension: PUBLISHER) { denominator buckets { key count } } } }`],
  ["operation-stats-cross-tab", () => `{ operationStats { crossTab(rows: CATEGORY, columns: ORIGIN_COUNTRY) { grandTotal cells { row column count } } } }`],
  ["operation-stats-over-time", () => `{ operationStats { overTime(interval: YEAR) { undated buckets { start count } } } }`],
  [
    "operation-stats-over-time-split",
    () => `{ operationStats { overTime(interval: QUARTER, dateAxis: DISCLOSURE, splitBy: PUBLISHER) { buckets { start count splits { key count } } } } }`,
  ],
  ["report-stats-by", () => `{ reportStats { totals { reports } by(dimension: PUBLISHER) { buckets { key count } } } }`],
];

describe("SQL snapshots", () => {
  for (const [name, query] of QUERIES) {
    it(`keeps the SQL of ${name}`, async () => {
      const resolverPath = await statementsOf(t, query());
      await expect(sqlFile(resolverPath)).toMatchFileSnapshot(`__snapshots__/${name}.sql`);
      const before = SQL_EXECUTION_COUNTS.compiled;
      const statements = await statementsOf(byDefault, query());
      if (SQL_EXECUTION_COUNTS.compiled > before) await expect(sqlFile(statements)).toMatchFileSnapshot(`__snapshots__/sql/${name}.sql`);
      else expect(sqlFile(statements)).toBe(sqlFile(resolverPath));
    });
  }

  it("keeps the SQL of a statistics export", async () => {
    const statements = await record(async () => {
      const response = await fetch(`${t.url.replace(/\/graphql$/, "")}/export/stats/operations/by/CATEGORY.csv?originCountry=CN`);
      expect(response.status).toBe(200);
      await response.text();
    });
    await expect(sqlFile(statements)).toMatchFileSnapshot("__snapshots__/export-stats-by.sql");
  });
});
