import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { GraphQLResponse, TestApp } from "../helpers/app";
import { answerSeen, benchShapeContext, documentedQueries, drawnQueries } from "../helpers/differential";
import { SHAPES } from "../../bench/graph-shapes";

/**
 * The two resolver paths answer alike: EXECUTION=compiled (graphql-jit, resolvers called directly;
 * what the default, EXECUTION=sql, falls back to, and which test/integration/sql-execution.test.ts
 * holds the default to) and EXECUTION=standard (graphql-js with type-graphql's own resolvers, as
 * the libraries ship), two instances over one database. Every benchmark shape, every example query
 * in README.md and docs/, and queries drawn from the schema (every root field, random selections,
 * page sizes, orderings and filters) go to both, and the answers must be the same, errors included.
 */
let compiled: TestApp;
let standard: TestApp;

beforeAll(async () => {
  compiled = await startTestApp({ env: { EXECUTION: "compiled" } });
  standard = await startTestApp({ sharing: compiled, env: { EXECUTION: "standard" } });
});
afterAll(async () => {
  await standard?.close();
  await compiled?.close();
});

const paths = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => JSON.stringify(e.path ?? null));

/** Sends a query to both; each path graphql-js reports an error at must be one of graphql-jit's (see `answerSeen`). */
async function both(query: string) {
  const [a, b] = await Promise.all([compiled.gql(query), standard.gql(query)]);
  expect(paths(a), `error paths of ${query}`).toEqual(expect.arrayContaining(paths(b)));
  return { compiled: answerSeen(a), standard: answerSeen(b) };
}

describe("EXECUTION=standard answers exactly as EXECUTION=compiled", () => {
  it("runs the configured engines", () => {
    expect(compiled.app.config.execution).toBe("compiled");
    expect(standard.app.config.execution).toBe("standard");
  });

  it("on every benchmark shape", async () => {
    const ctx = await benchShapeContext(compiled);
    for (const shape of SHAPES) {
      const answers = await both(shape.ours(ctx));
      expect(answers.compiled.errors, shape.name).toBeUndefined();
      expect(answers.standard, shape.name).toEqual(answers.compiled);
    }
  });

  it("on every example query of the README and docs", async () => {
    const examples = documentedQueries();
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) {
      const answers = await both(example.query);
      expect(answers.standard, `${example.name}:\n${example.query}`).toEqual(answers.compiled);
    }
  });

  it("on queries drawn from the schema, for every root field", async () => {
    const { schema, drawn, compared } = await drawnQueries(compiled);
    // Every root field is drawn, and most drawn queries are answered: the drawing is not just errors.
    expect(new Set(drawn.map((d) => d.name.split(" ")[0]))).toEqual(new Set(Object.keys(schema.getQueryType()!.getFields())));
    let answered = 0;
    for (const query of compared) {
      const answers = await both(query.query);
      expect(answers.standard, `${query.name}:\n${query.query}`).toEqual(answers.compiled);
      if (!answers.compiled.errors) answered += 1;
      else if (process.env.DRAW_DEBUG) console.log(query.name, answers.compiled.errors);
    }
    expect(answered / compared.length).toBeGreaterThan(0.8);
  });
});
