import type { Context } from "../context";
import { BadUserInputError } from "../common/errors";
import { disclosureBase, disclosureConditioned, operationBase } from "./operation-bases";
import type { BaseScope, Grain, OperationSelection } from "./operation-bases";
import { COMPANY_LABELS, COUNTRY_LABELS, WHOLE, crossTab, distribution, humanize, one, singleDate, timeSeries } from "./engine";
import type { DateAxisSql, Dimension, StatsBase } from "./engine";
import { CountUnit, DateAxis, OperationDimension, TimeInterval } from "./stats.enums";
import type { CrossTab, Distribution, OperationTotals, TimeSeries } from "./stats.types";

/**
 * Computes a statistic for a selection, at operation grain (a row of operation_facts per operation,
 * the fast path) unless `disclosureGrain` (see `grainOf`). A scoped selection (a statistic under
 * each record of a list) is batched: every parent of the request asking the same statistic with
 * the same filter is served by one statement (GROUP BY parent), not one per parent.
 */
async function computed<R>(
  ctx: Context,
  selection: OperationSelection,
  signature: string,
  grain: Grain,
  compute: (base: StatsBase, parents: readonly string[]) => Promise<Map<string, R>>,
): Promise<R> {
  const base = (scope?: BaseScope) =>
    grain.disclosure ? disclosureBase(selection.filters, grain.unit, grain.first ?? false, scope) : operationBase(selection.filters, scope);
  if (!selection.scope) return (await compute(base(), [WHOLE])).get(WHOLE)!;
  const { kind, value } = selection.scope;
  const loader = ctx.batch<string, R>(`stats:${signature}|${JSON.stringify(grain)}|${kind}|${JSON.stringify(selection.filters)}`, async (parents) => {
    const results = await compute(base({ kind, parents }), parents);
    return parents.map((parent) => results.get(parent)!);
  });
  return loader.load(String(value));
}

/** An operation dimension: its keys at operation grain (`values`, absent where only a disclosure has them) and, for an attribute of a disclosure, at disclosure grain. */
interface OperationDimensionSql extends Omit<Dimension, "values"> {
  values?: string;
  perDisclosure?: string;
}

/** Every operation dimension as an array of keys over a row of `f`. */
export const OPERATION_DIMENSIONS: Record<OperationDimension, OperationDimensionSql> = {
  ORIGIN_COUNTRY: { values: "f.origin_countries", labels: COUNTRY_LABELS, nodeType: "Country" },
  ORIGIN_REGION: { values: "f.origin_regions", label: humanize },
  TARGET_COUNTRY: { values: "f.target_countries", labels: COUNTRY_LABELS, nodeType: "Country" },
  TARGET_REGION: { values: "f.target_regions", label: humanize },
  CATEGORY: { values: "f.categories", label: humanize },
  ACTOR_TYPE: { values: one("f.actor_type"), label: humanize },
  PUBLISHER: { values: "f.publishers", perDisclosure: one("f.d_publisher"), labels: COMPANY_LABELS, nodeType: "Company" },
  REPORT: { values: "f.reports", perDisclosure: one("f.d_report"), labels: `SELECT key AS k, title AS label FROM report`, nodeType: "Report" },
  AI_TOOL: { values: "f.ai_tools", labels: COMPANY_LABELS, nodeType: "Company" },
  PLATFORM: { values: "f.platforms", labels: COMPANY_LABELS, nodeType: "Company" },
  OPERATOR: { values: "f.operators", labels: COMPANY_LABELS, nodeType: "Company" },
  BREAKOUT_SCALE: { values: one("f.breakout_scale"), label: (key) => `Breakout Scale ${key}` },
  DISCLOSURE_BREAKOUT_SCALE: { perDisclosure: one("f.d_scale"), label: (key) => `Breakout Scale ${key}` },
  ORIGIN_CONFIDENCE: { values: "f.origin_confidences", label: humanize },
  YEAR: { values: `ARRAY(SELECT to_char(y, 'YYYY') FROM unnest(f.disclosure_years) y)`, perDisclosure: one(`to_char(f.d_date, 'YYYY')`) },
  QUARTER: { values: `ARRAY(SELECT to_char(q, 'YYYY-"Q"Q') FROM unnest(f.disclosure_quarters) q)`, perDisclosure: one(`to_char(f.d_date, 'YYYY-"Q"Q')`) },
};

/** A dimension's SQL at the grain a statistic runs at. */
function atGrain(dimension: OperationDimension, disclosureGrain: boolean): Dimension {
  const { values, perDisclosure, ...rest } = OPERATION_DIMENSIONS[dimension];
  return { ...rest, values: (disclosureGrain ? perDisclosure : undefined) ?? values! };
}

