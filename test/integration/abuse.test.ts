import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { answerSeen } from "../helpers/differential";

const dataset = readDataset();
let t: TestApp;
let production: TestApp;

beforeAll(async () => {
  [t, production] = await Promise.all([startTestApp(), startTestApp({ env: { NODE_ENV: "production" } })]);
});
afterAll(async () => {
  await Promise.all([t?.close(), production?.close()]);
});

async function post(app: TestApp, body: string, contentType = "application/json") {
  const response = await fetch(app.url, { method: "POST", headers: { "content-type": contentType }, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

const tooComplex = async (query: string, limit: RegExp, variables?: object) => {
  const response = await post(t, JSON.stringify({ query, variables }));
  expect(response.status, query.slice(0, 80)).toBe(400);
  expect(response.json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
  expect(response.json.errors[0].message).toMatch(limit);
  expect(response.json.data).toBeUndefined();
};

describe("query limits, checked before execution", () => {
  it("refuses a depth-40 query with HTTP 400 and QUERY_TOO_COMPLEX", async () => {
    let selection = "key";
    for (let i = 0; i < 19; i++) selection = `reports(first: 1) { nodes { operations(first: 1) { nodes { ${selection} } } } }`;
    const query = `{ operations(first: 1) { nodes { ${selection} } } }`;
    await tooComplex(query, /levels deep; the limit is 20/);
  });

  it("refuses too many aliases, directives and tokens", async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: reports(first: 1) { totalCount }`).join(" ");
    await tooComplex(`{ ${aliases} }`, /uses 16 aliases; the limit is 15/);
    const directives = Array.from({ length: 51 }, () => "totalCount @include(if: true)").join(" ");
    await tooComplex(`{ reports(first: 1) { ${directives} } }`, /uses 51 directives; the limit is 50/);
    const tokens = Array.from({ length: 2100 }, () => "totalCount").join(" ");
    await tooComplex(`{ reports(first: 1) { ${tokens} } }`, /more than 2000 tokens/);
  });

  it("multiplies page sizes down nested lists (a node limit)", async () => {
    await tooComplex(
      `{ operations(first: 100) { nodes { reports(first: 100) { nodes { operations(first: 100) { totalCount } } } } } }`,
      /could touch 1010100 records .* the limit is 100000/,
    );
    await tooComplex(
      `query ($n: Int) { companies(first: $n) { nodes { operationsUsingTool(first: $n) { nodes { reports(first: $n) { nodes { key } } } } } } }`,
      /the limit is 100000/,
      { n: 100 },
    );
    const fine = await t.gql(`{ operations(first: 100) { nodes { reports(first: 10) { nodes { key } } } } }`);
    expect(fine.status).toBe(200);
  });

  it("caps pages with a BAD_USER_INPUT that names the cap", async () => {
    const response = await post(t, JSON.stringify({ query: "{ operations(first: 100000) { totalCount } }" }));
    expect(response.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(response.json.errors[0].message).toMatch(/capped at 100/);
  });

  it("refuses fragment cycles, batched requests, wrong content types and invalid JSON with 4xx", async () => {
    const cycle = await post(
      t,
      JSON.stringify({ query: "query { reports { ...A } } fragment A on ReportConnection { ...B } fragment B on ReportConnection { ...A }" }),
    );
    expect(cycle.status).toBe(400);
    expect(cycle.json.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const batch = await post(t, JSON.stringify([{ query: "{ reports { totalCount } }" }, { query: "{ reports { totalCount } }" }]));
    expect(batch.status).toBe(400);
    const text = await post(t, "{ reports { totalCount } }", "text/plain");
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    const invalid = await post(t, '{"query": "{ reports { totalCount } }"');
    expect(invalid.status).toBe(400);
  });
});

describe("hostile strings in arguments", () => {
  const nasty = ["'; DROP TABLE operation; --", '" OR 1=1 --', "\\u0000\\u0001", "%' AND '%'='", "x".repeat(20_000), "ünïcödé 🚩", "$1", "NULL"];

  it("never reach SQL as code: lookups say NOT_FOUND and the data stays", async () => {
    for (const value of nasty) {
      for (const [query, variables] of [
        [`query ($v: String!) { operation(key: $v) { key } }`, { v: value }],
        [`query ($v: String!) { report(key: $v) { key } }`, { v: value }],
        [`query ($v: String!) { company(key: $v) { key } }`, { v: value }],
        [`query ($v: String!) { statement(key: $v) { key } }`, { v: value }],
        [`query ($v: String!) { country(code: $v) { code } }`, { v: value }],
      ] as const) {
        const response = await t.gql(query, variables);
        expect(response.status).toBeLessThan(500);
        expect(response.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
        expect(response.body.errors?.[0].message.length).toBeLessThan(200);
      }
      for (const [query, variables] of [
        [`query ($v: [String!]) { operations(filter: { originCountry: $v }) { totalCount } }`, { v: [value] }],
        [`query ($v: [String!]) { operations(filter: { publisher: $v, aiTool: $v }) { totalCount } }`, { v: [value] }],
        [`query ($v: [String!]) { statements(filter: { operation: $v }) { totalCount } }`, { v: [value] }],
        [`query ($v: String) { reports(after: $v) { totalCount } }`, { v: value }],
        [`query ($v: ID!) { node(id: $v) { id } }`, { v: value }],
      ] as const) {
        const response = await t.gql(query, variables);
        expect(response.status, `${query} ${value.slice(0, 20)}`).toBeLessThan(500);
        expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      }
    }
    const { operations } = await t.data(`{ operations { totalCount } }`);
    expect(operations.totalCount).toBe(dataset.operations.length);
  });
});

describe("production error messages", () => {
  it("give no field suggestions and no stack traces", async () => {
    const response = await post(production, JSON.stringify({ query: "{ operatoins { totalCount } }" }));
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(/Did you mean/);
    const missing = await post(production, JSON.stringify({ query: '{ operation(key: "nope") { key } }' }));
    expect(missing.json.errors[0].extensions).toEqual({ code: "NOT_FOUND" });
    const development = await post(t, JSON.stringify({ query: "{ operatoins { totalCount } }" }));
    expect(development.text).toMatch(/Did you mean/);
  });
});

describe("every string argument of every query field", () => {
  it("takes hostile values without a 5xx", async () => {
    const { __schema } = await t.data(`{ __schema { queryType { fields { name type { kind name ofType { kind name ofType { kind name } } }
      args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`);
    const named = (type: any): any => (type.ofType ? named(type.ofType) : type);
    const isList = (type: any): boolean => type.kind === "LIST" || (type.ofType ? isList(type.ofType) : false);
    const inputs = new Map<string, { name: string; type: any }[]>();
    for (const input of ["OperationFilter", "ReportFilter", "StatementFilter", "CompanyFilter", "CountryFilter"]) {
      const { __type } = await t.data(
        `query ($n: String!) { __type(name: $n) { inputFields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }`,
        { n: input },
      );
      inputs.set(input, __type.inputFields);
    }
    const hostile = ["'; DROP TABLE report; --", "x".repeat(50_000), "\u0000", "../../etc/passwd", '{"$gt": ""}'];
    let calls = 0;
    for (const field of __schema.queryType.fields) {
      const returns = named(field.type);
      const selection = ["OBJECT", "INTERFACE"].includes(returns.kind) ? "{ __typename }" : "";
      for (const arg of field.args) {
        const type = named(arg.type);
        const values: unknown[] = [];
        if (type.name === "String" || type.name === "ID") values.push(...hostile.map((h) => (isList(arg.type) ? [h] : h)));
        if (inputs.has(type.name)) {
          for (const inputField of inputs.get(type.name)!) {
            if (named(inputField.type).name === "String") values.push(...hostile.map((h) => ({ [inputField.name]: isList(inputField.type) ? [h] : h })));
          }
        }
        const typeText = (ty: any): string => (ty.kind === "NON_NULL" ? `${typeText(ty.ofType)}!` : ty.kind === "LIST" ? `[${typeText(ty.ofType)}]` : ty.name);
        for (const value of values) {
          const query = `query ($v: ${typeText(arg.type)}) { ${field.name}(${arg.name}: $v) ${selection} }`;
          const response = await t.gql(query, { v: value });
          calls += 1;
          expect(response.status, `${field.name}(${arg.name}) ${JSON.stringify(value).slice(0, 40)}`).toBeLessThan(500);
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    const { reports } = await t.data(`{ reports { totalCount } }`);
    expect(reports.totalCount).toBe(dataset.reports.length);
  });
});

describe("the statement timeout", () => {
  it("ends a query that runs too long with QUERY_TOO_COMPLEX, and the service goes on", async () => {
    const slow = await startTestApp({ env: { STATEMENT_TIMEOUT_MS: "300" } });
    // The resolver path over the same database: the default answers a timed-out statement as it
    // does, without running the query again on the resolvers.
    const resolvers = await startTestApp({ sharing: slow, env: { STATEMENT_TIMEOUT_MS: "300", EXECUTION: "compiled" } });
    try {
      const pg = await import("pg");
      const blocker = new pg.default.Client({ connectionString: slow.databaseUrl });
      await blocker.connect();
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE report IN ACCESS EXCLUSIVE MODE");
      const response = await slow.gql(`{ reports { totalCount } }`);
      const partly = `{ company(key: "openai") { key } report(key: "${dataset.reports[0].key}") { key } }`;
      const answers = [await slow.gql(partly), await resolvers.gql(partly), await resolvers.gql(`{ reports { totalCount } }`)];
      await blocker.query("ROLLBACK");
      await blocker.end();
      expect(response.body.errors?.[0].extensions?.code).toBe("QUERY_TOO_COMPLEX");
      expect(response.body.errors?.[0].message).toMatch(/longer than the statement timeout/);
      expect(response.statements).toBe(1);
      // What a client sees (status, data, errors' messages and codes) is the resolver path's; the
      // error's path is the root field, whose statement it is, where the resolvers may name the
      // nested field whose own statement failed.
      expect(answerSeen(response)).toEqual(answerSeen(answers[2]));
      // One root field timed out, the other answered: as on the resolver path.
      expect(answers[0].body.data).toEqual({ company: { key: "openai" }, report: null });
      expect(answers[0].body).toEqual(answers[1].body);
      expect(answers[0].statements).toBe(2);
      expect((await slow.data(`{ reports { totalCount } }`)).reports.totalCount).toBe(dataset.reports.length);
    } finally {
      await resolvers.close();
      await slow.close();
    }
  });
});
