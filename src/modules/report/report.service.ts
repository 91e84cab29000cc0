import type { Context } from "../../context";
import { givenValues } from "../../common/given-values";
import { checkDateRange } from "../../common/filter-values";
import type { ConnectionResult } from "../../common/connection";
import type { SortKey } from "../../common/cursor";
import { listConnection, scopeByKind, wholeScope, columnScope, linkScope } from "../../common/list-connection";
import { listRelation } from "../../common/list-relation";
import type { ListOf } from "../../common/list-connection";
import { keyedList } from "../../common/keyed-list";
import type { OrderFieldOf } from "../../common/sort-order";
import { SqlParams, inList } from "../../db/sql";
import { checkSearchText, searchCondition } from "../../common/search";
import { recordJsonPairs, tableShape } from "../../db/rows";
import { Report, ReportFigure } from "./report.entity";
import { ReportConnectionArgs, ReportOrder } from "./report.inputs";
import type { ReportFilter } from "./report.inputs";
import { updatedSinceIso, updatedSinceSql } from "../sync";
import { NOTHING_SELECTED, columnsFor } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { BY_ID } from "../../common/list";
import { columnsText } from "../../common/embeds";
import { statementKey } from "../../common/statement-key";
import type { Embed } from "../../common/embeds";
import { Company, companiesById, requireCompanyIds } from "../company";
import { REPORT_OPERATIONS } from "../operation";

const SORT: Record<Exclude<OrderFieldOf<typeof ReportOrder>, "RELEVANCE">, SortKey> = {
  PUBLISHED_ON: { field: "PUBLISHED_ON", expr: "e.published_on", type: "date" },
  TITLE: { field: "TITLE", expr: "e.title COLLATE reader_order", type: "text" },
  KEY: { field: "KEY", expr: "e.key", type: "text" },
};

const REPORTS = keyedList(Report, "report");

/**
 * A report's publisher, carried by the report's own statement and primed for `publisher`: per set
 * of company columns read, by their text (each distinct document has its own column arrays, so a
 * map keyed by the arrays would grow with every document a client sends).
 */
const publisherEmbeds = new Map<string, Embed<Report>>();

function publisherEmbed(ctx: Context, columns: readonly string[] | null): Embed<Report> {
  let embed = publisherEmbeds.get(columnsText(columns));
  if (!embed) {
    embed = {
      sql: `SELECT json_build_object(${recordJsonPairs(ctx.dataSource, Company, "c", columns).join(", ")}) FROM company c WHERE c.id = e.publisher_id`,
      prime: (ctx, report, value) => {
        if (value) companiesById(ctx, columns).prime(report.publisherId, tableShape(ctx.dataSource, Company).mapJson(value as Record<string, unknown>));
      },
    };
    publisherEmbeds.set(columnsText(columns), embed);
  }
  return embed;
}

/**
 * What a report's own statement can carry for the fields a query selects on it: the publisher,
 * with the columns its own selection (`publisherFields`) reads, as `Report.publisher` loads it.
 */
function reportEmbeds(ctx: Context, fields: ReadonlySet<string>, publisherFields: ReadonlySet<string>): Embed<Report>[] {
  return fields.has("publisher") ? [publisherEmbed(ctx, columnsFor(ctx.dataSource, Company, publisherFields))] : [];
}

/** The publisher of a report, reading the company columns `fields` need. */
export function publisherOf(ctx: Context, report: Report, fields: ReadonlySet<string>): Promise<Company | null> {
  return companiesById(ctx, columnsFor(ctx.dataSource, Company, fields)).load(report.publisherId);
}

export const reportsByKey = REPORTS.byKey;
/**
 * The report with this key, or a NOT_FOUND error; what `selection` asks of it comes in the same
 * statement, with its page of operations when one `operations` field is selected.
 */
export async function reportByKey(ctx: Context, key: string, selection: Selection = NOTHING_SELECTED): Promise<Report> {
  const embeds = reportEmbeds(ctx, selection.fields, selection.under("publisher").fields);
  const operations = await REPORT_OPERATIONS.embed(ctx, selection);
  if (operations) embeds.push(operations);
  return REPORTS.requireKey(ctx, key, embeds, selection.fields);
}

/** Resolves report keys named in a filter to ids; an unknown key is an error naming the field. */
export const requireReportIds = REPORTS.requireIds;

const figuresSql = (params: SqlParams, ids: readonly number[]) =>
  `SELECT * FROM report_figure WHERE report_id ${inList(params, ids, "int")} ORDER BY report_id, position`;
const FIGURES_LOADER = ((params) => statementKey(figuresSql(params, []), params.values))(new SqlParams());

