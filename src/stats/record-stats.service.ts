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

/**
 * What one kind of record's statistics read: `f`, its rows selected by the filter with the keys its
 * dimensions need, and the date column that places a record in time. Reports and statements are
 * counted by the same distribution and time-series engines.
 */
export interface RecordStatsOf<Filter, Dim extends string> {
  select: string;
  filterSql(filter: Filter, params: SqlParams): string[];
  dimensions: Record<Dim, Dimension>;
  date: string;
}

export const REPORT_STATS: RecordStatsOf<ResolvedReportFilter, ReportDimension> = {
  select: "SELECT '0'::text AS parent, e.*, c.key AS publisher_key FROM report e JOIN company c ON c.id = e.publisher_id",
  filterSql: reportFilterSql,
  dimensions: {
    PUBLISHER: { values: one("f.publisher_key"), labels: COMPANY_LABELS, nodeType: "Company" },
    YEAR: { values: one(`to_char(f.published_on, 'YYYY')`) },
    QUARTER: { values: one(`to_char(f.published_on, 'YYYY-"Q"Q')`) },
  },
  date: "f.published_on",
};

export const STATEMENT_STATS: RecordStatsOf<ResolvedStatementFilter, StatementDimension> = {
  select: "SELECT '0'::text AS parent, e.*, c.key AS organization_key FROM statement e LEFT JOIN company c ON c.id = e.organization_id",
  filterSql: statementFilterSql,
  dimensions: {
    STANCE: { values: one("f.stance"), label: humanize },
    ORGANIZATION: { values: one("f.organization_key"), labels: COMPANY_LABELS, nodeType: "Company" },
    COUNTRY: { values: one("f.country_code"), labels: COUNTRY_LABELS, nodeType: "Country" },
    YEAR: { values: one(`to_char(f.said_on, 'YYYY')`) },
  },
  date: "f.said_on",
};

/** `f`: the records the filter selects. */
function base<F>(of: RecordStatsOf<F, string>, filter: F): StatsBase {
  const params = new SqlParams();
  const where = of.filterSql(filter, params);
  return { params, ctes: [`f AS (${of.select} ${where.length ? `WHERE ${where.join(" AND ")}` : ""})`] };
}

/** The one result of a statistic over the whole selection. */
const whole = async <R>(results: Promise<Map<string, R>>): Promise<R> => (await results).get(WHOLE)!;

/** The time-series arguments of `overTime`. */
export interface SeriesArgs {
  interval: TimeInterval;
  from?: string | null;
  to?: string | null;
  cumulative: boolean;
}

/** Records per value of one dimension: the top `limit`, then OTHER and NONE. */
export function recordDistribution<F, D extends string>(
  ctx: Context,
  of: RecordStatsOf<F, D>,
  filter: F,
  dimension: D,
  limit: number,
  includeOther: boolean,
): Promise<Distribution> {
  checkLimit(limit);
  return whole(distribution(ctx.sql, base(of, filter), of.dimensions[dimension], limit, includeOther, [WHOLE]));
}

/** Records per calendar bucket of their date, zero-filled, optionally split by a dimension. */
export async function recordTimeSeries<F, D extends string>(
  ctx: Context,
  of: RecordStatsOf<F, D>,
  filter: F,
  splitBy: D | null,
  args: SeriesArgs,
): Promise<TimeSeries> {
  const series = await whole(timeSeries(ctx.sql, base(of, filter), singleDate(of.date), splitBy ? of.dimensions[splitBy] : null, args, [WHOLE]));
  return { ...series, dateAxis: null };
}

export async function reportTotals(ctx: Context, filter: ResolvedReportFilter): Promise<ReportTotals> {
  const { ctes, params } = base(REPORT_STATS, filter);
  const [row] = await ctx.sql(
    `WITH ${ctes.join(",\n")}
     SELECT (SELECT count(*) FROM f)::int AS reports,
            (SELECT count(DISTINCT x.operation_id) FROM operation_report x JOIN f ON f.id = x.report_id)::int AS operations,
            (SELECT count(*) FROM operation_report x JOIN f ON f.id = x.report_id)::int AS disclosures`,
    params.values,
  );
  return row;
}

/** Operations disclosed per report, most first (ties: newest first, then key). */
export async function operationsPerReport(ctx: Context, filter: ResolvedReportFilter, limit: number): Promise<ReportOperationCount[]> {
  checkLimit(limit);
  const { ctes, params } = base(REPORT_STATS, filter);
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
  const { ctes, params } = base(STATEMENT_STATS, filter);
  const [row] = await ctx.sql(`WITH ${ctes.join(",\n")} SELECT count(*)::int AS n FROM f`, params.values);
  return row.n;
}
