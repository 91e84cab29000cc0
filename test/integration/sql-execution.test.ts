import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { GraphQLResponse, TestApp } from "../helpers/app";
import { drawQueries } from "../helpers/draw-queries";
import { SHAPES, oursNameCursor } from "../../bench/graph-shapes";
import { SQL_EXECUTION_COUNTS } from "../../src/http/sql-execution";

/**
 * EXECUTION=sql (compiled selections: a query's root fields written as one statement each that
 * returns their JSON) answers exactly as the default: two instances over one database get every
 * benchmark shape, every example query of README.md and docs/, and queries drawn from the schema,
 * and the answers (status, data, errors) must be the same. The share of queries answered from
 * SQL rather than handed to the resolvers is counted and printed, and must not be nothing.
 */
let compiled: TestApp;
let sql: TestApp;

beforeAll(async () => {
  compiled = await startTestApp();
  sql = await startTestApp({ sharing: compiled, env: { EXECUTION: "sql" } });
});
afterAll(async () => {
  // A statement that failed fell back to the resolvers and answered alike, but is a compiler bug.
  expect(SQL_EXECUTION_COUNTS.failed).toBe(0);
  await sql?.close();
  await compiled?.close();
});

function seen(response: GraphQLResponse) {
  const errors = response.body.errors?.map((e) => JSON.stringify([e.message, e.extensions?.code ?? null]));
  return { status: response.status, data: response.body.data, errors: errors && [...new Set(errors)].sort() };
}

/** Sends a query to both and returns what each answered, with how many operations the sql instance answered from SQL. */
async function both(query: string) {
  const before = SQL_EXECUTION_COUNTS.compiled;
  const [a, b] = await Promise.all([compiled.gql(query), sql.gql(query)]);
  // Key order too: a client reading the JSON sees the selection's order.
  expect(JSON.stringify(b.body.data ?? null), query).toBe(JSON.stringify(a.body.data ?? null));
  return { compiled: seen(a), sql: seen(b), fromSql: SQL_EXECUTION_COUNTS.compiled - before };
}

function documentedQueries(): { name: string; query: string }[] {
  const files = [
    "README.md",
    ...readdirSync(path.join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  return files.flatMap((file) =>
    [...readFileSync(path.join(ROOT, file), "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${file} example ${i + 1}`, query: m[1] })),
  );
}

describe("EXECUTION=sql answers exactly as the default", () => {
  it("runs the configured engines", () => {
    expect(compiled.app.config.execution).toBe("compiled");
    expect(sql.app.config.execution).toBe("sql");
  });

  it("on every benchmark shape", async () => {
    const [size] = await compiled.sql<{ n: number }>("SELECT count(*)::int AS n FROM operation");
    const ordered = await compiled.sql<{ id: number; name: string; key: string }>("SELECT id, name, key FROM operation ORDER BY name, id");
    const deep = ordered[Math.floor(ordered.length * 0.9)];
    const ctx = { size: size.n, key: ordered[0].key, oursDeepCursor: oursNameCursor(deep.name, deep.id), pgDeepCursor: "", firstDisclosedColumn: true };
    let fromSql = 0;
    for (const shape of SHAPES) {
      const answers = await both(shape.ours(ctx));
      expect(answers.compiled.errors, shape.name).toBeUndefined();
      expect(answers.sql, shape.name).toEqual(answers.compiled);
      fromSql += answers.fromSql;
    }
    console.log(`benchmark shapes answered from SQL: ${fromSql}/${SHAPES.length}`);
    expect(fromSql).toBeGreaterThan(0);
  });

  it("on every example query of the README and docs", async () => {
    const examples = documentedQueries();
    expect(examples.length).toBeGreaterThan(5);
    let fromSql = 0;
    for (const example of examples) {
      const answers = await both(example.query);
      expect(answers.sql, `${example.name}:\n${example.query}`).toEqual(answers.compiled);
      fromSql += answers.fromSql;
    }
    console.log(`documented examples answered from SQL: ${fromSql}/${examples.length}`);
  });

  it("on paging through a list by cursors, forwards and backwards", async () => {
    const page = (args: string) =>
      `{ operations(${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { key name } } } }`;
    const first = await both(page("first: 3"));
    expect(first.fromSql).toBe(1);
    expect(first.sql).toEqual(first.compiled);
    const end = (first.sql.data as { operations: { pageInfo: { endCursor: string } } }).operations.pageInfo.endCursor;
    for (const args of [
      `first: 2, after: ${JSON.stringify(end)}`,
      "last: 4",
      `last: 2, before: ${JSON.stringify(end)}`,
      "first: 0",
      `orderBy: { field: KEY, direction: DESC }, first: 5`,
    ]) {
      const answers = await both(page(args).replace("hasNextPage hasPreviousPage ", ""));
      expect(answers.sql, args).toEqual(answers.compiled);
    }
  });

  it("on queries drawn from the schema, for every root field", async () => {
    const [operation] = await compiled.sql<{ key: string }>("SELECT key FROM operation ORDER BY key LIMIT 1");
    const [report] = await compiled.sql<{ key: string }>("SELECT key FROM report ORDER BY key LIMIT 1");
    const [company] = await compiled.sql<{ key: string }>("SELECT key FROM company ORDER BY key LIMIT 1");
    const [statement] = await compiled.sql<{ key: string }>("SELECT key FROM statement ORDER BY key LIMIT 1");
    const { operation: node } = await compiled.data(`{ operation(key: ${JSON.stringify(operation.key)}) { id } }`);
    const schema = buildSchema(readFileSync(path.join(ROOT, "schema.graphql"), "utf8"));
    const drawn = drawQueries(schema, {
      seed: Number(process.env.DRAW_SEED ?? 1),
      perField: 4,
      values: {
        "Query.operation.key": operation.key,
        "Query.report.key": report.key,
        "Query.company.key": company.key,
        "Query.statement.key": statement.key,
        "Query.country.code": "CN",
        "Query.node.id": node.id,
        "Query.nodes.ids": node.id,
        "Query.deletions.since": "2020-01-01T00:00:00Z",
      },
    });
    const instanceState = new Set(["rateLimit", "syncWatermark"]);
    const compared = drawn.filter((d) => !instanceState.has(d.name.split(" ")[0]));
    let fromSql = 0;
    for (const query of compared) {
      const answers = await both(query.query);
      expect(answers.sql, `${query.name}:\n${query.query}`).toEqual(answers.compiled);
      fromSql += answers.fromSql;
    }
    console.log(`drawn queries answered from SQL: ${fromSql}/${compared.length}`);
    expect(fromSql).toBeGreaterThan(0);
  });
});
