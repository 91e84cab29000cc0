import type { Context } from "../../context";
import { countedOperations, operationCountSql, operationFilterSql, resolveOperationFilter } from "./operation.filter";
import type { ResolvedOperationFilter } from "./operation.filter";
import type { ConnectionResult } from "../../common/connection";
import type { SortKey } from "../../common/cursor";
import { listConnection, scopeByKind, wholeScope, linkScope } from "../../common/list-connection";
import { listRelation } from "../../common/list-relation";
import type { ListOf } from "../../common/list-connection";
import { keyedList } from "../../common/keyed-list";
import type { OrderFieldOf } from "../../common/sort-order";
import { Operation } from "./operation.entity";
import { edgeEmbeds } from "./operation.edges";
import { CompanyRole } from "./operation.enums";
import { OperationConnectionArgs, OperationOrder } from "./operation.inputs";
import type { OperationFilter } from "./operation.inputs";
import { NOTHING_SELECTED } from "../../common/selection";
import { OPERATION_REPORTS } from "../report";
import type { Selection } from "../../common/selection";
import { BY_ID } from "../../common/list";
import type { EmbedParent } from "../../common/list";
import type { Embed } from "../../common/embeds";
import type { SqlParams } from "../../db/sql";

const SORT: Record<Exclude<OrderFieldOf<typeof OperationOrder>, "RELEVANCE">, SortKey> = {
  NAME: { field: "NAME", expr: "e.name COLLATE reader_order", type: "text" },
  KEY: { field: "KEY", expr: "e.key", type: "text" },
  FIRST_DISCLOSED: { field: "FIRST_DISCLOSED", expr: "COALESCE(e.first_disclosed_on, DATE '0001-01-01')", type: "date" },
  BREAKOUT_SCALE: { field: "BREAKOUT_SCALE", expr: "COALESCE(e.breakout_scale, 0)", type: "int" },
  ACCOUNTS_BANNED: { field: "ACCOUNTS_BANNED", expr: "COALESCE(e.accounts_banned, -1)", type: "int" },
};

const OPERATIONS = keyedList(Operation, "operation");

export const operationsByKey = OPERATIONS.byKey;
/**
 * The operation with this key, or a NOT_FOUND error; only the columns `selection` needs are read,
 * and its edge lists and its page of reports (when one `reports` field is selected) come in the
 * same statement.
 */
export async function operationByKey(ctx: Context, key: string, selection: Selection): Promise<Operation> {
  const embeds = edgeEmbeds(ctx, selection);
  const reports = await OPERATION_REPORTS.embed(ctx, selection);
  if (reports) embeds.push(reports);
  return OPERATIONS.requireKey(ctx, key, embeds, selection.fields);
}

/** Resolves operation keys named in a filter to ids; an unknown key is an error naming the field. */
export const requireOperationIds = OPERATIONS.requireIds;

/** Where an operations list hangs: the whole graph or one end of an edge. */
export type OperationScope =
  | { kind: "all" }
  | { kind: "report"; reportId: number }
  | { kind: "originCountry"; code: string }
  | { kind: "targetCountry"; code: string }
  | { kind: "aiTool" | "platform" | "operator"; companyId: number }
  | { kind: "statement"; statementId: number };

/** Operations at the company end of an edge in one role. */
const companyRoleScope = (role: CompanyRole, companyId: number) =>
  linkScope("operation", "operation_company", "company_id", "int", companyId, ` AND l.role = '${role}'`);

const operationScope = scopeByKind<OperationScope>({
  all: () => wholeScope("operation"),
  report: (scope) => linkScope("operation", "operation_report", "report_id", "int", scope.reportId),
  originCountry: (scope) => linkScope("operation", "operation_origin", "country_code", "bpchar", scope.code),
  targetCountry: (scope) => linkScope("operation", "operation_target", "country_code", "bpchar", scope.code),
  aiTool: (scope) => companyRoleScope(CompanyRole.AI_TOOL, scope.companyId),
  platform: (scope) => companyRoleScope(CompanyRole.PLATFORM, scope.companyId),
  operator: (scope) => companyRoleScope(CompanyRole.OPERATOR, scope.companyId),
  statement: (scope) => linkScope("operation", "statement_operation", "statement_id", "int", scope.statementId),
});

