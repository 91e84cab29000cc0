import { GraphQLError, Kind, getNamedType, isInterfaceType, isObjectType } from "graphql";
import type { DocumentNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "../context";
import { STATISTIC_COST, queryCost } from "./query-cost";

/** Limits every query is checked against before it runs. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** The highest cost a query may have (records it may touch; see query-cost.ts). */
  maxCost: number;
}

/** A query over a limit: HTTP 400, code QUERY_TOO_COMPLEX, the limit's value in the message. */
export function queryTooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } } });
}

interface Measure {
  depth: number;
  aliases: number;
  directives: number;
}

/** Measures an operation's shape: nesting depth, aliases and directives. Fragments are expanded (validation has already refused cycles). */
function measure(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): Measure {
  const result: Measure = { depth: 0, aliases: 0, directives: operation.directives?.length ?? 0 };
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | null | undefined, depth: number, seen: Set<string>) => {
    result.depth = Math.max(result.depth, depth);
    for (const selection of set.selections) {
      result.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), depth, new Set([...seen, fragment.name.value]));
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, depth, seen);
        continue;
      }
      if (selection.alias) result.aliases += 1;
      const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      const type = field ? getNamedType(field.type) : undefined;
      if (selection.selectionSet) walk(selection.selectionSet, type, depth + 1, seen);
    }
  };
  walk(operation.selectionSet, root, 1, new Set());
  return result;
}

/** How many checked operations (document and variables) are remembered. */
const CHECKED_CACHE_SIZE = 2000;

/** Prices the operation, turning the pricing library's refusals into client errors. */
function priced(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): number {
  try {
    return queryCost(schema, document, variables, operationName);
  } catch (error) {
    const message = (error as Error).message;
    if (/maximum allowed number of nodes/i.test(message)) throw queryTooComplex(`The query has too many fields to price: ${message}`);
    // Variables that do not coerce: execution would refuse them before any resolver runs.
    throw new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
  }
}

/**
 * Checks depth, aliases, directives and cost of the operation about to run, before any resolver
 * does. The cost is priced on the coerced variables (defaults included) and real list lengths
 * (query-cost.ts). (Tokens are capped by the parser, body size by the HTTP layer, batches are refused.)
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<Context> {
  /** Costs of operations that passed every check, by document hash and variables (oldest evicted first). */
  const checked = new Map<string, number>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue, queryHash }) {
          if (!operation) return;
          // The same document with the same variables is checked once: clients repeat their queries.
          const key = `${queryHash}|${request.operationName ?? ""}|${JSON.stringify(request.variables ?? {})}`;
          const known = checked.get(key);
          if (known !== undefined) {
            contextValue.queryCost = known;
            return;
          }
          const fragments = new Map(
            (document as DocumentNode).definitions
              .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d]),
          );
          const m = measure(schema, operation, fragments);
          if (m.depth > limits.maxDepth) throw queryTooComplex(`The query is ${m.depth} levels deep; the limit is ${limits.maxDepth}`);
          if (m.aliases > limits.maxAliases) throw queryTooComplex(`The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}`);
          if (m.directives > limits.maxDirectives) throw queryTooComplex(`The query uses ${m.directives} directives; the limit is ${limits.maxDirectives}`);
          const cost = priced(schema, document as DocumentNode, request.variables ?? {}, request.operationName ?? operation.name?.value);
          if (cost > limits.maxCost) {
            throw queryTooComplex(
              `The query could touch ${cost} records (page sizes, ids and limits multiply down nested lists; each statistic costs ${STATISTIC_COST} per parent); the limit is ${limits.maxCost}`,
            );
          }
          contextValue.queryCost = cost;
          if (checked.size >= CHECKED_CACHE_SIZE) checked.delete(checked.keys().next().value!);
          checked.set(key, cost);
        },
      };
    },
  };
}