/** A report's headline figures in the order the report gives them; batched across reports. */
export function figuresOfReport(ctx: Context, reportId: number): Promise<ReportFigure[]> {
  return ctx
    .batch<number, ReportFigure[]>(FIGURES_LOADER, async (ids) => {
      const shape = tableShape(ctx.dataSource, ReportFigure);
      const params = new SqlParams();
      const rows = await ctx.sql(figuresSql(params, ids), params.values);
      const byReport = new Map<number, ReportFigure[]>(ids.map((id) => [id, []]));
      for (const row of rows) byReport.get(row.report_id as number)!.push(shape.map(row));
      return ids.map((id) => byReport.get(id)!);
    })
    .load(reportId);
}

/** A ReportFilter with keys resolved to ids, checked, ready for SQL. */
export interface ResolvedReportFilter {
  text?: string;
  publisher?: number[];
  publishedFrom?: string;
  publishedTo?: string;
  updatedSince?: string;
}

/** Checks a ReportFilter and resolves its company keys; errors name the field. */
export async function resolveReportFilter(ctx: Context, filter: ReportFilter | null | undefined): Promise<ResolvedReportFilter> {
  if (!filter) return {};
  const text = checkSearchText(filter.text, "filter.text");
  checkDateRange(filter, "publishedFrom", "publishedTo", "filter");
  return {
    text,
    publisher: await requireCompanyIds(ctx, filter.publisher, "filter.publisher"),
    ...givenValues(filter, "publishedFrom", "publishedTo"),
    updatedSince: updatedSinceIso(filter.updatedSince),
  };
}

/** SQL conditions for a resolved ReportFilter over the report alias `e`. */
export function reportFilterSql(filter: ResolvedReportFilter, params: SqlParams): string[] {
  const where: string[] = [];
  if (filter.text) where.push(searchCondition("report", filter.text, params));
  if (filter.publisher) where.push(`e.publisher_id = ANY(${params.add(filter.publisher)}::int[])`);
  if (filter.publishedFrom) where.push(`e.published_on >= ${params.add(filter.publishedFrom)}::date`);
  if (filter.publishedTo) where.push(`e.published_on <= ${params.add(filter.publishedTo)}::date`);
  where.push(...updatedSinceSql(filter.updatedSince, params));
  return where;
}

/** Where a reports list hangs: the whole graph, a publisher, an operation it disclosed, or a statement about it. */
export type ReportScope =
  { kind: "all" } | { kind: "publisher"; companyId: number } | { kind: "operation"; operationId: number } | { kind: "statement"; statementId: number };

const reportScope = scopeByKind<ReportScope>({
  all: () => wholeScope("report"),
  publisher: (scope) => columnScope("report", "publisher_id", "int", scope.companyId),
  operation: (scope) => linkScope("report", "operation_report", "operation_id", "int", scope.operationId),
  statement: (scope) => linkScope("report", "statement_report", "statement_id", "int", scope.statementId),
});

/** The reports' list as `listSpec` takes it: orderings, filter, scopes; compiled selections page through it too. */
export const REPORT_LIST: ListOf<Report, ReportFilter, ResolvedReportFilter, ReportScope> = REPORTS.list(ReportOrder, {
  sorts: SORT,
  resolveFilter: resolveReportFilter,
  filterSql: reportFilterSql,
  scope: reportScope,
});

/** What a page of reports carries for what the query selects on its nodes (`selection` is the connection's): the publisher. */
const reportNodeEmbeds = (ctx: Context, selection: Selection) => reportEmbeds(ctx, selection.nodeFields, selection.underNodes("publisher").fields);

/** The reports at the top of the graph, filtered and ordered; what `selection` asks of each comes in the page's statement. */
export function reportsConnection(ctx: Context, args: ReportConnectionArgs, selection: Selection = NOTHING_SELECTED): Promise<ConnectionResult<Report>> {
  return listConnection(ctx, REPORT_LIST, args, { kind: "all" }, selection, reportNodeEmbeds(ctx, selection));
}

/** A nested list of reports, declared once (see `listRelation`), each report carrying what the query selects on it. */
const reportsUnder = (field: string, scope: ReportScope) =>
  listRelation({ field, args: ReportConnectionArgs, parent: BY_ID, list: REPORT_LIST, scope, embeds: reportNodeEmbeds });

/** `Operation.reports`: the reports that disclosed an operation; a lookup of the operation carries its page. */
export const OPERATION_REPORTS = reportsUnder("reports", { kind: "operation", operationId: 0 });
/** `Company.reportsPublished`: the reports a company published; a lookup of the company carries its page. */
export const COMPANY_REPORTS_PUBLISHED = reportsUnder("reportsPublished", { kind: "publisher", companyId: 0 });
/** `Statement.reports`: the reports a statement is about. */
export const STATEMENT_REPORTS = reportsUnder("reports", { kind: "statement", statementId: 0 });
