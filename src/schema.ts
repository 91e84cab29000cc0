import "reflect-metadata";
import { buildSchema } from "type-graphql";
import { objectTypeNames } from "./common/type-graphql-internals";
import { ENTITIES } from "./entities";
import { lexicographicSortSchema, printSchema } from "graphql";
import type { GraphQLSchema } from "graphql";
import { callFieldResolversDirectly } from "./common/direct-resolvers";
import { NodeResolver } from "./modules/node";
import { CountryResolver } from "./modules/country";
import { CompanyResolver } from "./modules/company";
import { ReportResolver } from "./modules/report";
import { OperationResolver, OperationDisclosuresResolver } from "./modules/operation";
import { StatementResolver } from "./modules/statement";
import { DatasetResolver } from "./modules/dataset";
import { CurationResolver } from "./modules/curation";
import { RateLimitResolver } from "./modules/meta";
import { SyncResolver } from "./modules/sync";
import {
  ReportStatsQueryResolver,
  StatementStatsQueryResolver,
  BucketResolver,
  CompanyStatsResolver,
  CountryStatsResolver,
  OperationStatsResolver,
  ReportStatsResolver,
} from "./stats";

/** Every resolver of the API, listed explicitly. */
export const RESOLVERS = [
  NodeResolver,
  CountryResolver,
  CompanyResolver,
  ReportResolver,
  OperationResolver,
  OperationDisclosuresResolver,
  StatementResolver,
  DatasetResolver,
  OperationStatsResolver,
  BucketResolver,
  CountryStatsResolver,
  CompanyStatsResolver,
  ReportStatsResolver,
  ReportStatsQueryResolver,
  StatementStatsQueryResolver,
  CurationResolver,
  RateLimitResolver,
  SyncResolver,
] as const;

/**
 * Builds the executable schema from the resolvers. Built once per process. `directResolvers`
 * (the default) replaces type-graphql's per-call resolver wrappers where that is safe
 * (src/common/direct-resolvers.ts); false keeps type-graphql's resolvers as it builds them.
 */
export async function buildAppSchema(options: { directResolvers?: boolean } = {}): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers: [...RESOLVERS], validate: false });
  if (options.directResolvers ?? true) callFieldResolversDirectly(schema);
  schema.getMutationType()!.description = "Curation: create, update and import records. Every mutation needs an API key and leaves an audit entry.";
  schema.getQueryType()!.description =
    "Entry points into the graph of disclosed AI misuse: look records up by key, code or global ID, or page through filtered lists.";
  return schema;
}

/** GraphQL object types whose values are always records mapped from table rows (plain values, never promises). */
export function recordTypeNames(): Set<string> {
  return objectTypeNames(new Set<unknown>(ENTITIES));
}

/** The schema as committed in schema.graphql: SDL, sorted so that diffs stay readable. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