/**
 * Whether a statistic must run at disclosure grain: when the filter or scope names disclosures
 * (only those count), when disclosures are the unit counted, when it combines two attributes of
 * disclosures (they must come from one disclosure; operation_facts keeps each as a separate
 * list), or when a dimension exists only per disclosure. Otherwise the operation rows serve.
 */
function grainOf(selection: OperationSelection, unit: CountUnit, dimensions: OperationDimension[], datedByDisclosure: boolean): Grain {
  const perDisclosure = dimensions.filter((d) => OPERATION_DIMENSIONS[d].perDisclosure !== undefined);
  const disclosure =
    disclosureConditioned(selection) ||
    unit === CountUnit.DISCLOSURES ||
    perDisclosure.length + (datedByDisclosure ? 1 : 0) >= 2 ||
    dimensions.some((d) => OPERATION_DIMENSIONS[d].values === undefined);
  return { disclosure, unit };
}

/** The dates that place each selected operation on an axis, at operation grain. */
const AXES: Record<DateAxis, DateAxisSql> = {
  FIRST_DISCLOSED: singleDate("f.first_disclosed"),
  DISCLOSURE: {
    dates: "f.disclosure_dates",
    first: "f.first_disclosed",
    single: false,
    buckets: { MONTH: "f.disclosure_months", QUARTER: "f.disclosure_quarters", YEAR: "f.disclosure_years" },
  },
  FIRST_SEEN: singleDate("f.first_seen"),
};

/**
 * The axes at disclosure grain: each row (disclosure) is dated by its report; FIRST_DISCLOSED
 * places an operation by its earliest counted disclosure, whose own attributes are the ones paired
 * with that date; a disclosure counted as itself is dated by its own report.
 */
function axisAtDisclosureGrain(axis: DateAxis, unit: CountUnit): DateAxisSql {
  if (axis === DateAxis.FIRST_SEEN) return { ...AXES.FIRST_SEEN, row: "f.first_seen" };
  const firstOnly = axis === DateAxis.FIRST_DISCLOSED && unit === CountUnit.OPERATIONS;
  return { dates: "", first: "f.d_date", single: false, row: "f.d_date", rowFilter: firstOnly ? "f.d_date IS NOT DISTINCT FROM f.d_first" : undefined };
}

/** Checks a top-N limit. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadUserInputError(`limit must be between 1 and 500 (got ${limit})`, "limit");
}

/**
 * Totals over the selected operations, in one statement (for every parent of a scoped selection),
 * always at disclosure grain: disclosures and reports count only the counted disclosures, and
 * accounts banned sum, per operation and publisher, the latest figure that publisher's counted
 * reports state (a publisher bans accounts on its own services; a later report of the same
 * publisher restates its figure). So the totals of each publisher add up to the whole, save for
 * figures recorded on an operation but on none of its disclosures, which count only unnarrowed.
 */
export function operationTotals(ctx: Context, selection: OperationSelection): Promise<OperationTotals> {
  const conditioned = disclosureConditioned(selection);
  return computed(ctx, selection, "totals", { disclosure: conditioned, unit: CountUnit.OPERATIONS }, async (base, parents) => {
    const rows = await ctx.sql(conditioned ? countedTotalsSql(base) : wholeTotalsSql(base, selection.scope !== undefined), base.params.values);
    const empty: OperationTotals = { operations: 0, disclosures: 0, reports: 0, accountsBanned: 0, operationsStatingAccountsBanned: 0 };
    const byParent = new Map<string, OperationTotals>(parents.map((parent) => [parent, empty]));
    for (const { parent, ...totals } of rows) byParent.set(parent, totals as OperationTotals);
    return byParent;
  });
}

/** The accounts-banned sums per parent, from `stated(parent, id, n)`: one figure per operation and publisher. */
const BANNED = `banned AS (SELECT parent, sum(n)::int AS n, count(DISTINCT id)::int AS operations FROM stated GROUP BY parent)`;

/**
 * Totals at disclosure grain (under disclosure conditions): the counted disclosures, their reports,
 * and per operation and publisher the latest figure the counted disclosures state.
 */
function countedTotalsSql(base: StatsBase): string {
  return `WITH ${base.ctes.join(",\n")},
    stated AS (SELECT DISTINCT ON (f.parent, f.id, f.d_publisher) f.parent, f.id, f.d_accounts AS n FROM f WHERE f.d_accounts IS NOT NULL
               ORDER BY f.parent, f.id, f.d_publisher, f.d_date DESC, f.d_report DESC),
    ${BANNED}
    SELECT f.parent, count(DISTINCT f.id)::int AS operations, count(f.d_report_id)::int AS disclosures, count(DISTINCT f.d_report_id)::int AS reports,
           COALESCE(max(banned.n), 0)::int AS "accountsBanned", COALESCE(max(banned.operations), 0)::int AS "operationsStatingAccountsBanned"
    FROM f LEFT JOIN banned ON banned.parent = f.parent GROUP BY f.parent`;
}

