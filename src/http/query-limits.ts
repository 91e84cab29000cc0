import { GraphQLError, Kind, getNamedType, isInterfaceType, isObjectType } from "graphql";
import type { DocumentNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode, ValueNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { DEFAULT_PAGE_SIZE } from "../common/connection";
import type { Context } from "./context";

/** Limits every query is checked against before it runs. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** The most records a query may ask for, page sizes multiplied down nested lists. */
  maxCost: number;
}

/** Fields that are statistics: each costs a scan of the data, whatever it returns. */
const STATISTIC_FIELDS = new Set(["by", "crossTab", "overTime", "totals", "total", "operationsPerReport", "contentHash"]);
const STATISTIC_COST = 100;

/** A query over a limit: HTTP 400, code QUERY_TOO_COMPLEX, the limit's value in the message. */
export function queryTooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } } });
}

interface Measure {
  depth: number;
  aliases: number;
  directives: number;
  cost: number;
}

function intArgument(value: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!value) return null;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === "number" ? v : null;
  }
  return null;
}

/**
 * Measures an operation the way GitHub's node limit does: a list field with `first`/`last` asks
 * for that many records (20 by default) for every record of its parent list, so nested page sizes
 * multiply. Fragments are expanded (validation has already refused cycles).
 */
function measure(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>, variables: Record<string, unknown>): Measure {
  const result: Measure = { depth: 0, aliases: 0, directives: operation.directives?.length ?? 0, cost: 0 };
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | null | undefined, depth: number, multiplier: number, seen: Set<string>) => {
    result.depth = Math.max(result.depth, depth);
    for (const selection of set.selections) {
      result.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) {
          walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), depth, multiplier, new Set([...seen, fragment.name.value]));
        }
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, depth, multiplier, seen);
        continue;
      }
      if (selection.alias) result.aliases += 1;
      const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      const type = field ? getNamedType(field.type) : undefined;
      const args = new Map(selection.arguments?.map((arg) => [arg.name.value, arg.value]));
      if (STATISTIC_FIELDS.has(selection.name.value)) result.cost += multiplier * STATISTIC_COST;
      let childMultiplier = multiplier;
      if (type?.name.endsWith("Connection")) {
        const size = intArgument(args.get("first"), variables) ?? intArgument(args.get("last"), variables) ?? DEFAULT_PAGE_SIZE;
        childMultiplier = multiplier * Math.max(size, 1);
        result.cost += childMultiplier;
      }
      if (selection.selectionSet) walk(selection.selectionSet, type, depth + 1, childMultiplier, seen);
    }
  };
  walk(operation.selectionSet, root, 1, 1, new Set());
  return result;
}

/**
 * Checks depth, aliases, directives and cost of the operation about to run, before any resolver
 * does. (Tokens are capped by the parser, body size by the HTTP layer, batches are refused.)
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return;
          const fragments = new Map(
            (document as DocumentNode).definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const m = measure(schema, operation, fragments, request.variables ?? {});
          if (m.depth > limits.maxDepth) throw queryTooComplex(`The query is ${m.depth} levels deep; the limit is ${limits.maxDepth}`);
          if (m.aliases > limits.maxAliases) throw queryTooComplex(`The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}`);
          if (m.directives > limits.maxDirectives) throw queryTooComplex(`The query uses ${m.directives} directives; the limit is ${limits.maxDirectives}`);
          contextValue.queryCost = m.cost;
          if (m.cost > limits.maxCost) {
            throw queryTooComplex(`The query could return ${m.cost} records (page sizes multiply down nested lists); the limit is ${limits.maxCost}`);
          }
        },
      };
    },
  };
}
