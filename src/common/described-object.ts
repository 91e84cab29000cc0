import type { GraphQLScalarType } from "graphql";
import { Field, Int, ObjectType } from "type-graphql";
import type { ClassType, FieldOptions } from "type-graphql";

/** A GraphQL type as `@Field(() => type)` takes it: a scalar, an enum object, an object type's class, or a list of one. */
type GraphQLTypeOf = GraphQLScalarType | StringConstructor | BooleanConstructor | ClassType | object | readonly GraphQLTypeOf[];

/** The TypeScript value of a GraphQL type: a scalar's internal value (JSON as `unknown`), an enum's values, a class's instances. */
type ValueOf<G> = G extends readonly (infer E)[]
  ? ValueOf<E>[]
  : G extends GraphQLScalarType<infer T, unknown>
    ? 0 extends 1 & T
      ? unknown
      : T
    : G extends StringConstructor
      ? string
      : G extends BooleanConstructor
        ? boolean
        : G extends abstract new (...args: never[]) => infer I
          ? I
          : G[keyof G];

/** One field of an object type: its GraphQL type and options, and (as a type only) the value it holds. */
export interface DescribedField<T> {
  readonly type: () => GraphQLTypeOf;
  readonly options: FieldOptions;
  readonly value?: T;
}

/** A field of the GraphQL type `type()`, never null, with its description. */
export function field<G extends GraphQLTypeOf>(type: () => G, description: string): DescribedField<ValueOf<G>> {
  return { type, options: { description } };
}

/** A field of the GraphQL type `type()` that may be null, with its description. */
export function nullableField<G extends GraphQLTypeOf>(type: () => G, description: string): DescribedField<ValueOf<G> | null> {
  return { type, options: { nullable: true, description } };
}

/** Fields that each hold a count (an `Int`), from a table of their descriptions, in the order given. */
export function counts<K extends string>(descriptions: Record<K, string>): Record<K, DescribedField<number>> {
  return Object.fromEntries(Object.entries<string>(descriptions).map(([name, description]) => [name, field(() => Int, description)])) as Record<
    K,
    DescribedField<number>
  >;
}

/** The values an object type's fields hold, as the class `describedObject` returns has them. */
export type FieldValues<F> = { -readonly [K in keyof F]: F[K] extends DescribedField<infer T> ? T : never };

/**
 * The fields of a GraphQL object type from one table, in the order given, as a class for the type to
 * extend: `@ObjectType({ description }) class Bucket extends ObjectFields({ count: field(() => Int,
 * "...") }) {}`. A result shape (counts, buckets, previews) says each field once, its name, GraphQL
 * type and description together, and its TypeScript type follows from the GraphQL one. The class
 * returned is an object type of its own that only the type extending it reaches, so the schema shows
 * the extending type alone, with these fields first.
 */
export function ObjectFields<F extends Record<string, DescribedField<unknown>>>(fields: F): ClassType<FieldValues<F>> {
  @ObjectType()
  class Fields {}
  for (const [key, { type, options }] of Object.entries(fields)) Field(type, options)(Fields.prototype, key);
  return Fields as ClassType<FieldValues<F>>;
}
