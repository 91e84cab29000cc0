import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  execute,
  getNamedType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  printSchema,
  typeFromAST,
} from "graphql";
import type { DocumentNode, ExecutionResult, GraphQLInputObjectType, GraphQLSchema, OperationDefinitionNode, SourceLocation } from "graphql";
import { compileQuery, isCompiledQuery } from "graphql-jit";
import type { CompiledQuery } from "graphql-jit";
import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { LRUCache } from "lru-cache";
import { measureOperation } from "./query-limits";
import { sqlExecutor } from "./sql-execution";

/**
 * Bytes of compiled documents kept (least recently used evicted first), so that a client's
 * repeated queries stay compiled while distinct documents, however many arrive, cannot hold more
 * than this. A compiled document's size is estimated from the selections it expands to (fragments
 * spread): graphql-jit generates code per selection, and a compiled page of operations held about
 * 5.5 KB of heap (source, bytecode, closures) per selection (bench/README.md), rounded up here.
 */
export const COMPILED_CACHE_BYTES = 48 * 1024 * 1024;
export const COMPILED_BYTES_PER_SELECTION = 6 * 1024;

/** What graphql-jit reports an error as: its own error type (an instance of GraphQLError, but built without `extensions` when the cause has none), with the resolver's error as `originalError`. */
interface JitError {
  message: string;
  locations?: readonly SourceLocation[];
  path?: readonly (string | number)[];
  originalError?: Error;
  extensions?: Record<string, unknown>;
}

/**
 * The error as graphql-js would have reported it: a GraphQLError (extensions always an object, as
 * Apollo's error formatting expects) carrying the resolver's own error, its code and HTTP status.
 */
function asGraphQLError(error: JitError): GraphQLError {
  if (error.constructor === GraphQLError) return error as GraphQLError;
  const result = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions });
  if (error.locations?.length) (result as { locations?: readonly SourceLocation[] }).locations = error.locations;
  return result;
}

/**
 * Whether an input type holds, at any depth, a non-null field with a default (`direction:
 * OrderDirection! = ASC`): graphql-jit refuses a variable that leaves such a field out, where
 * graphql-js fills in the default, so operations with such variables run on graphql-js.
 */
function hasRequiredFieldWithDefault(type: GraphQLInputObjectType, seen = new Set<string>()): boolean {
  if (seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some((field) => {
    if (isNonNullType(field.type) && field.defaultValue !== undefined) return true;
    const named = getNamedType(field.type);
    return isInputObjectType(named) && hasRequiredFieldWithDefault(named, seen);
  });
}

/** Whether graphql-jit runs this operation as graphql-js would (see `hasRequiredFieldWithDefault`; introspection is left to graphql-js). */
function jitCanRun(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  if (operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === "__schema" || s.name.value === "__type"))) return false;
  return (operation.variableDefinitions ?? []).every((definition) => {
    const named = getNamedType(typeFromAST(schema, definition.type as Parameters<typeof typeFromAST>[1]));
    return !(named && isInputObjectType(named) && hasRequiredFieldWithDefault(named));
  });
}

/**
 * Executes validated operations with graphql-jit: each document (by Apollo's query hash and
 * operation name) is compiled once into a function that resolves and serialises exactly the fields
 * it selects, instead of graphql-js interpreting the document field by field on every request.
 * Resolvers, their arguments, `info` and errors are the same. Introspection, operations whose
 * variables jit would coerce differently, and a document that does not compile (never expected
 * after validation) run on graphql-js.
 */
export function compiledExecutor(schema: GraphQLSchema): GatewayExecutor {
  /** Per document and operation name: its compiled form (null to run it on graphql-js) and its estimated size in bytes. */
  const compiled = new LRUCache<string, { query: CompiledQuery | null; size: number }>({
    maxSize: COMPILED_CACHE_BYTES,
    sizeCalculation: (entry) => entry.size,
  });
  const compile = (document: DocumentNode, operation: OperationDefinitionNode, operationName: string | undefined) => {
    if (!jitCanRun(schema, operation)) return null;
    const result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    return isCompiledQuery(result) ? result : null;
  };
  return async ({ document, operation, operationName, queryHash, request, context }) => {
    const name = operationName ?? undefined;
    const key = `${queryHash}|${name ?? ""}`;
    let entry = compiled.get(key);
    if (entry === undefined) {
      const query = compile(document, operation, name);
      const selections = query ? measureOperation(schema, document, operation).selections : 0;
      // Key, entry and (when compiled) the function's estimated heap. An entry over the whole
      // budget is not kept (compiled again when it comes back).
      entry = { query, size: key.length * 2 + 100 + selections * COMPILED_BYTES_PER_SELECTION };
      compiled.set(key, entry);
    }
    const query = entry.query;
    if (!query) return execute({ schema, document, operationName: name, contextValue: context, variableValues: request.variables });
    const result = (await query.query(undefined, context, request.variables ?? {})) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map((error) => asGraphQLError(error as JitError)) } : result;
  };
}

/**
 * graphql-jit reads a field without a resolver as a plain property and serialises it at once; a
 * property holding a promise (a connection's `totalCount`, `pageInfo.hasNextPage`, computed only
 * when selected) would be serialised unresolved. Every such field gets graphql-js's default
 * resolver, whose result jit awaits, except on `recordTypes`: types whose values are records mapped
 * from rows (plain values only), the bulk of every answer, which keep jit's direct reads.
 */
function awaitLazyFields(schema: GraphQLSchema, recordTypes: ReadonlySet<string>): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__") || recordTypes.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) field.resolve ??= defaultFieldResolver;
  }
}

/**
 * Apollo Server's way to take over execution is its gateway interface: this "gateway" serves our
 * own schema, unchanged, with `compiledExecutor`. Parsing, validation, plugins, error formatting and
 * the HTTP answer stay Apollo's. With `sqlSelections`, queries the compiler of selections writes as
 * SQL are answered from PostgreSQL's JSON first (`sqlExecutor`), the rest as before.
 */
export function compiledExecutionGateway(schema: GraphQLSchema, recordTypes: ReadonlySet<string>, sqlSelections = false): GatewayInterface {
  awaitLazyFields(schema, recordTypes);
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async load() {
      const executor = compiledExecutor(schema);
      return { executor: sqlSelections ? sqlExecutor(schema, executor) : executor };
    },
    async stop() {},
  };
}
