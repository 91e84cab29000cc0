import "reflect-metadata";
import { buildSchema } from "type-graphql";
import { lexicographicSortSchema, printSchema } from "graphql";
import type { GraphQLSchema } from "graphql";
import { NodeResolver } from "./modules/node/node.resolver";
import { CountryResolver } from "./modules/country/country.resolver";
import { CompanyResolver } from "./modules/company/company.resolver";
import { ReportResolver } from "./modules/report/report.resolver";
import { OperationResolver } from "./modules/operation/operation.resolver";
import { OperationDisclosuresResolver } from "./modules/operation/operation.disclosures";
import { StatementResolver } from "./modules/statement/statement.resolver";
import { DatasetResolver } from "./modules/dataset/dataset.resolver";
import { CurationResolver } from "./modules/curation/curation.resolver";
import { RateLimitResolver } from "./modules/meta/rate-limit.resolver";
import { SyncResolver } from "./modules/sync/sync.resolver";
import { ReportStatsQueryResolver, StatementStatsQueryResolver } from "./stats/record-stats.resolver";
import { BucketResolver, CompanyStatsResolver, CountryStatsResolver, OperationStatsResolver, ReportStatsResolver } from "./stats/operation-stats.resolver";

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

/** Builds the executable schema from the resolvers. Built once per process. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({ resolvers: [...RESOLVERS], validate: false });
  schema.getMutationType()!.description = "Curation: create, update and import records. Every mutation needs an API key and leaves an audit entry.";
  schema.getQueryType()!.description =
    "Entry points into the graph of disclosed AI misuse: look records up by key, code or global ID, or page through filtered lists.";
  return schema;
}

/** The schema as committed in schema.graphql: SDL, sorted so that diffs stay readable. */
export function schemaSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
