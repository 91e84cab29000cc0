import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset, sorted } from "../helpers/dataset";

const dataset = readDataset();
const reportByKey = new Map(dataset.reports.map((r) => [r.key, r]));
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const keys = (connection: { nodes: { key?: string; code?: string }[] }) => sorted(connection.nodes.map((n) => n.key ?? n.code!));

/** Every record of a top-level list, with the nested selection, across pages. */
async function all(field: string, selection: string): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const { list }: any = await t.data(
      `query ($after: String) { list: ${field}(first: 25, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${selection} } } }`,
      { after },
    );
    nodes.push(...list.nodes);
    if (!list.pageInfo.hasNextPage) return nodes;
    after = list.pageInfo.endCursor;
  }
}

describe("edges from operations", () => {
  it("match the bundle for every operation: reports, origins, targets, AI tools, platforms, operators, statements", async () => {
    const nodes = await all(
      "operations",
      `key firstDisclosedOn reports(first: 100) { totalCount nodes { key } } origins { country { code } confidence } targets { code }
       aiTools { key } platforms { key } operators { key } statements(first: 100) { nodes { key } }`,
    );
    expect(nodes).toHaveLength(dataset.operations.length);
    const byKey = new Map(nodes.map((n) => [n.key, n]));
    for (const o of dataset.operations) {
      const n = byKey.get(o.key);
      expect(keys(n.reports), o.key).toEqual(sorted(o.reportKeys));
      expect(n.reports.totalCount).toBe(o.reportKeys.length);
      expect(n.firstDisclosedOn).toBe(sorted(o.reportKeys.map((k: string) => reportByKey.get(k).publishedOn))[0]);
      expect(n.origins).toEqual(o.origin.map((x: any) => ({ country: { code: x.country }, confidence: x.confidence })));
      expect(n.targets.map((c: any) => c.code)).toEqual(o.targets);
      expect(n.aiTools.map((c: any) => c.key)).toEqual(o.aiTools);
      expect(n.platforms.map((c: any) => c.key)).toEqual(o.platforms);
      expect(n.operators.map((c: any) => c.key)).toEqual(o.operators);
      expect(keys(n.statements)).toEqual(sorted(dataset.statements.filter((s) => s.operationKeys.includes(o.key)).map((s) => s.key)));
    }
  });
});

