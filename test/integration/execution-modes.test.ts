import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { GraphQLResponse, TestApp } from "../helpers/app";
import { drawQueries } from "../helpers/draw-queries";
import { SHAPES, oursNameCursor } from "../../bench/graph-shapes";

/**
 * The two execution paths answer alike: the default (graphql-jit, resolvers called directly) and
 * EXECUTION=standard (graphql-js with type-graphql's own resolvers, as the libraries ship), two
 * instances over one database. Every benchmark shape, every example query in README.md and docs/,
 * and queries drawn from the schema (every root field, random selections, page sizes, orderings
 * and filters) go to both, and the answers must be the same, errors included.
 */
let compiled: TestApp;
let standard: TestApp;

beforeAll(async () => {
  compiled = await startTestApp();
  standard = await startTestApp({ sharing: compiled, env: { EXECUTION: "standard" } });
});
afterAll(async () => {
  await standard?.close();
  await compiled?.close();
});

/**
 * What a client sees of an answer: status, data, and which errors (message and code). Where an
 * error in a list item nulls the list (a non-null field failed), graphql-js reports the first
 * item's error and graphql-jit every item's, both as the specification allows: so the errors are
 * compared as the set of distinct (message, code), and each path graphql-js reports must be one of
 * graphql-jit's.
 */
function seen(response: GraphQLResponse) {
  const errors = response.body.errors?.map((e) => JSON.stringify([e.message, e.extensions?.code ?? null]));
  return { status: response.status, data: response.body.data, errors: errors && [...new Set(errors)].sort() };
}

const paths = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => JSON.stringify(e.path ?? null));

async function both(query: string) {
  const [a, b] = await Promise.all([compiled.gql(query), standard.gql(query)]);
  expect(paths(a), `error paths of ${query}`).toEqual(expect.arrayContaining(paths(b)));
  return { compiled: seen(a), standard: seen(b) };
}

/** Every ```graphql block of README.md and docs/*.md. */
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

describe("EXECUTION=standard answers exactly as the default", () => {
  it("runs the configured engines", () => {
    expect(compiled.app.config.execution).toBe("compiled");
    expect(standard.app.config.execution).toBe("standard");
  });

  it("on every benchmark shape", async () => {
    const [size] = await compiled.sql<{ n: number }>("SELECT count(*)::int AS n FROM operation");
    const ordered = await compiled.sql<{ id: number; name: string; key: string }>("SELECT id, name, key FROM operation ORDER BY name, id");
    const deep = ordered[Math.floor(ordered.length * 0.9)];
    const ctx = { size: size.n, key: ordered[0].key, oursDeepCursor: oursNameCursor(deep.name, deep.id), pgDeepCursor: "", firstDisclosedColumn: true };
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
    const [operation] = await compiled.sql<{ key: string }>("SELECT key FROM operation ORDER BY key LIMIT 1");
    const [report] = await compiled.sql<{ key: string }>("SELECT key FROM report ORDER BY key LIMIT 1");
    const [company] = await compiled.sql<{ key: string }>("SELECT key FROM company ORDER BY key LIMIT 1");
    const [statement] = await compiled.sql<{ key: string }>("SELECT key FROM statement ORDER BY key LIMIT 1");
    const { operation: node } = await compiled.data(`{ operation(key: ${JSON.stringify(operation.key)}) { id } }`);
    const schema = buildSchema(readFileSync(path.join(ROOT, "schema.graphql"), "utf8"));
    const seed = Number(process.env.DRAW_SEED ?? 1);
    const drawn = drawQueries(schema, {
      seed,
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
    // Every root field is drawn, and most drawn queries are answered: the drawing is not just errors.
    expect(new Set(drawn.map((d) => d.name.split(" ")[0]))).toEqual(new Set(Object.keys(schema.getQueryType()!.getFields())));
    let answered = 0;
    // `rateLimit` reads each instance's own budget and `syncWatermark` the clock: they differ between
    // two instances whatever the engine (the drawing still covers them above).
    const instanceState = new Set(["rateLimit", "syncWatermark"]);
    const compared = drawn.filter((d) => !instanceState.has(d.name.split(" ")[0]));
    for (const query of compared) {
      const answers = await both(query.query);
      expect(answers.standard, `${query.name}:\n${query.query}`).toEqual(answers.compiled);
      if (!answers.compiled.errors) answered += 1;
      else if (process.env.DRAW_DEBUG) console.log(query.name, answers.compiled.errors);
    }
    expect(answered / compared.length).toBeGreaterThan(0.8);
  });
});
