import { GraphQLError, Kind, getNamedType, isInterfaceType, isObjectType } from "graphql";
import type { DocumentNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { LRUCache } from "lru-cache";
import type { Context } from "../context";
import { MAX_EXPANDED_SELECTIONS, STATISTIC_COST, queryCost } from "./query-cost";

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

/** An operation's shape, with its fragments spread: what the limits are checked against. */
export interface Measure {
  /** Nesting depth of selection sets. */
  depth: number;
  aliases: number;
  directives: number;
  /** Selections (fields, spreads, inline fragments) once every spread is replaced by its fragment, each spread counting its fragment again. */
  selections: number;
  /** Selections of the document this measure read: each once, however often its fragment is spread (linear in the document's size). */
  visits: number;
}

/** What one fragment contributes wherever it is spread; `depth` counts levels below the spread. */
type FragmentMeasure = Omit<Measure, "visits">;

/** The fragments a selection set spreads, at any depth within it (not through other fragments). */
function spreadsIn(set: SelectionSetNode): string[] {
  const names: string[] = [];
  const stack: SelectionSetNode[] = [set];
  for (let current = stack.pop(); current; current = stack.pop()) {
    for (const selection of current.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) names.push(selection.name.value);
      else if (selection.selectionSet) stack.push(selection.selectionSet);
    }
  }
  return names;
}

/**
 * Fragment names in an order where every fragment comes after the fragments it spreads (an
 * iterative depth-first walk: no recursion however long the chain). A fragment met again while
 * its own spreads are being ordered is a cycle, which validation refuses before this runs; it is
 * left out here.
 */
function fragmentOrder(fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const order: string[] = [];
  const state = new Map<string, "open" | "done">();
  for (const start of fragments.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; next: string[] }[] = [{ name: start, next: spreadsIn(fragments.get(start)!.selectionSet) }];
    state.set(start, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const name = top.next.pop();
      if (name === undefined) {
        stack.pop();
        state.set(top.name, "done");
        order.push(top.name);
      } else if (!state.has(name) && fragments.has(name)) {
        state.set(name, "open");
        stack.push({ name, next: spreadsIn(fragments.get(name)!.selectionSet) });
      }
    }
  }
  return order;
}

/**
 * Measures one selection set, reading each of its selections once (an explicit stack, no
 * recursion): a spread adds the measure of its fragment, already worked out (`measured`), instead
 * of walking the fragment again. Fragments spread twice count twice, as execution would expand them.
 */
function measureSet(
  schema: GraphQLSchema,
  root: SelectionSetNode,
  rootType: GraphQLNamedType | null | undefined,
  measured: ReadonlyMap<string, FragmentMeasure>,
  counter: { visits: number },
): FragmentMeasure {
  const result: FragmentMeasure = { depth: 0, aliases: 0, directives: 0, selections: 0 };
  const stack: { set: SelectionSetNode; type: GraphQLNamedType | null | undefined; depth: number }[] = [{ set: root, type: rootType, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { set, type: parent, depth } = item;
    result.depth = Math.max(result.depth, depth);
    for (const selection of set.selections) {
      counter.visits += 1;
      result.selections += 1;
      result.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = measured.get(selection.name.value);
        if (!fragment) continue;
        result.depth = Math.max(result.depth, depth + fragment.depth);
        result.aliases += fragment.aliases;
        result.directives += fragment.directives;
        result.selections += fragment.selections;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        stack.push({ set: selection.selectionSet, type, depth });
        continue;
      }
      if (selection.alias) result.aliases += 1;
      const field = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      if (selection.selectionSet) stack.push({ set: selection.selectionSet, type: field ? getNamedType(field.type) : undefined, depth: depth + 1 });
    }
  }
  return result;
}

/**
 * Measures an operation's shape as execution would expand it: nesting depth, aliases, directives
 * and selections, with fragments spread. The work is linear in the document's size: each fragment
 * is measured once (the fragments it spreads first) and a spread adds that measure, so a chain of
 * fragments that each spread the next twice is read once, not 2^N times.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const counter = { visits: 0 };
  const measured = new Map<string, FragmentMeasure>();
  for (const name of fragmentOrder(fragments)) {
    const fragment = fragments.get(name)!;
    measured.set(name, measureSet(schema, fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), measured, counter));
  }
  const root = operation.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  const result = measureSet(schema, operation.selectionSet, root, measured, counter);
  // The operation's own selection set is level 1.
  return { ...result, depth: result.depth + 1, directives: result.directives + (operation.directives?.length ?? 0), visits: counter.visits };
}

/**
 * Checked operations (document hash, operation name and variables) are remembered up to this many
 * bytes of their keys plus a fixed allowance per entry: variables may be large, so a count of
 * entries would not bound the memory.
 */
const CHECKED_CACHE_BYTES = 4 * 1024 * 1024;
/** Bytes an entry costs beyond its key (the map's node, the number). */
const CHECKED_ENTRY_OVERHEAD = 100;

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

/** The operation's shape against the limits: the first limit it is over, or null. */
export function shapeRefusal(m: Measure, limits: QueryLimits): GraphQLError | null {
  if (m.depth > limits.maxDepth) return queryTooComplex(`The query is ${m.depth} levels deep; the limit is ${limits.maxDepth}`);
  if (m.aliases > limits.maxAliases) return queryTooComplex(`The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}`);
  if (m.directives > limits.maxDirectives) return queryTooComplex(`The query uses ${m.directives} directives; the limit is ${limits.maxDirectives}`);
  if (m.selections > MAX_EXPANDED_SELECTIONS) {
    return queryTooComplex(
      `The query expands to ${m.selections} selections once its fragments are spread (a fragment counts again at every spread); the limit is ${MAX_EXPANDED_SELECTIONS}`,
    );
  }
  return null;
}

/**
 * Checks depth, aliases, directives, expanded size and cost of the operation about to run, before
 * any resolver does. The shape is measured in one pass linear in the document's size
 * (`measureOperation`); the cost is priced on the coerced variables (defaults included) and real
 * list lengths (query-cost.ts), only for operations whose expansion is within bounds. (Tokens are
 * capped by the parser, body size by the HTTP layer, batches are refused.) A refusal counts
 * against the address's failure budget (graphql-handler.ts), so repeating it gets the sender
 * throttled.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<Context> {
  /** Costs of operations that passed every check, by document hash and variables (least recently used evicted first). */
  const checked = new LRUCache<string, number>({ maxSize: CHECKED_CACHE_BYTES, sizeCalculation: (_, key) => key.length * 2 + CHECKED_ENTRY_OVERHEAD });
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
          const refusal = shapeRefusal(measureOperation(schema, document as DocumentNode, operation), limits);
          if (refusal) throw refusal;
          const cost = priced(schema, document as DocumentNode, request.variables ?? {}, request.operationName ?? operation.name?.value);
          if (cost > limits.maxCost) {
            throw queryTooComplex(
              `The query could touch ${cost} records (page sizes, ids and limits multiply down nested lists; each statistic costs ${STATISTIC_COST} per parent); the limit is ${limits.maxCost}`,
            );
          }
          contextValue.queryCost = cost;
          checked.set(key, cost);
        },
      };
    },
  };
}
