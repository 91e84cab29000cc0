import type { Context } from "../http/context";
import { BadUserInputError } from "../common/errors";
import { SqlParams } from "../db/sql";
import { operationFilterSql } from "../modules/operation/operation.service";
import type { ResolvedOperationFilter } from "../modules/operation/operation.service";
import { crossTab, distribution, humanize, timeSeries } from "./engine";
import type { Dimension, StatsBase } from "./engine";
import { DateAxis, OperationDimension, TimeInterval } from "./stats.enums";
import type { CrossTab, Distribution, OperationTotals, TimeSeries } from "./stats.types";

/** The operations a statistic counts: every filter in the list applies (AND). */
export interface OperationSelection {
  filters: ResolvedOperationFilter[];
}

/** `f`: the selected operations; `fd`: their first disclosure dates (evaluated only when used). */
function operationBase(selection: OperationSelection): StatsBase {
  const params = new SqlParams();
  const where = selection.filters.flatMap((filter) => operationFilterSql(filter, params));
  return {
    params,
    ctes: [
      `f AS MATERIALIZED (SELECT e.id, e.categories, e.actor_type, e.breakout_scale, e.first_seen, e.accounts_banned
                          FROM operation e ${where.length ? `WHERE ${where.join(" AND ")}` : ""})`,
      `fd AS (SELECT x.operation_id AS id, min(r.published_on) AS first_disclosed
              FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id IN (SELECT id FROM f) GROUP BY x.operation_id)`,
    ],
  };
}

const COMPANY_LABELS = `SELECT key AS k, name AS label FROM company`;
const COUNTRY_LABELS = `SELECT code::text AS k, name AS label FROM country`;

const companies = (role: string): Dimension => ({
  pairs: `SELECT x.operation_id AS id, c.key AS k FROM operation_company x JOIN f ON f.id = x.operation_id JOIN company c ON c.id = x.company_id WHERE x.role = '${role}'`,
  labels: COMPANY_LABELS,
  nodeType: "Company",
});

const countries = (table: string): Dimension => ({
  pairs: `SELECT x.operation_id AS id, x.country_code AS k FROM ${table} x JOIN f ON f.id = x.operation_id`,
  labels: COUNTRY_LABELS,
  nodeType: "Country",
});

const regions = (table: string): Dimension => ({
  pairs: `SELECT x.operation_id AS id, c.region AS k FROM ${table} x JOIN f ON f.id = x.operation_id JOIN country c ON c.code = x.country_code`,
  repeats: true,
  label: humanize,
});

/** Every operation dimension as SQL over `f` (and `fd`). */
export const OPERATION_DIMENSIONS: Record<OperationDimension, Dimension> = {
  ORIGIN_COUNTRY: countries("operation_origin"),
  ORIGIN_REGION: regions("operation_origin"),
  TARGET_COUNTRY: countries("operation_target"),
  TARGET_REGION: regions("operation_target"),
  CATEGORY: { pairs: `SELECT f.id, unnest(f.categories) AS k FROM f`, repeats: true, label: humanize },
  ACTOR_TYPE: { pairs: `SELECT f.id, f.actor_type AS k FROM f`, label: humanize },
  PUBLISHER: {
    pairs: `SELECT x.operation_id AS id, c.key AS k FROM operation_report x JOIN f ON f.id = x.operation_id JOIN report r ON r.id = x.report_id JOIN company c ON c.id = r.publisher_id`,
    repeats: true,
    labels: COMPANY_LABELS,
    nodeType: "Company",
  },
  REPORT: {
    pairs: `SELECT x.operation_id AS id, r.key AS k FROM operation_report x JOIN f ON f.id = x.operation_id JOIN report r ON r.id = x.report_id`,
    labels: `SELECT key AS k, title AS label FROM report`,
    nodeType: "Report",
  },
  AI_TOOL: companies("AI_TOOL"),
  PLATFORM: companies("PLATFORM"),
  OPERATOR: companies("OPERATOR"),
  BREAKOUT_SCALE: { pairs: `SELECT f.id, f.breakout_scale AS k FROM f WHERE f.breakout_scale IS NOT NULL`, label: (key) => `Breakout Scale ${key}` },
  ORIGIN_CONFIDENCE: {
    pairs: `SELECT x.operation_id AS id, x.confidence AS k FROM operation_origin x JOIN f ON f.id = x.operation_id`,
    repeats: true,
    label: humanize,
  },
  YEAR: { pairs: `SELECT fd.id, to_char(fd.first_disclosed, 'YYYY') AS k FROM fd` },
  QUARTER: { pairs: `SELECT fd.id, to_char(fd.first_disclosed, 'YYYY-"Q"Q') AS k FROM fd` },
};

/** The dates that place each selected operation on an axis: `(id, d)`. */
const DATED: Record<DateAxis, string> = {
  FIRST_DISCLOSED: `SELECT id, first_disclosed AS d FROM fd`,
  DISCLOSURE: `SELECT x.operation_id AS id, r.published_on AS d FROM operation_report x JOIN f ON f.id = x.operation_id JOIN report r ON r.id = x.report_id`,
  FIRST_SEEN: `SELECT f.id, f.first_seen AS d FROM f`,
};

/** Checks a top-N limit. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadUserInputError(`limit must be between 1 and 500 (got ${limit})`);
}

/** Totals over the selected operations, in one statement. */
export async function operationTotals(ctx: Context, selection: OperationSelection): Promise<OperationTotals> {
  const base = operationBase(selection);
  const [row] = await ctx.dataSource.query(
    `WITH ${base.ctes.join(",\n")}
     SELECT (SELECT count(*) FROM f)::int AS operations,
            (SELECT count(*) FROM operation_report x JOIN f ON f.id = x.operation_id)::int AS disclosures,
            (SELECT count(DISTINCT x.report_id) FROM operation_report x JOIN f ON f.id = x.operation_id)::int AS reports,
            (SELECT COALESCE(sum(accounts_banned), 0) FROM f)::int AS "accountsBanned",
            (SELECT count(accounts_banned) FROM f)::int AS "operationsStatingAccountsBanned"`,
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
  const series = await timeSeries(ctx.dataSource, operationBase(selection), DATED[options.dateAxis], split, options);
  return { ...series, dateAxis: options.dateAxis };
}
