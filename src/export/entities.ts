import type { Context } from "../context";
import { SqlParams } from "../db/sql";
import { operationFilterSql, resolveOperationFilter } from "../modules/operation";
import { reportFilterSql, resolveReportFilter } from "../modules/report";
import { resolveStatementFilter, statementFilterSql } from "../modules/statement";
import { requireCountryCodes } from "../modules/country";
import { checkSearchText, searchCondition } from "../common/search";
import { COMPANY_COLUMNS, COUNTRY_COLUMNS, OPERATION_COLUMNS, REPORT_COLUMNS, STATEMENT_COLUMNS } from "./columns";
import type { Column } from "./columns";
import { updatedSinceIso, updatedSinceSql } from "../modules/sync";

/** The WHERE conditions a filter selects, with their parameters. */
export interface Selection {
  where: string[];
  params: SqlParams;
}

/** One exportable list: its table, record key, filter input type and columns. */
export interface ExportEntity {
  /** The path segment: `/export/<name>.csv`. */
  name: string;
  /** FROM clause with the alias `e`. */
  from: string;
  /** Name of the column that carries the record key; always written. */
  keyColumn: string;
  /** Sort order of the rows (stable: on the unique key). */
  orderBy: string;
  /** The GraphQL input type of the list's `filter` argument; query parameters are coerced to it. */
  filterType: string;
  columns: Column[];
  /** Checks and resolves a coerced filter exactly as the GraphQL list does; errors name `filter.<field>`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the filter was coerced by the schema to the list's filter input type
  select(ctx: Context, filter: Record<string, any> | null): Promise<Selection>;
}

const selection = (where: (params: SqlParams) => string[]): Selection => {
  const params = new SqlParams();
  return { where: where(params), params };
};

/** An exportable list of `table`, sorted by its unique `keyColumn`. */
const list = (name: string, table: string, filterType: string, columns: Column[], select: ExportEntity["select"], keyColumn = "key"): ExportEntity => ({
  name,
  from: `${table} e`,
  keyColumn,
  orderBy: `e.${keyColumn}`,
  filterType,
  columns,
  select,
});

/** The selection of a list whose module resolves and renders its filter, exactly as for the GraphQL list. */
const asTheListFilters =
  <F, R>(resolve: (ctx: Context, filter: F) => Promise<R>, sql: (resolved: R, params: SqlParams) => string[]): ExportEntity["select"] =>
  async (ctx, filter) => {
    const resolved = await resolve(ctx, filter as F);
    return selection((params) => sql(resolved, params));
  };

// The same conditions as companiesConnection (company.service.ts), with the text condition first.
const selectCompanies: ExportEntity["select"] = async (ctx, filter) => {
  const kinds = filter?.kind?.length ? [...new Set(filter.kind as string[])] : undefined;
  const hqCountries = await requireCountryCodes(ctx, filter?.hqCountry, "filter.hqCountry");
  const text = checkSearchText(filter?.text as string | undefined, "filter.text");
  return selection((params) => [
    ...(text ? [searchCondition("company", text, params)] : []),
    ...(kinds ? [`e.kind = ANY(${params.add(kinds)}::text[])`] : []),
    ...(hqCountries ? [`e.hq_country_code = ANY(${params.add(hqCountries)}::bpchar[])`] : []),
    ...updatedSinceSql(updatedSinceIso(filter?.updatedSince as Date | null | undefined), params),
  ]);
};

// The same condition as countriesConnection, which keeps it inline.
const selectCountries: ExportEntity["select"] = async (_ctx, filter) => {
  const regions = filter?.region?.length ? [...new Set(filter.region as string[])] : undefined;
  return selection((params) => (regions ? [`e.region = ANY(${params.add(regions)}::text[])`] : []));
};

export const EXPORT_ENTITIES: Record<string, ExportEntity> = {
  operations: list("operations", "operation", "OperationFilter", OPERATION_COLUMNS, asTheListFilters(resolveOperationFilter, operationFilterSql)),
  reports: list("reports", "report", "ReportFilter", REPORT_COLUMNS, asTheListFilters(resolveReportFilter, reportFilterSql)),
  statements: list("statements", "statement", "StatementFilter", STATEMENT_COLUMNS, asTheListFilters(resolveStatementFilter, statementFilterSql)),
  companies: list("companies", "company", "CompanyFilter", COMPANY_COLUMNS, selectCompanies),
  countries: list("countries", "country", "CountryFilter", COUNTRY_COLUMNS, selectCountries, "code"),
};
