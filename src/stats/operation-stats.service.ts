import type { Context } from "../context";
import { BadUserInputError } from "../common/errors";
import { SqlParams } from "../db/sql";
import { operationFilterSql } from "../modules/operation";
import type { ResolvedOperationFilter } from "../modules/operation";
import { COMPANY_LABELS, COUNTRY_LABELS, WHOLE, crossTab, distribution, humanize, one, singleDate, timeSeries } from "./engine";
import type { DateAxisSql, Dimension, StatsBase } from "./engine";
import { DateAxis, OperationDimension, TimeInterval } from "./stats.enums";
import type { CrossTab, Distribution, OperationTotals, TimeSeries } from "./stats.types";

/** The part a parent record plays in the operations a per-parent statistic counts. */
export type StatsScopeKind = "ORIGIN" | "TARGET" | "AI_TOOL" | "PLATFORM" | "OPERATOR" | "PUBLISHER" | "REPORT";

/** The operations a statistic counts: every filter applies (AND), within the scope's parent if any. */
export interface OperationSelection {
  filters: ResolvedOperationFilter[];
  /** A per-parent statistic (`country.stats`, `company.stats`, `report.stats`): the parent and its part. */
  scope?: { kind: StatsScopeKind; value: string | number };
}

/** SQL giving `(parent, operation_id)` pairs, once each, for the parents of one scope kind (`$p` the parents). */
function scopePairs(kind: StatsScopeKind, p: string): string {
  switch (kind) {
    case "ORIGIN":
    case "TARGET":
      return `SELECT country_code::text AS parent, operation_id FROM operation_${kind.toLowerCase()} WHERE country_code = ANY(${p}::bpchar[])`;
    case "AI_TOOL":
    case "PLATFORM":
    case "OPERATOR":
      return `SELECT company_id::text AS parent, operation_id FROM operation_company WHERE role = '${kind}' AND company_id = ANY(${p}::int[])`;
    case "PUBLISHER":
      return `SELECT DISTINCT r.publisher_id::text AS parent, x.operation_id FROM operation_report x JOIN report r ON r.id = x.report_id WHERE r.publisher_id = ANY(${p}::int[])`;
    case "REPORT":
      return `SELECT report_id::text AS parent, operation_id FROM operation_report WHERE report_id = ANY(${p}::int[])`;
  }
}

/**
 * `f`: the selected operations as rows of operation_facts (one row per operation, every dimension
 * an array of keys), with the parent each row is counted for: `'0'` for a statistic over the whole
 * selection, else one row per (parent, operation) of the scope, so one statement serves every parent.
 */
function operationBase(filters: ResolvedOperationFilter[], scope?: { kind: StatsScopeKind; parents: readonly string[] }): StatsBase {
  const params = new SqlParams();
  const where = filters.flatMap((filter) => operationFilterSql(filter, params));
  const selected = where.length ? `x.id IN (SELECT e.id FROM operation e WHERE ${where.join(" AND ")})` : "true";
  const f = scope
    ? `SELECT l.parent, x.* FROM (${scopePairs(scope.kind, params.add(scope.parents))}) l JOIN operation_facts x ON x.id = l.operation_id WHERE ${selected}`
    : `SELECT '${WHOLE}'::text AS parent, x.* FROM operation_facts x WHERE ${selected}`;
  return { params, ctes: [`f AS NOT MATERIALIZED (${f})`] };
}

/**
 * Computes a statistic for a selection. A scoped selection (a statistic under each record of a
 * list) is batched: every parent of the request asking the same statistic with the same filter
 * is served by one statement (GROUP BY parent), not one per parent.
 */
