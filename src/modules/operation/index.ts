/** The operation module's public surface: entities, enums, filter and connection, lookups, and its resolvers. */
export { Operation, OperationCompany, OperationOrigin, OperationReport, OperationTarget } from "./operation.entity";
export { ActorType, AttributionConfidence, OperationCategory } from "./operation.enums";
export { OperationConnectionArgs, OperationFilter, SAMPLE_SIZE_MAX } from "./operation.inputs";
export { OperationConnection } from "./operation.connection";
export {
  COMPANY_OPERATIONS_ON_PLATFORM,
  COMPANY_OPERATIONS_OPERATED,
  COMPANY_OPERATIONS_USING_TOOL,
  COUNTRY_OPERATIONS_ORIGINATING,
  COUNTRY_OPERATIONS_TARGETING,
  OPERATION_LIST,
  REPORT_OPERATIONS,
  STATEMENT_OPERATIONS,
  operationsByKey,
  operationsConnection,
  requireOperationIds,
} from "./operation.service";
export { disclosureConditions, hasDisclosureConditions, operationConditionsOnly, operationFilterSql, resolveOperationFilter } from "./operation.filter";
export type { ResolvedOperationFilter } from "./operation.filter";
export { OperationResolver } from "./operation.resolver";
export { OperationDisclosuresResolver } from "./operation.disclosures";
