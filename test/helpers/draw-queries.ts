import { getNamedType, isAbstractType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType } from "graphql";
import { seededRandom } from "../../bench/drawn-shapes";
import type { GraphQLArgument, GraphQLField, GraphQLInputType, GraphQLNamedType, GraphQLObjectType, GraphQLSchema } from "graphql";

/**
 * Queries drawn from the schema rather than chosen by hand: for a root field, a random selection
 * of its type's fields, nested up to `maxDepth` object levels (connections' nodes, edges, pageInfo
 * and totalCount included), with random page sizes, orderings and enum filters. The same seed draws
 * the same queries, so a difference found once can be replayed.
 */

export interface DrawOptions {
  seed: number;
  /** Object levels below the root field (default 3). */
  maxDepth?: number;
  /** Values for required scalar arguments, by `Type.field.argument` (e.g. `Query.operation.key`). */
  values: Record<string, string>;
}

class Drawer {
  private readonly random: () => number;
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: DrawOptions,
  ) {
    this.random = seededRandom(options.seed);
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** An enum value; RELEVANCE (an ordering that needs a search text, which the drawing does not give) is left out. */
  private enumValue(type: GraphQLNamedType): string {
    if (!isEnumType(type)) throw new Error(`${type.name} is not an enum`);
    return this.pick(type.getValues().filter((value) => value.name !== "RELEVANCE")).name;
  }

  /** An argument's value as GraphQL text; undefined to leave it out; null when a required one cannot be drawn (the field is then left out). */
  private argument(owner: string, argument: GraphQLArgument): string | null | undefined {
    const required = isNonNullType(argument.type) && argument.defaultValue === undefined;
    const given = this.options.values[`${owner}.${argument.name}`];
    if (given !== undefined) return JSON.stringify(given);
    const named = getNamedType(argument.type);
    if (argument.name === "first" && named.name === "Int") return String(1 + Math.floor(this.random() * 20));
    if (isEnumType(named) && (required || this.chance(0.4))) {
      const value = this.enumValue(named);
      return isListType(isNonNullType(argument.type) ? argument.type.ofType : argument.type) ? `[${value}]` : value;
    }
    if (isInputObjectType(named) && (required || this.chance(0.4))) return this.inputObject(named, argument.type) ?? (required ? null : undefined);
    return required ? null : undefined;
  }

  /** An input object with one or two of its enum (or enum list) fields set, and its required fields when they can be drawn. */
  private inputObject(type: GraphQLNamedType, declared: GraphQLInputType): string | null {
    if (!isInputObjectType(type)) return null;
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      const named = getNamedType(field.type);
      if (!isEnumType(named) || !(required || this.chance(0.3))) {
        if (required) return null;
        continue;
      }
      const value = this.enumValue(named);
      const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
      parts.push(`${field.name}: ${list ? `[${value}]` : value}`);
    }
    if (parts.length === 0) return null;
    const object = `{ ${parts.join(", ")} }`;
    return isListType(isNonNullType(declared) ? declared.ofType : declared) ? `[${object}]` : object;
  }

  /** `name(args)` for a field, or null when a required argument cannot be drawn. */
  private call(owner: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string | null {
    const args: string[] = [];
    for (const argument of field.args) {
      const value = this.argument(`${owner.name}.${field.name}`, argument);
      if (value === null) return null;
      if (value !== undefined) args.push(`${argument.name}: ${value}`);
    }
    return args.length ? `${field.name}(${args.join(", ")})` : field.name;
  }

  /** A selection on an interface or union: its type name and, for each possible type, a fragment drawn on it. */
  private abstractSelection(type: GraphQLNamedType, depth: number): string {
    if (!isAbstractType(type)) throw new Error(`${type.name} is not abstract`);
    const fragments = this.schema.getPossibleTypes(type).map((possible) => `... on ${possible.name} { ${this.selection(possible, depth)} }`);
    return `__typename ${fragments.join(" ")}`;
  }

  selection(type: GraphQLObjectType, depth: number): string {
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        if (!this.chance(0.6)) continue;
        const call = this.call(type, field);
        if (call) parts.push(call);
      } else if (isObjectType(named) && depth < (this.options.maxDepth ?? 3)) {
        // A connection's `nodes`, `edges` and `pageInfo` are drawn as any other object field.
        if (!this.chance(depth === 0 ? 0.6 : 0.35)) continue;
        const call = this.call(type, field);
        if (call) parts.push(`${call} { ${this.selection(named, depth + 1)} }`);
      } else if (isAbstractType(named) && depth < (this.options.maxDepth ?? 3) && this.chance(0.35)) {
        const call = this.call(type, field);
        if (call) parts.push(`${call} { ${this.abstractSelection(named, depth + 1)} }`);
      }
    }
    return parts.length ? parts.join(" ") : "__typename";
  }

  root(field: GraphQLField<unknown, unknown>): string | null {
    const query = this.schema.getQueryType()!;
    const call = this.call(query, field);
    if (!call) return null;
    const named = getNamedType(field.type);
    if (isObjectType(named)) return `{ ${call} { ${this.selection(named, 0)} } }`;
    return isAbstractType(named) ? `{ ${call} { ${this.abstractSelection(named, 0)} } }` : `{ ${call} }`;
  }
}

/** `perField` queries for every root field of the schema whose required arguments can be drawn. */
export function drawQueries(schema: GraphQLSchema, options: DrawOptions & { perField: number }): { name: string; query: string }[] {
  const drawn: { name: string; query: string }[] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    for (let n = 0; n < options.perField; n += 1) {
      const seed = options.seed * 1000 + drawn.length;
      const query = new Drawer(schema, { ...options, seed }).root(field);
      if (query) drawn.push({ name: `${field.name} #${n + 1} (seed ${seed})`, query });
    }
  }
  return drawn;
}