/**
 * Totals over every disclosure of the selected operations, from their operation rows: the figures
 * are read only from the disclosures that state one (few), and a figure kept only on the operation
 * (none of its disclosures states one) counts too, since no condition narrows the disclosures.
 * Whole selection: distinct reports by probing each report for a selected disclosure; per parent,
 * a grouped count.
 */
function wholeTotalsSql(base: StatsBase, scoped: boolean): string {
  const reports = scoped
    ? `LEFT JOIN (SELECT f.parent, count(DISTINCT x.report_id)::int AS n FROM f JOIN operation_report x ON x.operation_id = f.id GROUP BY f.parent) r ON r.parent = sums.parent`
    : `CROSS JOIN (SELECT count(*)::int AS n FROM report r WHERE EXISTS (SELECT 1 FROM operation_report x JOIN f ON f.id = x.operation_id WHERE x.report_id = r.id)) r`;
  return `WITH ${base.ctes.join(",\n")},
    stated AS ((SELECT DISTINCT ON (f.parent, f.id, r.publisher_id) f.parent, f.id, x.accounts_banned AS n
               FROM f JOIN operation_report x ON x.operation_id = f.id AND x.accounts_banned IS NOT NULL JOIN report r ON r.id = x.report_id
               ORDER BY f.parent, f.id, r.publisher_id, r.published_on DESC, r.key DESC)
               UNION ALL
               SELECT f.parent, f.id, f.accounts_banned FROM f WHERE f.accounts_banned IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM operation_report y WHERE y.operation_id = f.id AND y.accounts_banned IS NOT NULL)),
    ${BANNED},
    sums AS (SELECT f.parent, count(*)::int AS operations, COALESCE(sum(cardinality(f.reports)), 0)::int AS disclosures FROM f GROUP BY f.parent)
    SELECT sums.*, COALESCE(r.n, 0)::int AS reports, COALESCE(banned.n, 0)::int AS "accountsBanned", COALESCE(banned.operations, 0)::int AS "operationsStatingAccountsBanned"
    FROM sums LEFT JOIN banned ON banned.parent = sums.parent ${reports}`;
}

export function operationDistribution(
  ctx: Context,
  selection: OperationSelection,
  dimension: OperationDimension,
  limit: number,
  includeOther: boolean,
  unit: CountUnit = CountUnit.OPERATIONS,
): Promise<Distribution> {
  checkLimit(limit);
  const grain = grainOf(selection, unit, [dimension], false);
  return computed(ctx, selection, `by|${dimension}|${limit}|${includeOther}`, grain, (base, parents) =>
    distribution(ctx.sql, base, atGrain(dimension, grain.disclosure), limit, includeOther, parents),
  );
}

export function operationCrossTab(
  ctx: Context,
  selection: OperationSelection,
  rows: OperationDimension,
  columns: OperationDimension,
  unit: CountUnit = CountUnit.OPERATIONS,
): Promise<CrossTab> {
  const grain = grainOf(selection, unit, [rows, columns], false);
  return computed(ctx, selection, `crossTab|${rows}|${columns}`, grain, (base, parents) =>
    crossTab(ctx.sql, base, atGrain(rows, grain.disclosure), atGrain(columns, grain.disclosure), parents),
  );
}

export async function operationTimeSeries(
  ctx: Context,
  selection: OperationSelection,
  options: {
    interval: TimeInterval;
    from?: string | null;
    to?: string | null;
    dateAxis: DateAxis;
    splitBy?: OperationDimension | null;
    cumulative: boolean;
    unit?: CountUnit;
  },
): Promise<TimeSeries> {
  const unit = options.unit ?? CountUnit.OPERATIONS;
  const grain = {
    ...grainOf(selection, unit, options.splitBy ? [options.splitBy] : [], options.dateAxis !== DateAxis.FIRST_SEEN),
    first: options.dateAxis === DateAxis.FIRST_DISCLOSED,
  };
  const split = options.splitBy ? atGrain(options.splitBy, grain.disclosure) : null;
  const axis = grain.disclosure ? axisAtDisclosureGrain(options.dateAxis, unit) : AXES[options.dateAxis];
  const series = await computed(ctx, selection, `overTime|${JSON.stringify(options)}`, grain, (base, parents) =>
    timeSeries(ctx.sql, base, axis, split, options, parents),
  );
  return { ...series, dateAxis: options.dateAxis };
}
