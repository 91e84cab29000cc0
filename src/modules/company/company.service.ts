import type { Context } from "../../context";
import type { ConnectionResult } from "../../common/connection";
import type { SortKey } from "../../common/cursor";
import { distinct } from "../../common/filter-values";
import { listConnection, scopeByKind, wholeScope, columnScope } from "../../common/list-connection";
import { listRelation } from "../../common/list-relation";
import type { ListOf } from "../../common/list-connection";
import { keyedList } from "../../common/keyed-list";
import type { OrderFieldOf } from "../../common/sort-order";
import { SqlParams } from "../../db/sql";
import { checkSearchText, searchCondition } from "../../common/search";
import { requireCountryCodes } from "../country";
import { Company } from "./company.entity";
import { CompanyConnectionArgs, CompanyOrder } from "./company.inputs";
import type { CompanyFilter } from "./company.inputs";
import { updatedSinceIso, updatedSinceSql } from "../sync";
import { COMPANY_REPORTS_PUBLISHED } from "../report";
import { NOTHING_SELECTED } from "../../common/selection";
import type { Selection } from "../../common/selection";

const SORT: Record<OrderFieldOf<typeof CompanyOrder>, SortKey> = {
  NAME: { field: "NAME", expr: "e.name COLLATE reader_order", type: "text" },
  KEY: { field: "KEY", expr: "e.key", type: "text" },
};

const COMPANIES = keyedList(Company, "company");

export const companiesById = COMPANIES.byId;
export const companiesByKey = COMPANIES.byKey;
/**
 * The company with this key, or a NOT_FOUND error; when one `reportsPublished` field is selected,
 * its page of reports comes in the same statement.
 */
export async function companyByKey(ctx: Context, key: string, selection: Selection = NOTHING_SELECTED): Promise<Company> {
  const reports = await COMPANY_REPORTS_PUBLISHED.embed(ctx, selection);
  return COMPANIES.requireKey(ctx, key, reports ? [reports] : []);
}
/** Resolves company keys named in a filter to ids; an unknown key is an error naming the field. */
export const requireCompanyIds = COMPANIES.requireIds;

/** A CompanyFilter with country codes resolved, checked, ready for SQL. */
interface ResolvedCompanyFilter {
  kinds?: string[];
  hqCountries?: string[];
  text?: string;
  updatedSince?: string;
}

/** Checks a CompanyFilter and resolves its country codes; errors name the field. */
async function resolveCompanyFilter(ctx: Context, filter: CompanyFilter | null | undefined): Promise<ResolvedCompanyFilter> {
  const kinds = distinct(filter?.kind);
  const hqCountries = await requireCountryCodes(ctx, filter?.hqCountry, "filter.hqCountry");
  const text = checkSearchText(filter?.text, "filter.text");
  return { kinds, hqCountries, text, updatedSince: updatedSinceIso(filter?.updatedSince) };
}

/** SQL conditions for a resolved CompanyFilter over the company alias `e`. */
function companyFilterSql(filter: ResolvedCompanyFilter, params: SqlParams): string[] {
  const where: string[] = [];
  if (filter.kinds) where.push(`e.kind = ANY(${params.add(filter.kinds)}::text[])`);
  if (filter.hqCountries) where.push(`e.hq_country_code = ANY(${params.add(filter.hqCountries)}::bpchar[])`);
  if (filter.text) where.push(searchCondition("company", filter.text, params));
  where.push(...updatedSinceSql(filter.updatedSince, params));
  return where;
}

/** Where a companies list hangs: the whole graph, or the companies headquartered in a country. */
export type CompanyScope = { kind: "all" } | { kind: "hqCountry"; code: string };

const companyScope = scopeByKind<CompanyScope>({
  all: () => wholeScope("company"),
  hqCountry: (scope) => columnScope("company", "hq_country_code", "bpchar", scope.code),
});

/** The companies' list as `listSpec` takes it: orderings, filter, scopes; compiled selections page through it too. */
export const COMPANY_LIST: ListOf<Company, CompanyFilter, ResolvedCompanyFilter, CompanyScope> = COMPANIES.list(CompanyOrder, {
  sorts: SORT,
  resolveFilter: resolveCompanyFilter,
  filterSql: companyFilterSql,
  scope: companyScope,
});

/** The companies at the top of the graph, filtered and ordered. */
export function companiesConnection(ctx: Context, args: CompanyConnectionArgs, selection?: Selection): Promise<ConnectionResult<Company>> {
  return listConnection(ctx, COMPANY_LIST, args, { kind: "all" }, selection);
}

/** `Country.companies`: the companies headquartered in a country. */
export const COUNTRY_COMPANIES = listRelation({
  field: "companies",
  args: CompanyConnectionArgs,
  parent: { column: "code", of: (country: { code: string }) => country.code },
  list: COMPANY_LIST,
  scope: { kind: "hqCountry", code: "" },
});
