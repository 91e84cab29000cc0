import type { Context } from "../http/context";
import { SqlParams } from "../db/sql";
import { reportFilterSql } from "../modules/report/report.service";
import type { ResolvedReportFilter } from "../modules/report/report.service";
import { statementFilterSql } from "../modules/statement/statement.service";
import type { ResolvedStatementFilter } from "../modules/statement/statement.service";
import { distribution, humanize, timeSeries } from "./engine";
import type { Dimension, StatsBase } from "./engine";
import { checkLimit } from "./operation-stats.service";
import { ReportDimension, StatementDimension, TimeInterval } from "./stats.enums";
import type { Distribution, ReportOperationCount, ReportTotals, TimeSeries } from "./stats.types";

function base(table: "report" | "statement", where: string[], params: SqlParams): StatsBase {
  return { params, ctes: [`f AS MATERIALIZED (SELECT e.* FROM ${table} e ${where.length ? `WHERE ${where.join(" AND ")}` : ""})`] };
}

const reportBase = (filter: ResolvedReportFilter) => {
  const params = new SqlParams();
  return base("report", reportFilterSql(filter, params), params);
};

const statementBase = (filter: ResolvedStatementFilter) => {
  const params = new SqlParams();
  return base("statement", statementFilterSql(filter, params), params);
};

const REPORT_DIMENSIONS: Record<ReportDimension, Dimension> = {
  PUBLISHER: { pairs: `SELECT f.id, c.key AS k FROM f JOIN company c ON c.id = f.publisher_id`, labels: `SELECT key AS k, name AS label FROM company`, nodeType: "Company" },
  YEAR: { pairs: `SELECT f.id, to_char(f.published_on, 'YYYY') AS k FROM f` },
  QUARTER: { pairs: `SELECT f.id, to_char(f.published_on, 'YYYY-"Q"Q') AS k FROM f` },
};

const STATEMENT_DIMENSIONS: Record<StatementDimension, Dimension> = {
  STANCE: { pairs: `SELECT f.id, f.stance AS k FROM f`, label: humanize },
  ORGANIZATION: {
    pairs: `SELECT f.id, c.key AS k FROM f JOIN company c ON c.id = f.organization_id`,
    labels: `SELECT key AS k, name AS label FROM company`,
    nodeType: "Company",
  },
  COUNTRY: { pairs: `SELECT f.id, f.country_code AS k FROM f WHERE f.country_code IS NOT NULL`, labels: `SELECT code::text AS k, name AS label FROM country`, nodeType: "Country" },
  YEAR: { pairs: `SELECT f.id, to_char(f.said_on, 'YYYY') AS k FROM f WHERE f.said_on IS NOT NULL` },
};

interface SeriesArgs {
  interval: TimeInterval;
  from?: string | null;
  to?: string | null;
  cumulative: boolean;
}

export async function reportTotals(ctx: Context, filter: ResolvedReportFilter): Promise<ReportTotals> {
  const { ctes, params } = reportBase(filter);
  const [row] = await ctx.dataSource.query(
    `WITH ${ctes.join(",\n")}
     SELECT (SELECT count(*) FROM f)::int AS reports,
            (SELECT count(DISTINCT x.operation_id) FROM operation_report x JOIN f ON f.id = x.report_id)::int AS operations,
            (SELECT count(*) FROM operation_report x JOIN f ON f.id = x.report_id)::int AS disclosures`,
    params.values,
  );
  return row;
}

export function reportDistribution(ctx: Context, filter: ResolvedReportFilter, dimension: ReportDimension, limit: number, includeOther: boolean): Promise<Distribution> {
  checkLimit(limit);
  return distribution(ctx.dataSource, reportBase(filter), REPORT_DIMENSIONS[dimension], limit, includeOther);
}

export async function reportTimeSeries(ctx: Context, filter: ResolvedReportFilter, splitBy: ReportDimension | null, args: SeriesArgs): Promise<TimeSeries> {
  const series = await timeSeries(ctx.dataSource, reportBase(filter), `SELECT f.id, f.published_on AS d FROM f`, splitBy ? REPORT_DIMENSIONS[splitBy] : null, args);
  return { ...series, dateAxis: null };
}

/** Operations disclosed per report, most first (ties: newest first, then key). */
export async function operationsPerReport(ctx: Context, filter: ResolvedReportFilter, limit: number): Promise<ReportOperationCount[]> {
  checkLimit(limit);
  const { ctes, params } = reportBase(filter);
  return ctx.dataSource.query(
    `WITH ${ctes.join(",\n")}
     SELECT f.key, f.title, f.published_on AS "publishedOn", count(x.operation_id)::int AS operations
     FROM f LEFT JOIN operation_report x ON x.report_id = f.id
     GROUP BY f.id, f.key, f.title, f.published_on
     ORDER BY operations DESC, f.published_on DESC, f.key COLLATE "C" LIMIT ${params.add(limit)}::int`,
    params.values,
  );
}

export async function statementTotal(ctx: Context, filter: ResolvedStatementFilter): Promise<number> {
  const { ctes, params } = statementBase(filter);
  const [row] = await ctx.dataSource.query(`WITH ${ctes.join(",\n")} SELECT count(*)::int AS n FROM f`, params.values);
  return row.n;
}

export function statementDistribution(ctx: Context, filter: ResolvedStatementFilter, dimension: StatementDimension, limit: number, includeOther: boolean): Promise<Distribution> {
  checkLimit(limit);
  return distribution(ctx.dataSource, statementBase(filter), STATEMENT_DIMENSIONS[dimension], limit, includeOther);
}

export async function statementTimeSeries(ctx: Context, filter: ResolvedStatementFilter, splitBy: StatementDimension | null, args: SeriesArgs): Promise<TimeSeries> {
  const series = await timeSeries(ctx.dataSource, statementBase(filter), `SELECT f.id, f.said_on AS d FROM f`, splitBy ? STATEMENT_DIMENSIONS[splitBy] : null, args);
  return { ...series, dateAxis: null };
}
