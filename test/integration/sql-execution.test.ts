import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { answerSeen, benchShapeContext, documentedQueries, drawnQueries } from "../helpers/differential";
import { SHAPES } from "../../bench/graph-shapes";
import { drawShapes } from "../../bench/drawn-shapes";
import { SQL_EXECUTION_COUNTS } from "../../src/http/sql-execution";

/**
 * EXECUTION=sql, the default (compiled selections: a query's root fields written as one statement
 * each that returns their JSON), answers exactly as EXECUTION=compiled, the resolver path it falls
 * back to (which test/integration/execution-modes.test.ts holds to EXECUTION=standard): two
 * instances over one database get every benchmark shape, every example query of README.md and
 * docs/, and queries drawn from the schema, and the answers (status, data, errors) must be the
 * same; the benchmark shapes and examples also go to an EXECUTION=standard instance, whose answers
 * must be the default's too. The share of queries answered from SQL rather than handed to the
 * resolvers is counted and printed, and must not be nothing.
 */
let compiled: TestApp;
let sql: TestApp;
let standard: TestApp;

beforeAll(async () => {
  compiled = await startTestApp({ env: { EXECUTION: "compiled" } });
  sql = await startTestApp({ sharing: compiled });
  standard = await startTestApp({ sharing: compiled, env: { EXECUTION: "standard" } });
});
afterAll(async () => {
  // A statement that failed fell back to the resolvers and answered alike, but is a compiler bug.
  expect(SQL_EXECUTION_COUNTS.failed).toBe(0);
  await standard?.close();
  await sql?.close();
  await compiled?.close();
});

/** Sends a query to both and returns what each answered, with how many operations the sql instance answered from SQL. */
async function both(query: string) {
  const before = SQL_EXECUTION_COUNTS.compiled;
  const [a, b] = await Promise.all([compiled.gql(query), sql.gql(query)]);
  // Key order too: a client reading the JSON sees the selection's order.
  expect(JSON.stringify(b.body.data ?? null), query).toBe(JSON.stringify(a.body.data ?? null));
  return { compiled: answerSeen(a), sql: answerSeen(b), fromSql: SQL_EXECUTION_COUNTS.compiled - before };
}

/** `both`, with EXECUTION=standard's answer required to be the default's as well. */
async function everyPath(query: string) {
  const [answers, other] = await Promise.all([both(query), standard.gql(query)]);
  expect(answerSeen(other), `EXECUTION=standard: ${query}`).toEqual(answers.sql);
  return answers;
}

describe("EXECUTION=sql, the default, answers exactly as EXECUTION=compiled", () => {
  it("runs the configured engines", () => {
    expect(compiled.app.config.execution).toBe("compiled");
    expect(sql.app.config.execution).toBe("sql");
    expect(standard.app.config.execution).toBe("standard");
  });

  it("on every benchmark shape", async () => {
    const ctx = await benchShapeContext(compiled);
    let fromSql = 0;
    for (const shape of SHAPES) {
      const answers = await everyPath(shape.ours(ctx));
      expect(answers.compiled.errors, shape.name).toBeUndefined();
      expect(answers.sql, shape.name).toEqual(answers.compiled);
      fromSql += answers.fromSql;
    }
    console.log(`benchmark shapes answered from SQL: ${fromSql}/${SHAPES.length}`);
    expect(fromSql).toBeGreaterThan(0);
  });

  it("on the shapes the benchmark draws from the schema", async () => {
    const ctx = await benchShapeContext(compiled);
    const first = async (table: string, column = "key") =>
      (await compiled.sql<{ key: string }>(`SELECT ${column} AS key FROM ${table} ORDER BY 1 LIMIT 1`))[0].key;
    ctx.keys = {
      operation: await first("operation"),
      report: await first("report"),
      company: await first("company c WHERE EXISTS (SELECT 1 FROM report r WHERE r.publisher_id = c.id)", "c.key"),
      country: await first("operation_origin", "country_code"),
      statement: await first("statement"),
    };
    let fromSql = 0;
    const shapes = drawShapes(20, 1, SHAPES.length + 1);
    for (const shape of shapes) {
      const answers = await both(shape.ours(ctx));
      expect(answers.compiled.errors, shape.name).toBeUndefined();
      expect(answers.sql, shape.name).toEqual(answers.compiled);
      fromSql += answers.fromSql;
    }
    console.log(`drawn benchmark shapes answered from SQL: ${fromSql}/${shapes.length}`);
    expect(fromSql).toBe(shapes.length);
  });

  it("on a document sent again, with the same variables and with others", async () => {
    const reports = await compiled.sql<{ key: string; publisher: string }>(
      "SELECT r.key, c.key AS publisher FROM report r JOIN company c ON c.id = r.publisher_id ORDER BY r.key LIMIT 2",
    );
    const byKey = `query ByKey($key: String!, $n: Int) { report(key: $key) { key publisher { key } operations(first: $n) { totalCount nodes { key } } } }`;
    const filtered = `query Filtered($p: [String!]) { reports(first: 3, filter: { publisher: $p }) { nodes { key publisher { key } } } }`;
    const send = (query: string, variables: Record<string, unknown>) =>
      Promise.all([compiled.gql(query, variables), sql.gql(query, variables)]).then(([a, b]) => {
        expect(answerSeen(b), `${query} ${JSON.stringify(variables)}`).toEqual(answerSeen(a));
        return answerSeen(b);
      });
    for (const round of [1, 2]) {
      for (const [index, report] of reports.entries()) {
        const answer = await send(byKey, { key: report.key, n: index + 1 });
        expect((answer.data as { report: { key: string } }).report.key, `round ${round}`).toBe(report.key);
        await send(filtered, { p: [report.publisher] });
      }
      // Not found, and then a variable the resolvers refuse, both answered by the resolvers.
      await send(byKey, { key: "no-such-report", n: 1 });
      await send(byKey, { key: reports[0].key, n: -1 });
    }
  });

  it("on every example query of the README and docs", async () => {
    const examples = documentedQueries();
    expect(examples.length).toBeGreaterThan(5);
    let fromSql = 0;
    for (const example of examples) {
      const answers = await everyPath(example.query);
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
    const { compared } = await drawnQueries(compiled);
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
