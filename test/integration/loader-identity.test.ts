import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset, sorted } from "../helpers/dataset";

/**
 * A request's loaders are named by the statement their batches run (`statementKey`): lists that
 * differ in anything that changes their SQL, its parameters or how its rows are read back batch
 * apart and each gets its own answer, and identical lists share one statement. The lists here hang
 * under every report of a page (aliases of `operations`), so that a shared loader would show as a
 * missing statement or another list's answer. Loaders are the resolver path's, so the statements
 * are counted on an EXECUTION=compiled instance; the default (EXECUTION=sql, over the same
 * database) must answer each query the same.
 */

const dataset = readDataset();
let t: TestApp;
let byDefault: TestApp;

beforeAll(async () => {
  t = await startTestApp({ env: { EXECUTION: "compiled" } });
  byDefault = await startTestApp({ sharing: t });
});
afterAll(async () => {
  await byDefault?.close();
  await t?.close();
});

/** The resolver path's answer to `query`, once the default has answered the same. */
async function gql(query: string) {
  const [response, other] = await Promise.all([t.gql(query), byDefault.gql(query)]);
  expect(other.body, query).toEqual(response.body);
  return response;
}

const REPORTS = dataset.reports.length;

/** `reports { key a: operations(<a>) { <fields> } b: operations(<b>) { <fields> } }` over every report. */
const twoLists = (a: string, b: string, fields = "nodes { key }") =>
  `{ reports(first: ${REPORTS}) { nodes { key a: operations(${a}) { ${fields} } b: operations(${b}) { ${fields} } } } }`;

/** The keys of a report's operations in one category, from the data files. */
const inCategory = (report: string, category: string) =>
  sorted(dataset.operations.filter((o) => o.reportKeys.includes(report) && o.categories.includes(category)).map((o) => o.key));

/** A report's operations by key, largest first, from plain SQL (the database's collation decides the order). */
async function keysDescending(): Promise<Map<string, string[]>> {
  const rows = await t.sql<{ report: string; operations: string[] }>(
    `SELECT r.key AS report, array(SELECT o.key FROM operation o JOIN operation_report l ON l.operation_id = o.id
       WHERE l.report_id = r.id ORDER BY o.key DESC, o.id DESC) AS operations FROM report r`,
  );
  return new Map(rows.map((row) => [row.report, row.operations]));
}

describe("loaders named by their statements", () => {
  it("lists that differ only in a parameter's value batch apart, each with its own answer", async () => {
    const response = await gql(twoLists(`first: 100, filter: { category: [CYBER_OPERATION] }`, `first: 100, filter: { category: [INFLUENCE_OPERATION] }`));
    expect(response.body.errors).toBeUndefined();
    // The page of reports, then one statement per list for every report.
    expect(response.statements).toBe(3);
    const nodes = response.body.data.reports.nodes;
    expect(nodes).toHaveLength(REPORTS);
    for (const report of nodes) {
      expect(sorted(report.a.nodes.map((n: { key: string }) => n.key))).toEqual(inCategory(report.key, "CYBER_OPERATION"));
      expect(sorted(report.b.nodes.map((n: { key: string }) => n.key))).toEqual(inCategory(report.key, "INFLUENCE_OPERATION"));
    }
  });

  it("lists with the same SQL read back in another order batch apart: a `last` page is not a `first` page", async () => {
    const response = await gql(twoLists(`first: 2, orderBy: { field: KEY, direction: DESC }`, `last: 2, orderBy: { field: KEY, direction: ASC }`));
    expect(response.body.errors).toBeUndefined();
    expect(response.statements).toBe(3);
    const expected = await keysDescending();
    for (const report of response.body.data.reports.nodes) {
      const top = expected.get(report.key)!.slice(0, 2);
      expect(report.a.nodes.map((n: { key: string }) => n.key)).toEqual(top);
      expect(report.b.nodes.map((n: { key: string }) => n.key)).toEqual([...top].reverse());
    }
  });

  it("counts that differ only in a parameter's value are counted apart", async () => {
    const response = await gql(twoLists(`filter: { category: [CYBER_OPERATION] }`, `filter: { category: [INFLUENCE_OPERATION] }`, "totalCount"));
    expect(response.body.errors).toBeUndefined();
    // A count alone reads no page: one count statement per list for every report.
    expect(response.statements).toBe(3);
    for (const report of response.body.data.reports.nodes) {
      expect(report.a.totalCount).toBe(inCategory(report.key, "CYBER_OPERATION").length);
      expect(report.b.totalCount).toBe(inCategory(report.key, "INFLUENCE_OPERATION").length);
    }
  });

  it("identical lists share one loader and one statement", async () => {
    const list = `first: 5, orderBy: { field: KEY, direction: DESC }, filter: { category: [CYBER_OPERATION] }`;
    const response = await gql(twoLists(list, list, "totalCount nodes { key }"));
    expect(response.body.errors).toBeUndefined();
    // The page of reports, then one statement (page and count together) shared by both aliases.
    expect(response.statements).toBe(2);
    for (const report of response.body.data.reports.nodes) {
      expect(report.b).toEqual(report.a);
      const expected = inCategory(report.key, "CYBER_OPERATION");
      expect(report.a.totalCount).toBe(expected.length);
      expect(report.a.nodes).toHaveLength(Math.min(5, expected.length));
      for (const node of report.a.nodes) expect(expected).toContain(node.key);
    }
  });
});
