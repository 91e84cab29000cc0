/** The report module's public surface: entities, filter and connection, lookups, and its resolver. */
export { Report, ReportFigure } from "./report.entity";
export { ReportConnectionArgs, ReportFilter } from "./report.inputs";
export { ReportConnection } from "./report.connection";
export { REPORT_LIST, reportFilterSql, reportsByKey, reportsConnection, reportsPageEmbed, requireReportIds, resolveReportFilter } from "./report.service";
export type { ResolvedReportFilter } from "./report.service";
export { ReportResolver } from "./report.resolver";
