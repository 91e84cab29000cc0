import { GraphQLError, Kind, isNonNullType, locatedError } from "graphql";
import type { FieldNode, DocumentNode, ExecutionResult, FragmentDefinitionNode, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { getArgumentValues, getVariableValues } from "graphql";
import { collectFields } from "./sql-fields";
import type { GatewayExecutor } from "@apollo/server-gateway-interface";
import type { Context } from "../context";
import { SqlParams } from "../db/sql";
import { BudgetExceededError, OverloadedError } from "../db/request-db";
import { isDatabaseUnavailable } from "../common/error-status";
import { fromGlobalId } from "../common/global-id";
import { LIST_FIELDS, RECORD_TABLES, ROOT_LOOKUPS } from "./sql-tables";
import { NotCompiled, connectionJson, recordJson } from "./sql-selections";
import type { Build } from "./sql-selections";

/**
 * How many operations `sqlExecutor` answered from SQL and how many it handed to the resolvers, in
 * this process: what the differential test reports as the share of drawn queries compiled.
 * `failed` counts statements that failed where no error was expected (not a selection left
 * uncompiled, not the arguments' own errors): the test requires none.
 */
export const SQL_EXECUTION_COUNTS = { compiled: 0, fallback: 0, failed: 0 };

/**
 * One root field as a statement returning its JSON in the column `j`; `lookup` when an empty answer
 * means the record was not found. `nodes` and `nullable` say where an error of running it is
 * reported and whether it nulls the whole answer, as GraphQL execution would.
 */
interface RootStatement {
  key: string;
  sql?: string;
  params?: SqlParams;
  value?: unknown;
  lookup?: boolean;
  nodes?: readonly FieldNode[];
  nullable?: boolean;
}

/**
 * The root fields of a query operation, each as one statement (see `sql-selections.ts`), or
 * NotCompiled for anything the compiler does not write: the whole operation then runs on the
 * resolvers. Filters and paging arguments are checked by the modules' own `listSpec`, so what
 * they refuse is refused here too, and the resolvers then answer the error. `filtered` when a
 * list has a filter, whose keys are read as ids as of this request.
 */
async function rootStatements(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
  ctx: Context,
): Promise<{ statements: RootStatement[]; filtered: boolean }> {
  if (operation.operation !== "query") throw new NotCompiled("not a query");
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  if (coerced.errors) throw new NotCompiled("variables");
  const variables = coerced.coerced;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  const query = schema.getQueryType()!;
  const statements: RootStatement[] = [];
  let filtered = false;
  for (const [key, nodes] of collectFields({ schema, fragments, variables }, query, [operation.selectionSet])) {
    const name = nodes[0].name.value;
    if (name === "__typename") {
      statements.push({ key, value: query.name });
      continue;
    }
    const build: Build = { ctx, schema, fragments, variables, params: new SqlParams(), aliases: 0 };
    const nullable = !isNonNullType(query.getFields()[name]?.type);
    statements.push({ ...(await rootStatement(build, query, key, nodes)), nodes, nullable });
    filtered ||= build.filtered === true;
  }
  return { statements, filtered };
}

/** One root field's statement: a record by global id, a lookup by key, or a list; NotCompiled for any other field. */
async function rootStatement(build: Build, query: GraphQLObjectType, key: string, nodes: readonly FieldNode[]): Promise<RootStatement> {
  const { schema, variables } = build;
  const name = nodes[0].name.value;
  const field = query.getFields()[name];
  const lookup = ROOT_LOOKUPS[name];
  const list = LIST_FIELDS[`Query.${name}`];
  if (name === "node") {
    // A malformed ID is the resolver's BAD_USER_INPUT; a record that no longer exists its null.
    const { type, key: recordKey } = fromGlobalId(String(getArgumentValues(field, nodes[0], variables).id));
    const table = RECORD_TABLES[type];
    const json = await recordJson(build, schema.getType(type) as GraphQLObjectType, nodes, "e");
    const where = `e.${table.keyColumn} = ${build.params.add(recordKey)}::text`;
    return { key, sql: `SELECT ${json} AS j FROM ${table.table} e WHERE ${where}`, params: build.params, lookup: true };
  }
  if (lookup) {
    const argument = getArgumentValues(field, nodes[0], variables)[lookup.argument];
    if (typeof argument !== "string" || (lookup.accepts && !lookup.accepts.test(argument))) throw new NotCompiled("lookup argument");
    const type = schema.getType(lookup.type) as GraphQLObjectType;
    const json = await recordJson(build, type, nodes, "e");
    const param = `${build.params.add(argument)}::text`;
    const where = `e.${lookup.column} = ${lookup.compare ? lookup.compare(param) : param}`;
    return { key, sql: `SELECT ${json} AS j FROM ${RECORD_TABLES[lookup.type].table} e WHERE ${where}`, params: build.params, lookup: true };
  }
  if (list) return { key, sql: `SELECT ${await connectionJson(build, list, field, nodes)} AS j`, params: build.params };
  throw new NotCompiled(`Query.${name}`);
}

/** Variable sets kept per operation: a client's document is mostly sent with few. */
const MAX_VARIABLE_SETS = 8;

/**
 * The statements written for an operation, by its variables; or the NotCompiled that sent it to
 * the resolvers. Keyed by the parsed operation, which Apollo's document store hands every request
 * of the same document (and which the store's byte bound evicts), so a repeated document costs
 * its statements' execution, not writing them again (0.3-0.9 ms a request on the drawn shapes).
 * Not kept: statements written with a filter (keys read as ids as of the request), or after a
 * statement ran while writing them.
 */
const WRITTEN = new WeakMap<OperationDefinitionNode, Map<string, RootStatement[] | NotCompiled>>();

/** `rootStatements`, reused for the same operation and variables (see `WRITTEN`). */
async function writtenStatements(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
  ctx: Context,
): Promise<RootStatement[]> {
  const key = JSON.stringify(inputs);
  const written = WRITTEN.get(operation)?.get(key);
  if (written instanceof NotCompiled) throw written;
  if (written) return written;
  const before = ctx.statementCount();
  let outcome: RootStatement[] | NotCompiled;
  try {
    const { statements, filtered } = await rootStatements(schema, document, operation, inputs, ctx);
    if (filtered) return statements;
    outcome = statements;
  } catch (error) {
    if (!(error instanceof NotCompiled)) throw error;
    outcome = error;
  }
  if (ctx.statementCount() === before) {
    const byInputs = WRITTEN.get(operation) ?? new Map<string, RootStatement[] | NotCompiled>();
    if (byInputs.size < MAX_VARIABLE_SETS) byInputs.set(key, outcome);
    WRITTEN.set(operation, byInputs);
  }
  if (outcome instanceof NotCompiled) throw outcome;
  return outcome;
}

/**
 * An error of running a statement that the resolvers' own statements would meet alike: cancelled
 * by the statement timeout or the request's budget, no pooled connection to be had, or the
 * database out of reach. It is the answer: handing the query to the resolvers would only wait the
 * same time again.
 */
function metAlike(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof OverloadedError || error instanceof BudgetExceededError || code === "57014" || isDatabaseUnavailable(error);
}

/**
 * Runs the root statements. A root field whose statement failed as the resolvers' would (`metAlike`)
 * is answered as GraphQL execution answers a field error: null with the error at its path, the
 * whole data null when the field is non-null. Any other failure (a lookup that found nothing
 * included) is thrown, for the resolvers to answer.
 */
async function runStatements(ctx: Context, statements: RootStatement[]): Promise<ExecutionResult> {
  const settled = await Promise.allSettled(
    statements.map(async (statement) => {
      if (!statement.sql) return statement.value;
      const rows = await ctx.sql<{ j: unknown }>(statement.sql, statement.params!.values);
      if (statement.lookup && rows.length === 0) throw new NotCompiled("not found");
      return rows[0].j;
    }),
  );
  const data: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  let nulled = false;
  for (const [index, statement] of statements.entries()) {
    const outcome = settled[index];
    if (outcome.status === "fulfilled") {
      data[statement.key] = outcome.value;
      continue;
    }
    if (!metAlike(outcome.reason)) throw outcome.reason;
    errors.push(locatedError(outcome.reason, statement.nodes ?? [], [statement.key]));
    data[statement.key] = null;
    nulled ||= !statement.nullable;
  }
  return errors.length > 0 ? { data: nulled ? null : data, errors } : { data };
}

/**
 * Answers a query whose every root field the compiler writes as SQL with one statement per root
 * field, each returning the field's JSON built by PostgreSQL (records, nested lookups, nested
 * pages, counts, cursors), handed to the client as it is: no resolver runs and nothing is walked
 * field by field. Anything else (a field or argument it does not write, a filter it refuses, a
 * lookup that finds nothing, so that the resolvers answer NOT_FOUND) runs on `fallback`. Plugins
 * (limits, cost, rate limits, headers, extensions) run around both alike.
 */
export function sqlExecutor(schema: GraphQLSchema, fallback: GatewayExecutor): GatewayExecutor {
  return async (requestContext) => {
    const { document, operation, request } = requestContext;
    const ctx = requestContext.context as unknown as Context;
    let result: ExecutionResult | null = null;
    try {
      const statements = await writtenStatements(schema, document, operation, request.variables ?? {}, ctx);
      result = await runStatements(ctx, statements);
    } catch (error) {
      // Errors are the resolvers' to answer, in their words and codes.
      if (!(error instanceof Error)) throw error;
      if (!(error instanceof NotCompiled) && !(error instanceof GraphQLError)) SQL_EXECUTION_COUNTS.failed += 1;
    }
    if (result) {
      SQL_EXECUTION_COUNTS.compiled += 1;
      return result;
    }
    SQL_EXECUTION_COUNTS.fallback += 1;
    return fallback(requestContext);
  };
}
