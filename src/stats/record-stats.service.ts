import type { Context } from "../context";
import { SqlParams } from "../db/sql";
import { reportFilterSql } from "../modules/report";
import type { ResolvedReportFilter } from "../modules/report";
import { statementFilterSql } from "../modules/statement";
import type { ResolvedStatementFilter } from "../modules/statement";
import { COMPANY_LABELS, COUNTRY_LABELS, WHOLE, distribution, humanize, one, singleDate, timeSeries } from "./engine";
import type { Dimension, StatsBase } from "./engine";
import { checkLimit } from "./operation-stats.service";
import { ReportDimension, StatementDimension, TimeInterval } from "./stats.enums";
import type { Distribution, ReportOperationCount, ReportTotals, TimeSeries } from "./stats.types";

/** `f`: the selected reports or statements, with the keys their dimensions need. */
function base(select: string, where: string[], params: SqlParams): StatsBase {
  return { params, ctes: [`f AS (${select} ${where.length ? `WHERE ${where.join(" AND ")}` : ""})`] };
}

/** The one result of a statistic over the whole selection. */
const whole = async <R>(results: Promise<Map<string, R>>): Promise<R> => (await results).get(WHOLE)!;

const reportBase = (filter: ResolvedReportFilter) => {
  const params = new SqlParams();
  return base(
    "SELECT '0'::text AS parent, e.*, c.key AS publisher_key FROM report e JOIN company c ON c.id = e.publisher_id",
    reportFilterSql(filter, params),
    params,
  );
};

const statementBase = (filter: ResolvedStatementFilter) => {
  const params = new SqlParams();
  return base(
    "SELECT '0'::text AS parent, e.*, c.key AS organization_key FROM statement e LEFT JOIN company c ON c.id = e.organization_id",
    statementFilterSql(filter, params),
    params,
  );
};

const REPORT_DIMENSIONS: Record<ReportDimension, Dimension> = {
  PUBLISHER: { values: one("f.publisher_key"), labels: COMPANY_LABELS, nodeType: "Company" },
  YEAR: { values: one(`to_char(f.published_on, 'YYYY')`) },
  QUARTER: { values: one(`to_char(f.published_on, 'YYYY-"Q"Q')`) },
};

const STATEMENT_DIMENSIONS: Record<StatementDimension, Dimension> = {
  STANCE: { values: one("f.stance"), label: humanize },
  ORGANIZATION: { values: one("f.organization_key"), labels: COMPANY_LABELS, nodeType: "Company" },
  COUNTRY: { values: one("f.country_code"), labels: COUNTRY_LABELS, nodeType: "Country" },
  YEAR: { values: one(`to_char(f.said_on, 'YYYY')`) },
};

interface SeriesArgs {
  interval: TimeInterval;
  from?: string | null;
  to?: string | null;
  cumulative: boolean;
}

export async function reportTotals(ctx: Context, filter: ResolvedReportFilter): Promise<ReportTotals> {
  const { ctes, params } = reportBase(filter);
  const [row] = await ctx.sql(
    `WITH ${ctes.join(",\n")}
     SELECT (SELECT count(*) FROM f)::int AS reports,
            (SELECT count(DISTINCT x.operation_id) FROM operation_report x JOIN f ON f.id = x.report_id)::int AS operations,
            (SELECT count(*) FROM operation_report x JOIN f ON f.id = x.report_id)::int AS disclosures`,
    params.values,
  );
  return row;
}

export function reportDistribution(
  ctx: Context,
  filter: ResolvedReportFilter,
  dimension: ReportDimension,
  limit: number,
  includeOther: boolean,
): Promise<Distribution> {
  checkLimit(limit);
  return whole(distribution(ctx.sql, reportBase(filter), REPORT_DIMENSIONS[dimension], limit, includeOther, [WHOLE]));
}

export async function reportTimeSeries(ctx: Context, filter: ResolvedReportFilter, splitBy: ReportDimension | null, args: SeriesArgs): Promise<TimeSeries> {
  const series = await whole(timeSeries(ctx.sql, reportBase(filter), singleDate("f.published_on"), splitBy ? REPORT_DIMENSIONS[splitBy] : null, args, [WHOLE]));
  return { ...series, dateAxis: null };
}

/** Operations disclosed per report, most first (ties: newest first, then key). */
export async function operationsPerReport(ctx: Context, filter: ResolvedReportFilter, limit: number): Promise<ReportOperationCount[]> {
  checkLimit(limit);
  const { ctes, params } = reportBase(filter);
  return ctx.sql(
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
  const [row] = await ctx.sql(`WITH ${ctes.join(",\n")} SELECT count(*)::int AS n FROM f`, params.values);
  return row.n;
}

export function statementDistribution(
  ctx: Context,
  filter: ResolvedStatementFilter,
  dimension: StatementDimension,
  limit: number,
  includeOther: boolean,
): Promise<Distribution> {
  checkLimit(limit);
  return whole(distribution(ctx.sql, statementBase(filter), STATEMENT_DIMENSIONS[dimension], limit, includeOther, [WHOLE]));
}

export async function statementTimeSeries(
  ctx: Context,
  filter: ResolvedStatementFilter,
  splitBy: StatementDimension | null,
  args: SeriesArgs,
): Promise<TimeSeries> {
  const series = await whole(
    timeSeries(ctx.sql, statementBase(filter), singleDate("f.said_on"), splitBy ? STATEMENT_DIMENSIONS[splitBy] : null, args, [WHOLE]),
  );
  return { ...series, dateAxis: null };
}
