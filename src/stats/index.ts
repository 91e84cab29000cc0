/** Statistics' public surface: the operation statistics the exports reuse, their enums, and the resolvers. */
export { DateAxis, OperationDimension, TimeInterval } from "./stats.enums";
export { Bucket } from "./stats.types";
export { operationCrossTab, operationDistribution, operationTimeSeries, operationTotals } from "./operation-stats.service";
export { BucketResolver, CompanyStatsResolver, CountryStatsResolver, OperationStatsResolver, ReportStatsResolver } from "./operation-stats.resolver";
export { ReportStatsQueryResolver, StatementStatsQueryResolver } from "./record-stats.resolver";
