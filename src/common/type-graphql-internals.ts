import { getMetadataStorage } from "type-graphql";

/*
 * What the service reads from type-graphql's metadata storage, whose shape type-graphql does not
 * document, in one place. Checked against type-graphql 2.0.0-rc.4;
 * test/unit/library-internals.test.ts fails when a release moves it.
 */

type Metadata = ReturnType<typeof getMetadataStorage>;
/** One `@FieldResolver` method as type-graphql recorded it: its class, method, parameters, middlewares and roles. */
export type FieldResolverMetadata = Metadata["fieldResolvers"][number];
/** One parameter of a resolver method (`@Root`, `@Ctx`, `@Info`, `@Arg`, a parameter decorator). */
export type ParamMetadata = NonNullable<FieldResolverMetadata["params"]>[number];

/** The GraphQL object type a class is declared as: its name and each property's field name in the schema. */
export function objectTypeOf(target: unknown): { name: string; fields?: { name: string; schemaName: string }[] } | undefined {
  return getMetadataStorage().objectTypes.find((type) => type.target === target);
}

/** The names of the GraphQL object types declared by these classes. */
export function objectTypeNames(targets: ReadonlySet<unknown>): Set<string> {
  return new Set(
    getMetadataStorage()
      .objectTypes.filter((type) => targets.has(type.target))
      .map((type) => type.name),
  );
}

/** Every `@FieldResolver` method type-graphql has recorded, across all resolver classes. */
export function fieldResolverMetadata(): readonly FieldResolverMetadata[] {
  return getMetadataStorage().fieldResolvers;
}
