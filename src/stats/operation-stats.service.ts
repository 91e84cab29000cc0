import type { Context } from "../http/context";
import { BadUserInputError } from "../common/errors";
import { SqlParams } from "../db/sql";
import { operationFilterSql } from "../modules/operation/operation.service";
import type { ResolvedOperationFilter } from "../modules/operation/operation.service";
import { crossTab, distribution, humanize, timeSeries } from "./engine";
import type { DateAxisSql, Dimension, StatsBase } from "./engine";
import { DateAxis, OperationDimension, TimeInterval } from "./stats.enums";
import type { CrossTab, Distribution, OperationTotals, TimeSeries } from "./stats.types";

/** The operations a statistic counts: every filter in the list applies (AND). */
export interface OperationSelection {
  filters: ResolvedOperationFilter[];
}

/**
 * `f`: the selected operations as rows of operation_facts (one row per operation, every dimension
 * an array of keys). The filter is the same OperationFilter as the lists', applied to operations.
 */
function operationBase(selection: OperationSelection): StatsBase {
  const params = new SqlParams();
  const where = selection.filters.flatMap((filter) => operationFilterSql(filter, params));
  return {
    params,
    ctes: [`f AS NOT MATERIALIZED (SELECT x.* FROM operation_facts x${where.length ? ` WHERE x.id IN (SELECT e.id FROM operation e WHERE ${where.join(" AND ")})` : ""})`],
  };
}

const COMPANY_LABELS = `SELECT key AS k, name AS label FROM company`;
const COUNTRY_LABELS = `SELECT code::text AS k, name AS label FROM country`;
const one = (expr: string) => `(CASE WHEN ${expr} IS NULL THEN '{}'::text[] ELSE ARRAY[${expr}::text] END)`;

/** Every operation dimension as an array of keys over a row of operation_facts. */
export const OPERATION_DIMENSIONS: Record<OperationDimension, Dimension> = {
  ORIGIN_COUNTRY: { values: "f.origin_countries", labels: COUNTRY_LABELS, nodeType: "Country" },
  ORIGIN_REGION: { values: "f.origin_regions", label: humanize },
  TARGET_COUNTRY: { values: "f.target_countries", labels: COUNTRY_LABELS, nodeType: "Country" },
  TARGET_REGION: { values: "f.target_regions", label: humanize },
  CATEGORY: { values: "f.categories", label: humanize },
  ACTOR_TYPE: { values: one("f.actor_type"), label: humanize },
  PUBLISHER: { values: "f.publishers", labels: COMPANY_LABELS, nodeType: "Company" },
  REPORT: { values: "f.reports", labels: `SELECT key AS k, title AS label FROM report`, nodeType: "Report" },
  AI_TOOL: { values: "f.ai_tools", labels: COMPANY_LABELS, nodeType: "Company" },
  PLATFORM: { values: "f.platforms", labels: COMPANY_LABELS, nodeType: "Company" },
  OPERATOR: { values: "f.operators", labels: COMPANY_LABELS, nodeType: "Company" },
  BREAKOUT_SCALE: { values: one("f.breakout_scale"), label: (key) => `Breakout Scale ${key}` },
  ORIGIN_CONFIDENCE: { values: "f.origin_confidences", label: humanize },
  YEAR: { values: one("f.first_disclosed_year") },
  QUARTER: { values: one("f.first_disclosed_quarter") },
};

/** The dates that place each selected operation on an axis. */
const AXES: Record<DateAxis, DateAxisSql> = {
  FIRST_DISCLOSED: { dates: `(CASE WHEN f.first_disclosed IS NULL THEN '{}'::date[] ELSE ARRAY[f.first_disclosed] END)`, first: "f.first_disclosed", single: true },
  DISCLOSURE: {
    dates: "f.disclosure_dates",
    first: "f.first_disclosed",
    single: false,
    buckets: { MONTH: "f.disclosure_months", QUARTER: "f.disclosure_quarters", YEAR: "f.disclosure_years" },
  },
  FIRST_SEEN: { dates: `(CASE WHEN f.first_seen IS NULL THEN '{}'::date[] ELSE ARRAY[f.first_seen] END)`, first: "f.first_seen", single: true },
};

/** Checks a top-N limit. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadUserInputError(`limit must be between 1 and 500 (got ${limit})`);
}

/** Totals over the selected operations, in one statement. */
export async function operationTotals(ctx: Context, selection: OperationSelection): Promise<OperationTotals> {
  const base = operationBase(selection);
  // One parallel scan for the sums; distinct reports by probing each report for a selected
  // disclosure (tens of thousands of index probes instead of deduplicating every disclosure).
  const [row] = await ctx.dataSource.query(
    `WITH ${base.ctes.join(",\n")},
     sums AS (SELECT count(*)::int AS operations, COALESCE(sum(cardinality(f.reports)), 0)::int AS disclosures,
                     COALESCE(sum(f.accounts_banned), 0)::int AS "accountsBanned", count(f.accounts_banned)::int AS "operationsStatingAccountsBanned" FROM f)
     SELECT sums.*, (SELECT count(*) FROM report r WHERE EXISTS (SELECT 1 FROM operation_report x JOIN f ON f.id = x.operation_id WHERE x.report_id = r.id))::int AS reports
     FROM sums`,
    base.params.values,
  );
  return row;
}

export function operationDistribution(ctx: Context, selection: OperationSelection, dimension: OperationDimension, limit: number, includeOther: boolean): Promise<Distribution> {
  checkLimit(limit);
  return distribution(ctx.dataSource, operationBase(selection), OPERATION_DIMENSIONS[dimension], limit, includeOther);
}

export function operationCrossTab(ctx: Context, selection: OperationSelection, rows: OperationDimension, columns: OperationDimension): Promise<CrossTab> {
  return crossTab(ctx.dataSource, operationBase(selection), OPERATION_DIMENSIONS[rows], OPERATION_DIMENSIONS[columns]);
}

export async function operationTimeSeries(
  ctx: Context,
  selection: OperationSelection,
  options: { interval: TimeInterval; from?: string | null; to?: string | null; dateAxis: DateAxis; splitBy?: OperationDimension | null; cumulative: boolean },
): Promise<TimeSeries> {
  const split = options.splitBy ? OPERATION_DIMENSIONS[options.splitBy] : null;
  const series = await timeSeries(ctx.dataSource, operationBase(selection), AXES[options.dateAxis], split, options);
  return { ...series, dateAxis: options.dateAxis };
}
