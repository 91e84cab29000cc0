import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/**
 * The order a reader expects, worked out here by the Unicode Collation Algorithm as Node's ICU
 * implements it: base letters and accents count, case does not ("Alibaba" < "APT31" < "Émile" <
 * "Zed"); names equal at that strength fall back to their bytes (what a deterministic collation
 * does), and equal names to the record's id, the lists' documented tiebreak.
 */
const reader = new Intl.Collator("und", { sensitivity: "accent", usage: "sort" });
interface Row {
  key: string;
  name: string;
  tiebreak: string | number;
}
function readerCompare(a: Row, b: Row): number {
  return (
    reader.compare(a.name, b.name) ||
    Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)) ||
    (a.tiebreak < b.tiebreak ? -1 : a.tiebreak > b.tiebreak ? 1 : 0)
  );
}

/** Reads a page of `path` (a dotted path to the connection in the result). */
function connectionAt(data: any, path: string): any {
  return path.split(".").reduce((value, step) => value[step], data);
}

/** Pages through a list with `first`/`after`, then with `last`/`before`; both walks must agree and cover every row once. */
async function walk(document: string, path: string, pageSize: number, direction: "ASC" | "DESC", field: string, variables: Record<string, unknown> = {}) {
  const orderBy = { field, direction };
  const forward: string[] = [];
  let after: string | null = null;
  for (;;) {
    const list = connectionAt(await t.data(document, { ...variables, first: pageSize, after, orderBy }), path);
    forward.push(...list.nodes.map((n: { key: string }) => n.key));
    if (!list.pageInfo.hasNextPage) {
      expect(list.totalCount).toBe(forward.length);
      break;
    }
    after = list.pageInfo.endCursor;
  }
  const backward: string[] = [];
  let before: string | null = null;
  for (;;) {
    const list = connectionAt(await t.data(document, { ...variables, last: pageSize, before, orderBy }), path);
    backward.unshift(...list.nodes.map((n: { key: string }) => n.key));
    if (!list.pageInfo.hasPreviousPage) break;
    before = list.pageInfo.startCursor;
  }
  expect(backward).toEqual(forward);
  expect(new Set(forward).size).toBe(forward.length);
  return forward;
}

const PAGE = `first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy`;
const VARS = `$first: Int, $after: String, $last: Int, $before: String`;

/** Every top-level list that sorts by a name: [list, order input type, order field, node key field, SQL for its rows]. */
const LISTS: [string, string, string, string, string][] = [
  ["operations", "OperationOrder", "NAME", "key", "SELECT key, name, id AS tiebreak FROM operation"],
  ["companies", "CompanyOrder", "NAME", "key", "SELECT key, name, id AS tiebreak FROM company"],
  ["countries", "CountryOrder", "NAME", "code", "SELECT code::text AS key, name, code::text AS tiebreak FROM country"],
  ["reports", "ReportOrder", "TITLE", "key", "SELECT key, title AS name, id AS tiebreak FROM report"],
  ["statements", "StatementOrder", "SPEAKER", "key", "SELECT key, speaker AS name, id AS tiebreak FROM statement"],
];

describe("lists ordered by name", () => {
  it("sort case-insensitively and accent-aware, and page exactly in small pages both ways", async () => {
    let differsFromBytes = 0;
    for (const [list, orderType, field, keyField, sql] of LISTS) {
      const rows = await t.sql<Row>(sql);
      const expected = [...rows].sort(readerCompare).map((r) => r.key);
      const bytes = [...rows].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name))).map((r) => r.key);
      if (expected.join() !== bytes.join()) differsFromBytes += 1;
      const document = `query (${VARS}, $orderBy: ${orderType}) {
        list: ${list}(${PAGE}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { key: ${keyField} } }
      }`;
      const pageSize = list === "countries" ? 23 : 7;
      expect(await walk(document, "list", pageSize, "ASC", field), `${list} by ${field} ASC`).toEqual(expected);
      expect(await walk(document, "list", pageSize, "DESC", field), `${list} by ${field} DESC`).toEqual([...expected].reverse());
    }
    // The data holds names whose byte order is not a reader's (upper-case acronyms, accents), so the
    // comparison above would have failed under the old order.
    expect(differsFromBytes).toBeGreaterThan(0);
  });

  it("sorts a nested list by name the same way", async () => {
    const [company] = await t.sql<{ key: string; id: number }>(
      `SELECT c.key, c.id FROM company c JOIN operation_company oc ON oc.company_id = c.id AND oc.role = 'AI_TOOL' GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
    );
    const rows = await t.sql<Row>(
      `SELECT DISTINCT o.key, o.name, o.id AS tiebreak FROM operation o JOIN operation_company oc ON oc.operation_id = o.id WHERE oc.company_id = $1 AND oc.role = 'AI_TOOL'`,
      [company.id],
    );
    expect(rows.length).toBeGreaterThan(10);
    const expected = [...rows].sort(readerCompare).map((r) => r.key);
    const document = `query ($company: String!, ${VARS}, $orderBy: OperationOrder) {
      company(key: $company) { list: operationsUsingTool(${PAGE}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { key } } }
    }`;
    expect(await walk(document, "company.list", 5, "ASC", "NAME", { company: company.key })).toEqual(expected);
  });

  it("puts upper-case acronyms among their letter, not before every lower-case name", async () => {
    const { operations } = await t.data(`{ operations(first: 100, orderBy: { field: NAME, direction: ASC }) { nodes { name } } }`);
    const names: string[] = operations.nodes.map((n: { name: string }) => n.name);
    for (let i = 1; i < names.length; i += 1) {
      expect(names[i - 1].localeCompare(names[i], "und", { sensitivity: "accent" }), `${names[i - 1]} before ${names[i]}`).toBeLessThanOrEqual(0);
    }
  });
});
