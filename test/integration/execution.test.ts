import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset, sorted } from "../helpers/dataset";
import { Reference } from "../helpers/reference";
import { poolOf } from "../../src/db/request-db";

/**
 * The execution engine from outside: statements per list level whatever the page size, totalCount
 * only when asked, statistics under a list batched into one statement per statistic, the cost
 * model on the queries that used to slip past it, and the pool shared fairly. The statements of
 * the resolver path (what the default, EXECUTION=sql, runs for anything it does not write as SQL)
 * are counted on an EXECUTION=compiled instance over the same database; the default's on `t`.
 */
const dataset = readDataset();
const reference = new Reference(dataset);
let t: TestApp;
let resolvers: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  resolvers = await startTestApp({ sharing: t, env: { EXECUTION: "compiled" } });
});
afterAll(async () => {
  await resolvers?.close();
  await t?.close();
});

const PAGE_OF_OPERATIONS = `query ($n: Int!, $m: Int!) {
  operations(first: $n) {
    nodes {
      key
      reports(first: $m) { nodes { key publisher { key name } } }
      origins { country { code name } confidence }
      targets { code }
      platforms { key }
    }
  }
}`;

describe("statements per request depend on the query's shape, not on page sizes", () => {
  it("runs one statement per list level: the page, nested pages, edges and record lookups", async () => {
    const small = await resolvers.gql(PAGE_OF_OPERATIONS, { n: 5, m: 1 });
    const large = await resolvers.gql(PAGE_OF_OPERATIONS, { n: 100, m: 100 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect(large.body.data.operations.nodes.length).toBe(Math.min(100, dataset.operations.length));
    // The operations page, carrying each operation's page of reports (each report with its
    // publisher) as a column; origins, targets and companies (all roles), each one statement for all operations.
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBe(4);
  });

  it("answers the same page from SQL in one statement by default, whatever the page sizes", async () => {
    for (const variables of [
      { n: 5, m: 1 },
      { n: 100, m: 100 },
    ]) {
      const [sql, compiled] = await Promise.all([t.gql(PAGE_OF_OPERATIONS, variables), resolvers.gql(PAGE_OF_OPERATIONS, variables)]);
      expect(sql.body.errors).toBeUndefined();
      expect(sql.statements).toBe(1);
      expect(sql.body).toEqual(compiled.body);
    }
  });

  it("reads no page for a connection selected for its totalCount alone: one count statement for every parent", async () => {
    const response = await resolvers.gql(`{ reports(first: 50) { nodes { key operations { totalCount } statements { totalCount } } } }`);
    expect(response.body.errors).toBeUndefined();
    // The reports' page, then one count per nested connection for all 50 reports.
    expect(response.statements).toBe(3);
    for (const report of response.body.data.reports.nodes) {
      expect(report.operations.totalCount, report.key).toBe(dataset.operations.filter((o) => o.reportKeys.includes(report.key)).length);
      expect(report.statements.totalCount, report.key).toBe(dataset.statements.filter((s) => s.reportKeys.includes(report.key)).length);
    }
  });

  it("counts only when totalCount is selected, in the page's own statement for every parent", async () => {
    const without = await resolvers.gql(`{ reports(first: 50) { nodes { key operations(first: 2) { nodes { key } } } } }`);
    const withCount = await resolvers.gql(`{ reports(first: 50) { totalCount nodes { key operations(first: 2) { totalCount nodes { key } } } } }`);
    expect(without.body.errors).toBeUndefined();
    expect(without.statements).toBe(2);
    expect(withCount.statements).toBe(2);
    expect(withCount.body.data.reports.totalCount).toBe(dataset.reports.length);
    for (const report of withCount.body.data.reports.nodes) {
      expect(report.operations.totalCount, report.key).toBe(dataset.operations.filter((o) => o.reportKeys.includes(report.key)).length);
    }
  });

  it("looks up one operation by key with its edges and its page of reports (with their publishers) in one statement", async () => {
    const companies = new Map(dataset.companies.map((c) => [c.key, c]));
    const operation = dataset.operations.find((o) => o.reportKeys.length > 0 && o.origin.length > 0 && o.targets.length > 0 && o.aiTools.length > 0)!;
    const answer = await resolvers.gql(
      `query ($k: String!) { operation(key: $k) {
        key reports(first: 5) { nodes { key publisher { key } } }
        origins { country { code } confidence } targets { code name } aiTools { key name } platforms { key } operators { key website }
      } }`,
      { k: operation.key },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.statements).toBe(1);
    const found = answer.body.data.operation;
    expect(found.origins).toEqual(operation.origin.map((o: any) => ({ country: { code: o.country }, confidence: o.confidence })));
    expect(found.targets.map((c: any) => c.code)).toEqual(operation.targets);
    expect(found.targets.every((c: any) => typeof c.name === "string" && c.name.length > 0)).toBe(true);
    expect(found.aiTools).toEqual(operation.aiTools.map((key: string) => ({ key, name: companies.get(key).name })));
    expect(found.platforms).toEqual(operation.platforms.map((key: string) => ({ key })));
    expect(found.operators).toEqual(operation.operators.map((key: string) => ({ key, website: companies.get(key).website ?? null })));
    expect(sorted(found.reports.nodes.map((r: any) => r.key))).toEqual(sorted(operation.reportKeys));
  });

  it("carries an operation's page of reports in the operation's statement: the same page, counts, cursors and page info as on its own", async () => {
    const reportsByKey = new Map(dataset.reports.map((r) => [r.key, r]));
    // Newest first, ties on the later-created (higher id) report first: the default order of an operation's reports.
    const newestFirst = (keys: string[]) => [...keys].sort((a, b) => (reportsByKey.get(b).publishedOn < reportsByKey.get(a).publishedOn ? -1 : 1));
    const page = `totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { key publishedOn publisher { key } } }`;
    const operations = dataset.operations.filter((o) => o.reportKeys.length > 1).slice(0, 12);
    expect(operations.length).toBeGreaterThan(3);
    for (const operation of operations) {
      // With the page size as a variable left to its default: arguments are read as execution coerces them.
      const carried = await resolvers.gql(`query ($k: String!, $n: Int = 1) { operation(key: $k) { key reports(first: $n) { ${page} } } }`, {
        k: operation.key,
      });
      expect(carried.body.errors).toBeUndefined();
      expect(carried.statements).toBe(1);
      // Two aliases with other arguments: each page is fetched on its own, as before.
      const alone = await resolvers.gql(
        `query ($k: String!) { operation(key: $k) { key reports(first: 1) { ${page} } other: reports(first: 2) { totalCount } } }`,
        {
          k: operation.key,
        },
      );
      expect(alone.statements).toBe(3);
      const reports = carried.body.data.operation.reports;
      expect(reports).toEqual(alone.body.data.operation.reports);
      expect(reports.totalCount).toBe(operation.reportKeys.length);
      expect(reports.pageInfo.hasNextPage).toBe(true);
      const [first] = reports.edges.map((e: any) => e.node);
      expect(reportsByKey.get(first.key).publishedOn).toBe(reportsByKey.get(newestFirst(operation.reportKeys)[0]).publishedOn);
      expect(first.publisher.key).toBe(reportsByKey.get(first.key).publisher);
      // The carried cursor pages on to the rest of the operation's reports.
      const rest = await resolvers.gql(`query ($k: String!, $c: String) { operation(key: $k) { reports(first: 100, after: $c) { nodes { key } } } }`, {
        k: operation.key,
        c: reports.pageInfo.endCursor,
      });
      expect(sorted([first.key, ...rest.body.data.operation.reports.nodes.map((r: any) => r.key)])).toEqual(sorted(operation.reportKeys));
    }
  });

  it("carries a report's page of operations in the report's statement, the same page as on its own", async () => {
    const operationsOf = (reportKey: string) => dataset.operations.filter((o) => o.reportKeys.includes(reportKey)).map((o) => o.key);
    const reports = dataset.reports.filter((r) => operationsOf(r.key).length > 1).slice(0, 8);
    expect(reports.length).toBeGreaterThan(2);
    const page = `totalCount pageInfo { hasNextPage endCursor } nodes { key name }`;
    for (const report of reports) {
      const carried = await resolvers.gql(`query ($k: String!) { report(key: $k) { key publisher { key } operations(first: 1) { ${page} } } }`, {
        k: report.key,
      });
      expect(carried.body.errors).toBeUndefined();
      expect(carried.statements).toBe(1);
      const alone = await resolvers.gql(
        `query ($k: String!) { report(key: $k) { key operations(first: 1) { ${page} } other: operations(first: 2) { totalCount } } }`,
        {
          k: report.key,
        },
      );
      expect(alone.statements).toBe(3);
      const operations = carried.body.data.report.operations;
      expect(operations).toEqual(alone.body.data.report.operations);
      expect(operations.totalCount).toBe(operationsOf(report.key).length);
      expect(operationsOf(report.key)).toContain(operations.nodes[0].key);
      expect(carried.body.data.report.publisher.key).toBe(report.publisher);
    }
  });

  it("carries a publisher's page of reports in the company's statement, each report with its publisher", async () => {
    const publishers = [...new Set(dataset.reports.map((r) => r.publisher))].filter((key) => dataset.reports.filter((r) => r.publisher === key).length > 2);
    expect(publishers.length).toBeGreaterThan(1);
    const page = `totalCount pageInfo { hasNextPage endCursor } nodes { key publishedOn publisher { key } }`;
    for (const key of publishers) {
      const published = dataset.reports.filter((r) => r.publisher === key);
      const carried = await resolvers.gql(`query ($k: String!) { company(key: $k) { key reportsPublished(first: 2) { ${page} } } }`, { k: key });
      expect(carried.body.errors).toBeUndefined();
      expect(carried.statements).toBe(1);
      const alone = await resolvers.gql(
        `query ($k: String!) { company(key: $k) { reportsPublished(first: 2) { ${page} } other: reportsPublished(first: 1) { totalCount } } }`,
        {
          k: key,
        },
      );
      expect(alone.statements).toBe(3);
      const reports = carried.body.data.company.reportsPublished;
      expect(reports).toEqual(alone.body.data.company.reportsPublished);
      expect(reports.totalCount).toBe(published.length);
      // Newest first: no report of this publisher is newer than the first listed.
      const newest = published
        .map((r) => r.publishedOn)
        .sort()
        .at(-1);
      expect(reports.nodes[0].publishedOn).toBe(newest);
      for (const node of reports.nodes) expect(node.publisher.key).toBe(key);
    }
  });

  it("carries a country's pages of operations, as origin and as target, in the country's statement", async () => {
    const origins = (code: string) => dataset.operations.filter((o) => o.origin.some((x: any) => x.country === code)).map((o) => o.key);
    const targets = (code: string) => dataset.operations.filter((o) => o.targets.includes(code)).map((o) => o.key);
    const codes = [...new Set(dataset.operations.flatMap((o) => [...o.origin.map((x: any) => x.country), ...o.targets]))].slice(0, 8);
    expect(codes.length).toBeGreaterThan(2);
    const page = `totalCount pageInfo { hasNextPage endCursor } nodes { key name }`;
    for (const code of codes) {
      const carried = await resolvers.gql(
        `query ($c: String!, $n: Int = 2) { country(code: $c) { code name operationsOriginating(first: $n) { ${page} } operationsTargeting(first: $n) { ${page} } } }`,
        { c: code.toLowerCase() },
      );
      expect(carried.body.errors).toBeUndefined();
      expect(carried.statements).toBe(1);
      const alone = await resolvers.gql(
        `query ($c: String!) { country(code: $c) { operationsOriginating(first: 2) { ${page} } operationsTargeting(first: 2) { ${page} }
          o: operationsOriginating(first: 1) { totalCount } t: operationsTargeting(first: 1) { totalCount } } }`,
        { c: code },
      );
      expect(alone.statements).toBe(5);
      const country = carried.body.data.country;
      expect(country.code).toBe(code);
      expect(country.operationsOriginating).toEqual(alone.body.data.country.operationsOriginating);
      expect(country.operationsTargeting).toEqual(alone.body.data.country.operationsTargeting);
      expect(country.operationsOriginating.totalCount).toBe(origins(code).length);
      expect(country.operationsTargeting.totalCount).toBe(targets(code).length);
      for (const node of country.operationsOriginating.nodes) expect(origins(code)).toContain(node.key);
      for (const node of country.operationsTargeting.nodes) expect(targets(code)).toContain(node.key);
      // Ordered by name as a reader orders names (case aside, accents counting; name-order.test.ts
      // checks the order in full): the first listed is the first by name of the country's operations.
      const byName = new Intl.Collator("und", { sensitivity: "accent" });
      const first = (keys: string[]) =>
        dataset.operations
          .filter((o) => keys.includes(o.key))
          .sort((a, b) => byName.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0]?.key;
      expect(country.operationsOriginating.nodes[0]?.key).toBe(first(origins(code)));
      expect(country.operationsTargeting.nodes[0]?.key).toBe(first(targets(code)));
    }
    // Refused arguments stay the field's own error, at its path (the connection is non-null, so the country is null).
    const refused = await resolvers.gql(`{ country(code: "CN") { code operationsOriginating(first: 101) { totalCount } } }`);
    expect(refused.body.data.country).toBeNull();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors?.[0].path).toEqual(["country", "operationsOriginating"]);
    expect(refused.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("carries each operation's page of reports in a page of operations, and leaves refused arguments to the field", async () => {
    const listed = await resolvers.gql(`{ operations(first: 100) { nodes { key reports(last: 2) { totalCount nodes { key } } } } }`);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.statements).toBe(1);
    for (const node of listed.body.data.operations.nodes) {
      const operation = dataset.operations.find((o) => o.key === node.key);
      expect(node.reports.totalCount, node.key).toBe(operation.reportKeys.length);
      expect(node.reports.nodes.length).toBe(Math.min(2, operation.reportKeys.length));
      for (const report of node.reports.nodes) expect(operation.reportKeys).toContain(report.key);
    }
    const refused = await resolvers.gql(`{ operation(key: "${dataset.operations[0].key}") { key reports(first: 101) { nodes { key } } } }`);
    expect(refused.body.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
    expect(refused.body.errors![0].path).toEqual(["operation", "reports"]);
    expect(refused.body.errors![0].message).toMatch(/first must be between 0 and 100/);
  });

  it("gives an operation looked up by key the same edges as the operation in a page", async () => {
    const selection = `key origins { confidence country { code name region } } targets { code } aiTools { key name kind } platforms { key name } operators { key }`;
    const page = await resolvers.gql(`{ operations(first: 100) { nodes { ${selection} } } }`);
    expect(page.body.errors).toBeUndefined();
    for (const node of page.body.data.operations.nodes) {
      const single = await resolvers.gql(`query ($k: String!) { operation(key: $k) { ${selection} } }`, { k: node.key });
      expect(single.body.data.operation, node.key).toEqual(node);
      expect(single.statements).toBe(1);
    }
  });

  it("reads each list with the columns its own selection needs, whatever else the query asks of the same records", async () => {
    const byName = new Intl.Collator("und", { sensitivity: "accent" });
    const first = [...dataset.operations].sort((a, b) => byName.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, 3);
    const ids = await resolvers.gql(`{ operations(first: 3) { nodes { id } } }`);
    const answer = await resolvers.gql(
      `query ($ids: [ID!]!) {
        names: operations(first: 3) { nodes { key } }
        full: operations(first: 3) { nodes { key summary categories } }
        nodes(ids: $ids) { ... on Operation { key summary } }
      }`,
      { ids: ids.body.data.operations.nodes.map((n: any) => n.id) },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.names.nodes).toEqual(first.map((o) => ({ key: o.key })));
    expect(answer.body.data.full.nodes).toEqual(first.map((o) => ({ key: o.key, summary: o.summary, categories: o.categories })));
    expect(answer.body.data.nodes).toEqual(first.map((o) => ({ key: o.key, summary: o.summary })));
  });

  it("reads edge records and publishers with the columns each selection needs, never handing a part record to a fuller selection", async () => {
    const companies = new Map(dataset.companies.map((c) => [c.key, c]));
    const publisherOf = new Map(dataset.reports.map((r) => [r.key, r.publisher]));
    const answer = await resolvers.gql(`{ operations(first: 100) { nodes {
      key
      platforms { key }
      aiTools { key name website }
      targets { code }
      origins { confidence country { code name } }
      reports(first: 20) { nodes { key publisher { key } full: publisher { key name kind website } } }
    } } }`);
    expect(answer.body.errors).toBeUndefined();
    const byKey = new Map(dataset.operations.map((o) => [o.key, o]));
    expect(answer.body.data.operations.nodes.length).toBe(Math.min(100, dataset.operations.length));
    for (const node of answer.body.data.operations.nodes) {
      const source = byKey.get(node.key)!;
      expect(
        node.platforms.map((c: any) => c.key),
        node.key,
      ).toEqual(source.platforms);
      expect(node.aiTools, node.key).toEqual(
        source.aiTools.map((key: string) => ({ key, name: companies.get(key).name, website: companies.get(key).website ?? null })),
      );
      expect(
        node.targets.map((c: any) => c.code),
        node.key,
      ).toEqual(source.targets);
      expect(
        node.origins.map((o: any) => ({ country: o.country.code, confidence: o.confidence })),
        node.key,
      ).toEqual(source.origin);
      expect(node.origins.every((o: any) => typeof o.country.name === "string" && o.country.name.length > 0)).toBe(true);
      for (const report of node.reports.nodes) {
        const publisher = companies.get(publisherOf.get(report.key))!;
        expect(report.publisher).toEqual({ key: publisher.key });
        expect(report.full).toEqual({ key: publisher.key, name: publisher.name, kind: publisher.kind, website: publisher.website ?? null });
      }
    }
  });

  it("counts parents whose page is empty: past the last cursor, and under a filter nothing matches", async () => {
    const operation = dataset.operations.find((o) => o.reportKeys.length > 0)!;
    const all = await resolvers.gql(`query ($k: String!) { operation(key: $k) { reports(first: 100) { totalCount pageInfo { endCursor } } } }`, {
      k: operation.key,
    });
    const past = await resolvers.gql(`query ($k: String!, $c: String) { operation(key: $k) { reports(first: 5, after: $c) { totalCount nodes { key } } } }`, {
      k: operation.key,
      c: all.body.data.operation.reports.pageInfo.endCursor,
    });
    expect(past.body.errors).toBeUndefined();
    expect(past.body.data.operation.reports).toEqual({ totalCount: operation.reportKeys.length, nodes: [] });
    const none = await resolvers.gql(`{ operations(first: 5, filter: { text: "zzzqqxxnothingmatches" }) { totalCount nodes { key } } }`);
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data.operations).toEqual({ totalCount: 0, nodes: [] });
    expect(none.statements).toBe(1);
  });

  it("pages deep into a list by cursor with the same statements as the first page", async () => {
    const first = await resolvers.gql(
      `{ operations(first: 10, orderBy: { field: FIRST_DISCLOSED, direction: DESC }) { nodes { key firstDisclosedOn } pageInfo { endCursor } } }`,
    );
    const cursor = first.body.data.operations.pageInfo.endCursor;
    const next = await resolvers.gql(
      `query ($c: String) { operations(first: 10, after: $c, orderBy: { field: FIRST_DISCLOSED, direction: DESC }) { nodes { key firstDisclosedOn } } }`,
      { c: cursor },
    );
    expect(next.statements).toBe(first.statements);
    const all = [...first.body.data.operations.nodes, ...next.body.data.operations.nodes];
    const expected = [...dataset.operations]
      .map((o) => ({ key: o.key, firstDisclosedOn: reference.firstDisclosed(o) }))
      .sort((a, b) => (a.firstDisclosedOn < b.firstDisclosedOn ? 1 : a.firstDisclosedOn > b.firstDisclosedOn ? -1 : 0));
    expect(all.map((o) => o.firstDisclosedOn)).toEqual(expected.slice(0, 20).map((o) => o.firstDisclosedOn));
  });
});

describe("compiled execution", () => {
  // Order inputs have required fields with defaults (direction: OrderDirection! = ASC): a variable of
  // such a type runs on graphql-js, the same document with the order written inline on graphql-jit.
  const selection = `totalCount pageInfo { hasNextPage endCursor } nodes { id key reports(first: 2) { totalCount nodes { key } } origins { confidence country { code } } }`;

  it("answers alike on graphql-jit and on graphql-js: lazy counts, page info, nested lists and global IDs", async () => {
    const compiled = await t.gql(`{ operations(first: 7, orderBy: { field: KEY }) { ${selection} } }`);
    const interpreted = await t.gql(`query ($order: OperationOrder) { operations(first: 7, orderBy: $order) { ${selection} } }`, { order: { field: "KEY" } });
    expect(compiled.body.errors).toBeUndefined();
    expect(interpreted.body.errors).toBeUndefined();
    expect(compiled.body).toEqual(interpreted.body);
    const keys = dataset.operations.map((o) => o.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(compiled.body.data.operations.totalCount).toBe(dataset.operations.length);
    expect(compiled.body.data.operations.pageInfo.hasNextPage).toBe(dataset.operations.length > 7);
    expect(compiled.body.data.operations.nodes.map((n: any) => n.key)).toEqual(keys.slice(0, 7));
    const node = await t.gql(`query ($id: ID!) { node(id: $id) { __typename ... on Operation { key } } }`, { id: compiled.body.data.operations.nodes[0].id });
    expect(node.body.data.node).toEqual({ __typename: "Operation", key: keys[0] });
  });

  it("keeps a resolver error's code, path and HTTP status", async () => {
    const query = `{ ok: operations(first: 1) { nodes { key } } operation(key: "no-such-operation") { key } }`;
    const missing = await t.gql(query);
    expect(missing.status).toBe(200);
    expect(missing.body.data.ok.nodes.length).toBe(1);
    expect(missing.body.errors).toHaveLength(1);
    expect(missing.body.errors?.[0]).toMatchObject({
      path: ["operation"],
      locations: [{ line: 1, column: query.indexOf("operation(key") + 1 }],
      extensions: { code: "NOT_FOUND" },
    });
    const unauthenticated = await t.gql(`mutation { companyDelete(input: { key: "openai" }) { deletedKey } }`);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.errors?.[0].extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("cursors are checked before they reach SQL", () => {
  it("refuses forged cursors with BAD_USER_INPUT naming the argument, running no statement", async () => {
    const cursor = (payload: object) => Buffer.from(JSON.stringify(payload)).toString("base64url");
    const forged = [
      { t: "Operation", f: "FIRST_DISCLOSED", s: "2024-99-99", i: 1 },
      { t: "Operation", f: "FIRST_DISCLOSED", s: "99999999-01-01", i: 1 },
      { t: "Operation", f: "FIRST_DISCLOSED", s: "2024-01-01", i: 9007199254740991 },
      { t: "Operation", f: "NAME", s: "a\u0000b", i: 1 },
    ];
    for (const payload of forged) {
      const field = payload.f === "NAME" ? "NAME" : "FIRST_DISCLOSED";
      const response = await t.gql(`query ($c: String) { operations(first: 2, after: $c, orderBy: { field: ${field} }) { nodes { key } } }`, {
        c: cursor(payload),
      });
      expect(response.status, JSON.stringify(payload)).toBe(400);
      expect(response.body.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
      expect(response.body.errors![0].message).toMatch(/^after: /);
      expect(response.statements).toBe(0);
    }
  });
});

describe("statistics under a list are one statement per statistic for all parents", () => {
  it("computes stats for every country of a page in a fixed number of statements, matching the reference", async () => {
    const response = await t.gql(`{
      countries(first: 100, filter: { region: [ASIA] }) {
        nodes { code stats { totals { operations } by(dimension: CATEGORY, limit: 3) { denominator buckets { kind key count } } } }
      }
    }`);
    expect(response.body.errors).toBeUndefined();
    const countries = response.body.data.countries.nodes;
    expect(countries.length).toBeGreaterThan(40);
    // countries page, then totals and by() for all of them: one statement each.
    expect(response.statements).toBeLessThanOrEqual(4);
    for (const country of countries) {
      const ops = reference.select({ originCountry: [country.code] });
      expect(country.stats.totals.operations, country.code).toBe(ops.length);
      const want = reference.distribution(ops, "CATEGORY", 3, true);
      expect(country.stats.by.denominator, country.code).toBe(want.denominator);
      expect(country.stats.by.buckets, country.code).toEqual(want.buckets);
    }
  });

  it("batches company and report stats the same way", async () => {
    const response = await t.gql(`{
      companies(first: 100) { nodes { key stats(role: AI_TOOL) { totals { operations } } } }
      reports(first: 100) { nodes { key stats { totals { operations } } } }
    }`);
    expect(response.body.errors).toBeUndefined();
    expect(response.statements).toBeLessThanOrEqual(5);
    for (const company of response.body.data.companies.nodes) {
      expect(company.stats.totals.operations, company.key).toBe(reference.select({ aiTool: [company.key] }).length);
    }
    for (const report of response.body.data.reports.nodes) {
      expect(report.stats.totals.operations, report.key).toBe(reference.select({ report: [report.key] }).length);
    }
  });
});

const COUNTRY_IDS = async () => (await t.data(`{ countries(first: 100) { nodes { id } } }`)).countries.nodes.map((c: { id: string }) => c.id);

describe("the cost model cannot be bypassed", () => {
  it("prices variable defaults like passed variables", async () => {
    const query = `query ($n: Int = 100) { operations(first: $n) { nodes { reports(first: $n) { nodes { operations(first: $n) { totalCount } } } } } }`;
    for (const variables of [{}, { n: 100 }]) {
      const response = await t.gql(query, variables);
      expect(response.status).toBe(400);
      expect(response.body.errors![0].extensions!.code).toBe("QUERY_TOO_COMPLEX");
      expect(response.body.errors![0].message).toMatch(/limit is 100000/);
      expect(response.statements).toBe(0);
    }
  });

  it("multiplies by the ids given to nodes(ids)", async () => {
    const ids = await COUNTRY_IDS();
    const response = await t.gql(
      `query ($ids: [ID!]!, $n: Int = 100) { nodes(ids: $ids) { ... on Country { operationsOriginating(first: $n) { nodes { reports(first: $n) { nodes { operations(first: $n) { nodes { key } } } } } } } } }`,
      { ids },
    );
    expect(response.body.errors![0].extensions!.code).toBe("QUERY_TOO_COMPLEX");
    expect(response.statements).toBe(0);
  });

  it("multiplies by a distribution's limit and prices the statistics under its buckets per parent", async () => {
    const query = `{ operationStats { by(dimension: ORIGIN_COUNTRY, limit: 500) { buckets { node { ... on Country {
      stats { totals { operations } by(dimension: CATEGORY) { buckets { key count } } crossTab(rows: CATEGORY, columns: ACTOR_TYPE) { grandTotal } overTime(interval: QUARTER) { buckets { count } } }
    } } } } } }`;
    const response = await t.gql(query);
    expect(response.body.errors![0].extensions!.code).toBe("QUERY_TOO_COMPLEX");
    // One statistic under every bucket is within the limit, and runs batched.
    const one = await t.gql(
      `{ operationStats { by(dimension: ORIGIN_COUNTRY, limit: 500) { buckets { key node { ... on Country { stats { totals { operations } } } } } } } }`,
    );
    expect(one.body.errors).toBeUndefined();
    expect(one.statements).toBeLessThanOrEqual(4);
    for (const bucket of one.body.data.operationStats.by.buckets.filter((b: any) => b.node)) {
      expect(bucket.node.stats.totals.operations, bucket.key).toBe(reference.select({ originCountry: [bucket.key] }).length);
    }
  });

  it("multiplies plain lists of records by their bound", async () => {
    const response = await t.gql(
      `{ operations(first: 100) { nodes { origins { country { operationsOriginating(first: 100) { nodes { targets { operationsTargeting(first: 100) { totalCount } } } } } } } } }`,
    );
    expect(response.body.errors![0].extensions!.code).toBe("QUERY_TOO_COMPLEX");
    expect(response.statements).toBe(0);
  });
});

describe("a lookup of one record reuses its statements' plans", () => {
  // One pooled connection, so every statement of the requests is prepared on the connection read
  // below; `single` on the resolver path, whose loaders batch keys, `sqlSingle` on the default.
  let single: TestApp;
  let sqlSingle: TestApp;
  beforeAll(async () => {
    single = await startTestApp({ env: { DB_POOL_SIZE: "1", EXECUTION: "compiled" } });
    sqlSingle = await startTestApp({ sharing: single, env: { DB_POOL_SIZE: "1" } });
  });
  afterAll(async () => {
    await sqlSingle?.close();
    await single?.close();
  });

  it("lets PostgreSQL keep a generic plan for the default's statement of a lookup by key", async () => {
    const query = `query ($k: String!) { operation(key: $k) { key reports(first: 2) { nodes { key } } } }`;
    for (const operation of dataset.operations.slice(0, 8)) {
      const answer = await sqlSingle.gql(query, { k: operation.key });
      expect(answer.body.data.operation.key).toBe(operation.key);
      expect(answer.statements).toBe(1);
    }
    const client = await poolOf(sqlSingle.app.dataSource).connect();
    try {
      const { rows } = await client.query(
        `SELECT statement, generic_plans FROM pg_prepared_statements WHERE statement LIKE '%FROM operation e WHERE e.key =%'`,
      );
      expect(rows).toHaveLength(1);
      expect(Number(rows[0].generic_plans), rows[0].statement).toBeGreaterThanOrEqual(8 - 5);
    } finally {
      client.release();
    }
  });

  it("lets PostgreSQL keep a generic plan for a batch of one key (an array of one was planned anew every time)", async () => {
    for (const operation of dataset.operations.slice(0, 8)) {
      const answer = await single.gql(`query ($k: String!) { operation(key: $k) { key reports(first: 2) { nodes { key } } } }`, { k: operation.key });
      expect(answer.body.data.operation.key).toBe(operation.key);
      expect(answer.statements).toBe(1);
    }
    for (const report of dataset.reports.slice(0, 8)) {
      // Selected twice, the page keeps its own statement (one for both aliases): a batch of one parent.
      const answer = await single.gql(
        `query ($k: String!) { report(key: $k) { key a: operations(first: 2) { nodes { key } } b: operations(first: 2) { nodes { key } } } }`,
        {
          k: report.key,
        },
      );
      expect(answer.body.data.report.key).toBe(report.key);
      expect(answer.statements).toBe(2);
    }
    const client = await poolOf(single.app.dataSource).connect();
    try {
      const { rows } = await client.query(
        `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements
         WHERE statement LIKE '%WHERE e.key =%' OR statement LIKE '%CROSS JOIN LATERAL%'`,
      );
      // The operation with its page of reports; the report; the page of operations under one report.
      expect(rows).toHaveLength(3);
      // PostgreSQL plans a named statement for its values five times, then reuses a generic plan if it is no dearer.
      for (const row of rows) expect(Number(row.generic_plans), row.statement).toBeGreaterThanOrEqual(8 - 5);
    } finally {
      client.release();
    }
  });
});

describe("the connection pool is shared fairly", () => {
  it("answers OVERLOADED (503, Retry-After) when every pooled connection is busy, while /readyz stays truthful", async () => {
    const pool = poolOf(t.app.dataSource);
    const held = [];
    for (let i = 0; i < (pool.options.max ?? 4); i += 1) held.push(await pool.connect());
    try {
      // A non-null root field: data is null, so the status is the code's.
      const response = await t.gql(`{ operations(first: 1) { totalCount } }`);
      expect(response.body.data).toBeNull();
      expect(response.status).toBe(503);
      expect(response.body.errors![0].extensions!.code).toBe("OVERLOADED");
      expect(response.headers.get("retry-after")).toBe("1");
      // A nullable lookup leaves data { operation: null }: GraphQL over HTTP answers data with 200.
      const lookup = await t.gql(`{ operation(key: "${dataset.operations[0].key}") { key } }`);
      expect(lookup.body.data).toEqual({ operation: null });
      expect(lookup.body.errors![0].extensions!.code).toBe("OVERLOADED");
      expect(lookup.status).toBe(200);
      const ready = await fetch(new URL("/readyz", t.url));
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as any).pool.saturated).toBe(true);
    } finally {
      for (const client of held) client.release();
    }
    const after = await t.gql(`{ operation(key: "${dataset.operations[0].key}") { key } }`);
    expect(after.status).toBe(200);
  });

  it("keeps answering a cheap lookup while another client loops the most expensive accepted query", async () => {
    const heavy = `{ countries(first: 100) { nodes { operationsOriginating(first: 50) { totalCount nodes { key reports(first: 5) { nodes { key } } } }
                      stats { by(dimension: TARGET_COUNTRY, limit: 50) { buckets { key count } } } } } }`;
    const probe = await t.gql(heavy);
    expect(probe.body.errors).toBeUndefined();
    // Among the most expensive queries the cost limit accepts.
    expect(Number(probe.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
    let stop = false;
    const loops = [0, 1, 2].map(async () => {
      let sent = 0;
      while (!stop && sent < 40) {
        await t.gql(heavy);
        sent += 1;
      }
    });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1)
      statuses.push((await t.gql(`{ operation(key: "${dataset.operations[i % dataset.operations.length].key}") { key name } }`)).status);
    stop = true;
    await Promise.all(loops);
    expect(statuses).toEqual(statuses.map(() => 200));
  });
});