describe("edges into operations", () => {
  it("from reports: operations, publisher, statements", async () => {
    const nodes = await all("reports", "key publisher { key } operations(first: 100) { totalCount nodes { key } } statements(first: 100) { nodes { key } }");
    for (const r of dataset.reports) {
      const n = nodes.find((x) => x.key === r.key);
      expect(n.publisher.key).toBe(r.publisher);
      expect(keys(n.operations), r.key).toEqual(sorted(dataset.operations.filter((o) => o.reportKeys.includes(r.key)).map((o) => o.key)));
      expect(keys(n.statements)).toEqual(sorted(dataset.statements.filter((s) => s.reportKeys.includes(r.key)).map((s) => s.key)));
    }
  });

  it("from companies: reports published, operations by role, statements, headquarters", async () => {
    const nodes = await all(
      "companies",
      `key hqCountry { code } reportsPublished(first: 100) { nodes { key } } operationsUsingTool(first: 100) { totalCount nodes { key } }
       operationsOnPlatform(first: 100) { totalCount nodes { key } } operationsOperated(first: 100) { nodes { key } } statements(first: 100) { nodes { key } }`,
    );
    expect(nodes).toHaveLength(dataset.companies.length);
    for (const c of dataset.companies) {
      const n = nodes.find((x) => x.key === c.key);
      const ops = (field: string) => sorted(dataset.operations.filter((o) => o[field].includes(c.key)).map((o) => o.key));
      expect(n.hqCountry?.code ?? null).toBe(c.hqCountry);
      expect(keys(n.reportsPublished)).toEqual(sorted(dataset.reports.filter((r) => r.publisher === c.key).map((r) => r.key)));
      expect(keys(n.operationsUsingTool), c.key).toEqual(ops("aiTools"));
      expect(keys(n.operationsOnPlatform), c.key).toEqual(ops("platforms"));
      expect(keys(n.operationsOperated), c.key).toEqual(ops("operators"));
      expect(keys(n.statements)).toEqual(sorted(dataset.statements.filter((s) => s.organization === c.key).map((s) => s.key)));
    }
  });

  it("from countries: operations originating and targeting, companies, statements", async () => {
    const codes = sorted(new Set(dataset.operations.flatMap((o) => [...o.origin.map((x: any) => x.country), ...o.targets])));
    const { nodes } = await t.data(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Country { code operationsOriginating(first: 100) { nodes { key } } operationsTargeting(first: 100) { nodes { key } }
         companies(first: 100) { nodes { key } } statements(first: 100) { nodes { key } } } } }`,
      { ids: codes.slice(0, 100).map((code) => Buffer.from(`Country:${code}`).toString("base64url")) },
    );
    for (const n of nodes) {
      expect(keys(n.operationsOriginating), n.code).toEqual(
        sorted(dataset.operations.filter((o) => o.origin.some((x: any) => x.country === n.code)).map((o) => o.key)),
      );
      expect(keys(n.operationsTargeting), n.code).toEqual(sorted(dataset.operations.filter((o) => o.targets.includes(n.code)).map((o) => o.key)));
      expect(keys(n.companies)).toEqual(sorted(dataset.companies.filter((c) => c.hqCountry === n.code).map((c) => c.key)));
      expect(keys(n.statements)).toEqual(sorted(dataset.statements.filter((s) => s.country === n.code).map((s) => s.key)));
    }
  });

  it("from statements: organization, country, reports, operations", async () => {
    const nodes = await all(
      "statements",
      "key organization { key } country { code } reports(first: 100) { nodes { key } } operations(first: 100) { nodes { key } }",
    );
    for (const s of dataset.statements) {
      const n = nodes.find((x) => x.key === s.key);
      expect(n.organization?.key ?? null).toBe(s.organization);
      expect(n.country?.code ?? null).toBe(s.country);
      expect(keys(n.reports)).toEqual(sorted(s.reportKeys));
      expect(keys(n.operations)).toEqual(sorted(s.operationKeys));
    }
  });

  it("pages nested lists with cursors, per parent", async () => {
    const report = [...dataset.reports].sort(
      (a, b) => dataset.operations.filter((o) => o.reportKeys.includes(b.key)).length - dataset.operations.filter((o) => o.reportKeys.includes(a.key)).length,
    )[0];
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { report: r }: any = await t.data(
        `query ($key: String!, $after: String) { report(key: $key) { operations(first: 3, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { key } } } }`,
        {
          key: report.key,
          after,
        },
      );
      seen.push(...r.operations.nodes.map((n: any) => n.key));
      expect(r.operations.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!r.operations.pageInfo.hasNextPage) break;
      after = r.operations.pageInfo.endCursor;
    }
    expect(sorted(seen)).toEqual(sorted(dataset.operations.filter((o) => o.reportKeys.includes(report.key)).map((o) => o.key)));
  });
});

describe("SQL statements per request", () => {
  // Reports, newest first: the first five already reach every level of this query (checked below),
  // so a larger page adds rows, never statements, unless some level fetches per parent (N+1).
  const NESTED = `query ($n: Int!) { reports(first: $n) { totalCount nodes { title publisher { name hqCountry { name } } figures { label }
    statements(first: $n) { nodes { quote organization { name } reports(first: 2) { nodes { key } } } }
    operations(first: $n) { edges { node { name firstDisclosedOn origins { country { name } confidence } targets { code }
      aiTools { name } platforms { name } operators { name } reports(first: 3) { nodes { key publisher { key } } } } } } } } }`;

  it("depend on the query's shape, not on the page size (first: 5 and first: 30)", async () => {
    const small = await t.gql(NESTED, { n: 5 });
    const large = await t.gql(NESTED, { n: 30 });
    expect(small.body.errors).toBeUndefined();
    const reports = small.body.data.reports.nodes;
    const operations = reports.flatMap((r: any) => r.operations.edges.map((e: any) => e.node));
    expect(reports.some((r: any) => r.statements.nodes.some((s: any) => s.organization && s.reports.nodes.length > 0))).toBe(true);
    for (const field of ["origins", "targets", "aiTools", "platforms", "operators"]) {
      expect(
        operations.some((o: any) => o[field].length > 0),
        `the first page reaches ${field}`,
      ).toBe(true);
    }
    expect(large.body.errors).toBeUndefined();
    expect(large.body.data.reports.nodes.length).toBe(Math.min(30, dataset.reports.length));
    expect(large.body.data.reports.nodes.flatMap((r: any) => r.operations.edges).length).toBeGreaterThan(operations.length);
    expect(small.statements).toBeGreaterThan(0);
    // Per-request loader caches can only save statements on a larger page (records already loaded
    // at one level are not fetched again at another), so the count may shrink but never grow.
    expect(large.statements).toBeLessThanOrEqual(small.statements);
    const medium = await t.gql(NESTED, { n: 15 });
    expect(medium.statements).toBeLessThanOrEqual(small.statements);
    expect(medium.statements).toBeGreaterThanOrEqual(large.statements);
  });
});
