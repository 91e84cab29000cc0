import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { buildSchema } from "graphql";
import { ROOT } from "./app";
import type { GraphQLResponse, TestApp } from "./app";
import { drawQueries } from "./draw-queries";
import { oursNameCursor } from "../../bench/graph-shapes";
import type { ShapeContext } from "../../bench/graph-shapes";

/*
 * What the differential tests of the execution modes share (execution-modes.test.ts,
 * sql-execution.test.ts): the queries they send to two instances over one database (every
 * benchmark shape, every documented example, queries drawn from the schema) and how an answer is
 * compared.
 */

/**
 * What a client sees of an answer: status, data, and which errors (message and code). Where an
 * error in a list item nulls the list (a non-null field failed), graphql-js reports the first
 * item's error and graphql-jit every item's, both as the specification allows: so errors are
 * compared as the set of distinct (message, code).
 */
export function answerSeen(response: GraphQLResponse) {
  const errors = response.body.errors?.map((e) => JSON.stringify([e.message, e.extensions?.code ?? null]));
  return { status: response.status, data: response.body.data, errors: errors && [...new Set(errors)].sort() };
}

/** Every ```graphql block of README.md and docs/*.md. */
export function documentedQueries(): { name: string; query: string }[] {
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

/** The values the benchmark shapes need (bench/graph-shapes.ts), read from the app's database. */
export async function benchShapeContext(app: TestApp): Promise<ShapeContext> {
  const [size] = await app.sql<{ n: number }>("SELECT count(*)::int AS n FROM operation");
  const ordered = await app.sql<{ id: number; name: string; key: string }>("SELECT id, name, key FROM operation ORDER BY name, id");
  const deep = ordered[Math.floor(ordered.length * 0.9)];
  return { size: size.n, key: ordered[0].key, oursDeepCursor: oursNameCursor(deep.name, deep.id), pgDeepCursor: "", firstDisclosedColumn: true };
}

/** Root fields whose answers are each instance's own state (its rate budget, the clock), whatever the engine. */
const INSTANCE_STATE = new Set(["rateLimit", "syncWatermark"]);

/**
 * Queries drawn from schema.graphql (`perField` for every root field, seed DRAW_SEED or 1), with
 * keys of records that exist in the app's database for the lookups; `compared` leaves out the root
 * fields that answer with instance state.
 */
export async function drawnQueries(app: TestApp, perField = 4) {
  const first = async (table: string) => (await app.sql<{ key: string }>(`SELECT key FROM ${table} ORDER BY key LIMIT 1`))[0].key;
  const operation = await first("operation");
  const { operation: node } = await app.data(`{ operation(key: ${JSON.stringify(operation)}) { id } }`);
  const schema = buildSchema(readFileSync(path.join(ROOT, "schema.graphql"), "utf8"));
  const drawn = drawQueries(schema, {
    seed: Number(process.env.DRAW_SEED ?? 1),
    perField,
    values: {
      "Query.operation.key": operation,
      "Query.report.key": await first("report"),
      "Query.company.key": await first("company"),
      "Query.statement.key": await first("statement"),
      "Query.country.code": "CN",
      "Query.node.id": node.id,
      "Query.nodes.ids": node.id,
      "Query.deletions.since": "2020-01-01T00:00:00Z",
    },
  });
  return { schema, drawn, compared: drawn.filter((d) => !INSTANCE_STATE.has(d.name.split(" ")[0])) };
}
