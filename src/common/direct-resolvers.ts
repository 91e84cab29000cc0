import { isObjectType } from "graphql";
import type { GraphQLField, GraphQLFieldResolver, GraphQLSchema } from "graphql";
import { fieldResolverMetadata, objectTypeOf } from "./type-graphql-internals";
import type { FieldResolverMetadata, ParamMetadata } from "./type-graphql-internals";
type Resolvers = Record<string, (...values: unknown[]) => unknown>;
type Class = abstract new (...args: never[]) => unknown;
/** Reads one parameter's value from what GraphQL hands a resolver. */
type Read = (root: unknown, args: unknown, context: unknown, info: unknown) => unknown;

/** Reads one parameter from what GraphQL hands a resolver; null when the parameter is not a plain read. */
function reader(param: ParamMetadata): Read | null {
  switch (param.kind) {
    case "context":
      return param.propertyName ? (_r, _a, context) => (context as Record<string, unknown>)[param.propertyName!] : (_r, _a, context) => context;
    case "info":
      return (_r, _a, _c, info) => info;
    case "custom":
      if (param.options.arg) return null;
      return (root, args, context, info) => param.resolver({ root, args, context, info } as Parameters<typeof param.resolver>[0]);
    default:
      // Roots are checked by the caller; arguments are converted and validated by type-graphql, which keeps those resolvers.
      return null;
  }
}

/**
 * type-graphql wraps every field resolver in a function that, on each call, looks up the resolver
 * instance, runs the (empty) middleware chain, sorts the parameter list and maps it to values. On a
 * page of 50 operations those wrappers ran some 250 times per request, and their sorting alone
 * allocated a tenth of the request's memory. For field resolvers whose parameters are plain reads
 * (the root record, the context, `info`, parameter decorators such as `@Selected()`), with no
 * middleware and no roles, this installs a resolver that calls the method directly with the
 * parameters worked out once. A root that is not an instance of the declared class (which
 * type-graphql would convert), and every resolver with arguments (which type-graphql converts and
 * validates), keep type-graphql's own resolver.
 */
export function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const instances = new Map<unknown, Resolvers>();
  for (const [field, metadatas] of resolverMetadataByField(schema)) {
    // Fields with more than one resolver behind them are left alone.
    if (metadatas.length !== 1) continue;
    const direct = directResolver(metadatas[0], field.resolve!, instances);
    if (direct) field.resolve = direct;
  }
}

/** Per schema field with a resolver, the type-graphql field resolver metadata declared for it. */
function resolverMetadataByField(schema: GraphQLSchema): Map<GraphQLField<unknown, unknown>, FieldResolverMetadata[]> {
  const byField = new Map<GraphQLField<unknown, unknown>, FieldResolverMetadata[]>();
  for (const metadata of fieldResolverMetadata()) {
    if (metadata.kind !== "external" || !metadata.getObjectType) continue;
    const target = metadata.getObjectType();
    const type = schema.getType(objectTypeOf(target)?.name ?? "");
    const field = type && isObjectType(type) ? type.getFields()[metadata.schemaName] : undefined;
    if (field?.resolve) byField.set(field, [...(byField.get(field) ?? []), metadata]);
  }
  return byField;
}

/**
 * How to call one resolver method directly: a reader per parameter in order, where the root goes
 * and the class it must be an instance of. Null when a parameter is not a plain read, or the
 * parameter list has gaps, so that type-graphql keeps the field.
 */
function plainParameters(metadata: FieldResolverMetadata): { reads: Read[]; rootIndex: number; rootClass: Class | undefined } | null {
  const params = [...(metadata.params ?? [])].sort((a, b) => a.index - b.index);
  const rootParam = params.find((param) => param.kind === "root");
  const readers = params.map((param) => (param.kind === "root" && !param.propertyName ? () => undefined : reader(param)));
  if (readers.some((read) => read === null) || params.some((param, index) => param.index !== index)) return null;
  return {
    reads: readers as Read[],
    rootIndex: rootParam ? params.indexOf(rootParam) : -1,
    rootClass: rootParam?.kind === "root" ? (rootParam.getType?.() as Class | undefined) : undefined,
  };
}

/**
 * The resolver that calls one field's method on its class's one instance (made here on first use)
 * with its parameters read directly, handing a root of another class to type-graphql's `fallback`.
 * Null for resolvers with middleware, roles or parameters that are not plain reads.
 */
function directResolver(
  metadata: FieldResolverMetadata,
  fallback: GraphQLFieldResolver<unknown, unknown>,
  instances: Map<unknown, Resolvers>,
): GraphQLFieldResolver<unknown, unknown> | null {
  if ((metadata.middlewares?.length ?? 0) > 0 || metadata.roles !== undefined) return null;
  const plain = plainParameters(metadata);
  if (!plain) return null;
  const { reads, rootIndex, rootClass } = plain;
  let instance = instances.get(metadata.target);
  if (!instance) instances.set(metadata.target, (instance = new (metadata.target as new () => Resolvers)()));
  const method = instance[metadata.methodName];
  const resolvers = instance;
  return (root, args, context, info) => {
    if (rootClass && !(root instanceof rootClass)) return fallback(root, args, context, info);
    const values = new Array<unknown>(reads.length);
    for (let index = 0; index < reads.length; index += 1) values[index] = index === rootIndex ? root : reads[index](root, args, context, info);
    return method.apply(resolvers, values);
  };
}
