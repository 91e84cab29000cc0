import type { Context } from "../../context";
import { OrderDirection } from "../../common/connection";
import type { ConnectionResult } from "../../common/connection";
import { pageRequest } from "../../common/cursor";
import type { SortKey } from "../../common/cursor";
import { connection } from "../../common/list";
import { keyedRecords } from "../../common/keyed-records";
import { SqlParams } from "../../db/sql";
import { checkSearchText, searchCondition } from "../../common/search";
import { requireCountryCodes } from "../country";
import { Company } from "./company.entity";
import { CompanyOrderField } from "./company.inputs";
import type { CompanyConnectionArgs } from "./company.inputs";
import { updatedSinceIso, updatedSinceSql } from "../sync";

const SORT: Record<CompanyOrderField, SortKey> = {
  NAME: { field: "NAME", expr: "e.name", type: "text" },
  KEY: { field: "KEY", expr: "e.key", type: "text" },
};

const COMPANIES = keyedRecords(Company, "company");

export const companiesById = COMPANIES.byId;
export const companiesByKey = COMPANIES.byKey;
export const companiesWithIds = COMPANIES.withIds;
/** The company with this key, or a NOT_FOUND error. */
export const companyByKey = COMPANIES.requireKey;
/** Resolves company keys named in a filter to ids; an unknown key is an error naming the field. */
export const requireCompanyIds = COMPANIES.requireIds;

/** Where a companies list hangs: the whole graph, or the companies headquartered in a country. */
export type CompanyScope = { kind: "all" } | { kind: "hqCountry"; code: string };

/** A page of companies, filtered, ordered and scoped. */
export async function companiesConnection(
  ctx: Context,
  args: CompanyConnectionArgs,
  scope: CompanyScope = { kind: "all" },
): Promise<ConnectionResult<Company>> {
  const order = args.orderBy ?? { field: CompanyOrderField.NAME, direction: OrderDirection.ASC };
  const request = pageRequest(args, "Company", SORT[order.field], order.direction, "int");
  const kinds = args.filter?.kind?.length ? [...new Set(args.filter.kind)] : undefined;
  const hqCountries = await requireCountryCodes(ctx, args.filter?.hqCountry, "filter.hqCountry");
  const text = checkSearchText(args.filter?.text, "filter.text");
  const updatedSince = updatedSinceIso(args.filter?.updatedSince);
  return connection(ctx, {
    name: `Company<-${scope.kind}`,
    request,
    filterKey: JSON.stringify([kinds, hqCountries, text, updatedSince]),
    parent: scope.kind === "all" ? 0 : scope.code,
    source: () => {
      const params = new SqlParams();
      const where: string[] = [];
      if (kinds) where.push(`e.kind = ANY(${params.add(kinds)}::text[])`);
      if (hqCountries) where.push(`e.hq_country_code = ANY(${params.add(hqCountries)}::bpchar[])`);
      if (text) where.push(searchCondition("company", text, params));
      where.push(...updatedSinceSql(updatedSince, params));
      return {
        type: "Company",
        from: "company e",
        idExpr: "e.id",
        idType: "int",
        ...(scope.kind === "hqCountry" ? { parentExpr: "e.hq_country_code", parentType: "bpchar" as const } : {}),
        where,
        params,
      };
    },
    entity: Company,
    primes: companiesById,
  });
}