/**
 * The maintained count of a list of operations, where there is one: the whole graph under a filter
 * the counters hold (see `operationCountSql`), or a country's unfiltered origin or target list
 * (whose parent, `p.parent`, is the country code).
 */
function operationCount(filter: ResolvedOperationFilter, scope: OperationScope): ((params: SqlParams) => string) | undefined {
  if (scope.kind === "all") return operationCountSql(filter);
  if (Object.keys(filter).length > 0) return undefined;
  if (scope.kind === "originCountry") return () => countedOperations("ORIGIN_COUNTRY", "= p.parent::text");
  if (scope.kind === "targetCountry") return () => countedOperations("TARGET_COUNTRY", "= p.parent::text");
  return undefined;
}

/** The operations' list as `listSpec` takes it: orderings, filter, scopes; compiled selections page through it too. */
export const OPERATION_LIST: ListOf<Operation, OperationFilter, ResolvedOperationFilter, OperationScope> = OPERATIONS.list(OperationOrder, {
  sorts: SORT,
  resolveFilter: resolveOperationFilter,
  filterSql: operationFilterSql,
  scope: operationScope,
  count: operationCount,
});

/**
 * The operations at the top of the graph, filtered and ordered; what `selection` asks of each comes
 * in the page's statement, with each operation's page of reports when one `reports` field is
 * selected on the nodes. (Edge lists keep their own set-based statement, see operation.edges.ts: a
 * page of reports per operation is a keyset scan per operation either way, so as a column it costs
 * PostgreSQL about the same and saves a statement.)
 */
export async function operationsConnection(
  ctx: Context,
  args: OperationConnectionArgs,
  selection: Selection = NOTHING_SELECTED,
): Promise<ConnectionResult<Operation>> {
  const reports = await OPERATION_REPORTS.nodesEmbed(ctx, selection);
  const embeds: Embed<Operation>[] = reports ? [reports] : [];
  return listConnection(ctx, OPERATION_LIST, args, { kind: "all" }, selection, embeds);
}

/** A nested list of operations, declared once (see `listRelation`). */
const operationsUnder = <R>(field: string, parent: EmbedParent<R>, scope: OperationScope) =>
  listRelation({ field, args: OperationConnectionArgs, parent, list: OPERATION_LIST, scope });

const BY_CODE: EmbedParent<{ code: string }> = { column: "code", of: (country) => country.code };

/** `Report.operations`: the operations a report disclosed; a lookup of the report carries its page. */
export const REPORT_OPERATIONS = operationsUnder("operations", BY_ID, { kind: "report", reportId: 0 });
/** `Country.operationsOriginating`: operations attributed to a country; a lookup of the country carries its page. */
export const COUNTRY_OPERATIONS_ORIGINATING = operationsUnder("operationsOriginating", BY_CODE, { kind: "originCountry", code: "" });
/** `Country.operationsTargeting`: operations that targeted a country; a lookup of the country carries its page. */
export const COUNTRY_OPERATIONS_TARGETING = operationsUnder("operationsTargeting", BY_CODE, { kind: "targetCountry", code: "" });
/** `Company.operationsUsingTool`, `operationsOnPlatform`, `operationsOperated`: operations by the company's role in them. */
export const COMPANY_OPERATIONS_USING_TOOL = operationsUnder("operationsUsingTool", BY_ID, { kind: "aiTool", companyId: 0 });
export const COMPANY_OPERATIONS_ON_PLATFORM = operationsUnder("operationsOnPlatform", BY_ID, { kind: "platform", companyId: 0 });
export const COMPANY_OPERATIONS_OPERATED = operationsUnder("operationsOperated", BY_ID, { kind: "operator", companyId: 0 });
/** `Statement.operations`: the operations a statement is about. */
export const STATEMENT_OPERATIONS = operationsUnder("operations", BY_ID, { kind: "statement", statementId: 0 });
