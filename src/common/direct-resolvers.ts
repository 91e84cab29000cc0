import { isObjectType } from "graphql";
import type { GraphQLField, GraphQLFieldResolver, GraphQLSchema } from "graphql";
import { fieldResolverMetadata, objectTypeOf } from "./type-graphql-internals";
import type { FieldResolverMetadata, ParamMetadata } from "./type-graphql-internals";
type Resolvers = Record<string, (...values: unknown[]) => unknown>;
type Class = abstract new (...args: never[]) => unknown;

/** Reads one parameter from what GraphQL hands a resolver; null when the parameter is not a plain read. */
function reader(param: ParamMetadata): ((root: unknown, args: unknown, context: unknown, info: unknown) => unknown) | null {
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
  // Per schema field, the resolver metadata behind it: fields with more than one are left alone.
  const byField = new Map<GraphQLField<unknown, unknown>, FieldResolverMetadata[]>();
  for (const metadata of fieldResolverMetadata()) {
    if (metadata.kind !== "external" || !metadata.getObjectType) continue;
    const target = metadata.getObjectType();
    const type = schema.getType(objectTypeOf(target)?.name ?? "");
    const field = type && isObjectType(type) ? type.getFields()[metadata.schemaName] : undefined;
    if (field?.resolve) byField.set(field, [...(byField.get(field) ?? []), metadata]);
  }
  const instances = new Map<unknown, Resolvers>();
  for (const [field, metadatas] of byField) {
    if (metadatas.length !== 1) continue;
    const [metadata] = metadatas;
    if ((metadata.middlewares?.length ?? 0) > 0 || metadata.roles !== undefined) continue;
    const params = [...(metadata.params ?? [])].sort((a, b) => a.index - b.index);
    const rootParam = params.find((param) => param.kind === "root");
    const readers = params.map((param) => (param.kind === "root" && !param.propertyName ? () => undefined : reader(param)));
    if (readers.some((read) => read === null) || params.some((param, index) => param.index !== index)) continue;
    const rootIndex = rootParam ? params.indexOf(rootParam) : -1;
    const rootClass = rootParam?.kind === "root" ? (rootParam.getType?.() as Class | undefined) : undefined;
    let instance = instances.get(metadata.target);
    if (!instance) instances.set(metadata.target, (instance = new (metadata.target as new () => Resolvers)()));
    const method = instance[metadata.methodName];
    const fallback = field.resolve!;
    const resolvers = instance;
    const reads = readers as ((root: unknown, args: unknown, context: unknown, info: unknown) => unknown)[];
    const direct: GraphQLFieldResolver<unknown, unknown> = (root, args, context, info) => {
      if (rootClass && !(root instanceof rootClass)) return fallback(root, args, context, info);
      const values = new Array<unknown>(reads.length);
      for (let index = 0; index < reads.length; index += 1) values[index] = index === rootIndex ? root : reads[index](root, args, context, info);
      return method.apply(resolvers, values);
    };
    field.resolve = direct;
  }
}