async function computed<R>(
  ctx: Context,
  selection: OperationSelection,
  signature: string,
  compute: (base: StatsBase, parents: readonly string[]) => Promise<Map<string, R>>,
): Promise<R> {
  if (!selection.scope) return (await compute(operationBase(selection.filters), [WHOLE])).get(WHOLE)!;
  const { kind, value } = selection.scope;
  const loader = ctx.batch<string, R>(`stats:${signature}|${kind}|${JSON.stringify(selection.filters)}`, async (parents) => {
    const results = await compute(operationBase(selection.filters, { kind, parents }), parents);
    return parents.map((parent) => results.get(parent)!);
  });
  return loader.load(String(value));
}

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
  FIRST_DISCLOSED: singleDate("f.first_disclosed"),
  DISCLOSURE: {
    dates: "f.disclosure_dates",
    first: "f.first_disclosed",
    single: false,
    buckets: { MONTH: "f.disclosure_months", QUARTER: "f.disclosure_quarters", YEAR: "f.disclosure_years" },
  },
  FIRST_SEEN: singleDate("f.first_seen"),
};

/** Checks a top-N limit. */
export function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadUserInputError(`limit must be between 1 and 500 (got ${limit})`);
}

/** Totals over the selected operations, in one statement (for every parent of a scoped selection). */
export function operationTotals(ctx: Context, selection: OperationSelection): Promise<OperationTotals> {
  return computed(ctx, selection, "totals", async (base, parents) => {
    // Whole selection: distinct reports by probing each report for a selected disclosure (tens of
    // thousands of index probes instead of deduplicating every disclosure). Per parent: a grouped count.
    const reports = selection.scope
      ? `LEFT JOIN (SELECT f.parent, count(DISTINCT x.report_id)::int AS n FROM f JOIN operation_report x ON x.operation_id = f.id GROUP BY f.parent) r ON r.parent = sums.parent`
      : `CROSS JOIN (SELECT count(*)::int AS n FROM report r WHERE EXISTS (SELECT 1 FROM operation_report x JOIN f ON f.id = x.operation_id WHERE x.report_id = r.id)) r`;
    const rows = await ctx.sql(
      `WITH ${base.ctes.join(",\n")},
       sums AS (SELECT f.parent, count(*)::int AS operations, COALESCE(sum(cardinality(f.reports)), 0)::int AS disclosures,
                       COALESCE(sum(f.accounts_banned), 0)::int AS "accountsBanned", count(f.accounts_banned)::int AS "operationsStatingAccountsBanned" FROM f GROUP BY f.parent)
       SELECT sums.*, COALESCE(r.n, 0)::int AS reports FROM sums ${reports}`,
      base.params.values,
    );
    const empty: OperationTotals = { operations: 0, disclosures: 0, reports: 0, accountsBanned: 0, operationsStatingAccountsBanned: 0 };
    const byParent = new Map<string, OperationTotals>(parents.map((parent) => [parent, empty]));
    for (const { parent, ...totals } of rows) byParent.set(parent, totals as OperationTotals);
    return byParent;
  });
}

export function operationDistribution(
  ctx: Context,
  selection: OperationSelection,
  dimension: OperationDimension,
  limit: number,
  includeOther: boolean,
): Promise<Distribution> {
  checkLimit(limit);
  return computed(ctx, selection, `by|${dimension}|${limit}|${includeOther}`, (base, parents) =>
    distribution(ctx.sql, base, OPERATION_DIMENSIONS[dimension], limit, includeOther, parents),
  );
}

export function operationCrossTab(ctx: Context, selection: OperationSelection, rows: OperationDimension, columns: OperationDimension): Promise<CrossTab> {
  return computed(ctx, selection, `crossTab|${rows}|${columns}`, (base, parents) =>
    crossTab(ctx.sql, base, OPERATION_DIMENSIONS[rows], OPERATION_DIMENSIONS[columns], parents),
  );
}

export async function operationTimeSeries(
  ctx: Context,
  selection: OperationSelection,
  options: { interval: TimeInterval; from?: string | null; to?: string | null; dateAxis: DateAxis; splitBy?: OperationDimension | null; cumulative: boolean },
): Promise<TimeSeries> {
  const split = options.splitBy ? OPERATION_DIMENSIONS[options.splitBy] : null;
  const series = await computed(ctx, selection, `overTime|${JSON.stringify(options)}`, (base, parents) =>
    timeSeries(ctx.sql, base, AXES[options.dateAxis], split, options, parents),
  );
  return { ...series, dateAxis: options.dateAxis };
}
