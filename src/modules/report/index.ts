/** The report module's public surface: entities, filter and connection, lookups, and its resolver. */
export { Report, ReportFigure } from "./report.entity";
export { ReportConnectionArgs, ReportFilter } from "./report.inputs";
export { ReportConnection } from "./report.connection";
export {
  COMPANY_REPORTS_PUBLISHED,
  OPERATION_REPORTS,
  REPORT_LIST,
  STATEMENT_REPORTS,
  reportFilterSql,
  reportsByKey,
  reportsConnection,
  requireReportIds,
  resolveReportFilter,
} from "./report.service";
export type { ResolvedReportFilter } from "./report.service";
export { ReportResolver } from "./report.resolver";
