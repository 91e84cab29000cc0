import type { Context } from "../../context";
import { givenValues } from "../../common/given-values";
import { checkDateRange, distinct } from "../../common/filter-values";
import type { ConnectionResult } from "../../common/connection";
import type { SortKey } from "../../common/cursor";
import type { Selection } from "../../common/selection";
import { listConnection, scopeByKind, wholeScope, columnScope, linkScope } from "../../common/list-connection";
import { listRelation } from "../../common/list-relation";
import { BY_ID } from "../../common/list";
import type { EmbedParent } from "../../common/list";
import type { ListOf } from "../../common/list-connection";
import { keyedList } from "../../common/keyed-list";
import type { OrderFieldOf } from "../../common/sort-order";
import { SqlParams } from "../../db/sql";
import { checkSearchText, searchCondition } from "../../common/search";
import { requireCountryCodes } from "../country";
import { requireCompanyIds } from "../company";
import { requireReportIds } from "../report";
import { requireOperationIds } from "../operation";
import { Statement } from "./statement.entity";
import { StatementConnectionArgs, StatementOrder } from "./statement.inputs";
import type { StatementFilter } from "./statement.inputs";
import { updatedSinceIso, updatedSinceSql } from "../sync";

const SORT: Record<Exclude<OrderFieldOf<typeof StatementOrder>, "RELEVANCE">, SortKey> = {
  SAID_ON: { field: "SAID_ON", expr: "COALESCE(e.said_on, DATE '0001-01-01')", type: "date" },
  SPEAKER: { field: "SPEAKER", expr: "e.speaker COLLATE reader_order", type: "text" },
  KEY: { field: "KEY", expr: "e.key", type: "text" },
};

const STATEMENTS = keyedList(Statement, "statement");

export const statementsByKey = STATEMENTS.byKey;
/** The statement with this key, or a NOT_FOUND error. */
export const statementByKey = (ctx: Context, key: string): Promise<Statement> => STATEMENTS.requireKey(ctx, key);

/** A StatementFilter with keys resolved to ids, checked, ready for SQL. */
export interface ResolvedStatementFilter {
  text?: string;
  stance?: string[];
  country?: string[];
  organization?: number[];
  report?: number[];
  operation?: number[];
  saidFrom?: string;
  saidTo?: string;
  updatedSince?: string;
}

/** Checks a StatementFilter and resolves its keys and codes; errors name the field. */
export async function resolveStatementFilter(ctx: Context, filter: StatementFilter | null | undefined): Promise<ResolvedStatementFilter> {
  if (!filter) return {};
  const text = checkSearchText(filter.text, "filter.text");
  checkDateRange(filter, "saidFrom", "saidTo", "filter");
  const [country, organization, report, operation] = await Promise.all([
    requireCountryCodes(ctx, filter.country, "filter.country"),
    requireCompanyIds(ctx, filter.organization, "filter.organization"),
    requireReportIds(ctx, filter.report, "filter.report"),
    requireOperationIds(ctx, filter.operation, "filter.operation"),
  ]);
  return {
    text,
    stance: distinct(filter.stance),
    country,
    organization,
    report,
    operation,
    ...givenValues(filter, "saidFrom", "saidTo"),
    updatedSince: updatedSinceIso(filter.updatedSince),
  };
}

/** SQL conditions for a resolved StatementFilter over the statement alias `e`. */
export function statementFilterSql(filter: ResolvedStatementFilter, params: SqlParams): string[] {
  const where: string[] = [];
  if (filter.text) where.push(searchCondition("statement", filter.text, params));
  if (filter.stance) where.push(`e.stance = ANY(${params.add(filter.stance)}::text[])`);
  if (filter.country) where.push(`e.country_code = ANY(${params.add(filter.country)}::bpchar[])`);
  if (filter.organization) where.push(`e.organization_id = ANY(${params.add(filter.organization)}::int[])`);
  if (filter.report) {
    where.push(`EXISTS (SELECT 1 FROM statement_report x WHERE x.statement_id = e.id AND x.report_id = ANY(${params.add(filter.report)}::int[]))`);
  }
  if (filter.operation) {
    where.push(`EXISTS (SELECT 1 FROM statement_operation x WHERE x.statement_id = e.id AND x.operation_id = ANY(${params.add(filter.operation)}::int[]))`);
  }
  if (filter.saidFrom) where.push(`e.said_on >= ${params.add(filter.saidFrom)}::date`);
  if (filter.saidTo) where.push(`e.said_on <= ${params.add(filter.saidTo)}::date`);
  where.push(...updatedSinceSql(filter.updatedSince, params));
  return where;
}

/** Where a statements list hangs: the whole graph or a record the statements are about or from. */
export type StatementScope =
  | { kind: "all" }
  | { kind: "report"; reportId: number }
  | { kind: "operation"; operationId: number }
  | { kind: "organization"; companyId: number }
  | { kind: "country"; code: string };

const statementScope = scopeByKind<StatementScope>({
  all: () => wholeScope("statement"),
  report: (scope) => linkScope("statement", "statement_report", "report_id", "int", scope.reportId),
  operation: (scope) => linkScope("statement", "statement_operation", "operation_id", "int", scope.operationId),
  organization: (scope) => columnScope("statement", "organization_id", "int", scope.companyId),
  country: (scope) => columnScope("statement", "country_code", "bpchar", scope.code),
});

/** The statements' list as `listSpec` takes it: orderings, filter, scopes; compiled selections page through it too. */
export const STATEMENT_LIST: ListOf<Statement, StatementFilter, ResolvedStatementFilter, StatementScope> = STATEMENTS.list(StatementOrder, {
  sorts: SORT,
  resolveFilter: resolveStatementFilter,
  filterSql: statementFilterSql,
  scope: statementScope,
});

/** The statements at the top of the graph, filtered and ordered. */
export function statementsConnection(ctx: Context, args: StatementConnectionArgs, selection?: Selection): Promise<ConnectionResult<Statement>> {
  return listConnection(ctx, STATEMENT_LIST, args, { kind: "all" }, selection);
}

/** A nested list of statements, declared once (see `listRelation`). */
const statementsUnder = <R>(parent: EmbedParent<R>, scope: StatementScope) =>
  listRelation({ field: "statements", args: StatementConnectionArgs, parent, list: STATEMENT_LIST, scope });

/** `Operation.statements`, `Report.statements`, `Company.statements`, `Country.statements`: statements about or from the record. */
export const OPERATION_STATEMENTS = statementsUnder(BY_ID, { kind: "operation", operationId: 0 });
export const REPORT_STATEMENTS = statementsUnder(BY_ID, { kind: "report", reportId: 0 });
export const COMPANY_STATEMENTS = statementsUnder(BY_ID, { kind: "organization", companyId: 0 });
export const COUNTRY_STATEMENTS = statementsUnder<{ code: string }>({ column: "code", of: (country) => country.code }, { kind: "country", code: "" });
