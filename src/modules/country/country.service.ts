import type { Context } from "../../context";
import { BadUserInputError, NotFoundError } from "../../common/errors";
import type { ConnectionResult } from "../../common/connection";
import { pageRequest } from "../../common/cursor";
import type { SortKey } from "../../common/cursor";
import { connection } from "../../common/list";
import type { ConnectionSpec } from "../../common/list";
import { loadAll, rowsBy } from "../../common/embeds";
import { SqlParams } from "../../db/sql";
import { truncate } from "../../common/global-id";
import { Country } from "./country.entity";
import type { OrderFieldOf } from "../../common/sort-order";
import { CountryOrder } from "./country.inputs";
import { COUNTRY_OPERATIONS_ORIGINATING, COUNTRY_OPERATIONS_TARGETING } from "../operation";
import { NOTHING_SELECTED } from "../../common/selection";
import type { Selection } from "../../common/selection";
import type { Embed } from "../../common/embeds";
import type { CountryConnectionArgs } from "./country.inputs";

const SORT: Record<OrderFieldOf<typeof CountryOrder>, SortKey> = {
  NAME: { field: "NAME", expr: "e.name COLLATE reader_order", type: "text" },
  CODE: { field: "CODE", expr: "e.code", type: "text" },
};

/** Request-scoped loader of countries by ISO alpha-2 code; with `columns` (from `columnsFor`), one that reads only those. */
export const countriesByCode = (ctx: Context, columns: readonly string[] | null = null) => rowsBy<Country, string>(ctx, Country, "code", [], columns);

/** Countries for the given codes, in order. */
export function countriesWithCodes(ctx: Context, codes: readonly string[]): Promise<Country[]> {
  return loadAll(countriesByCode(ctx), codes);
}

/**
 * The country with this code, or a NOT_FOUND error; the pages of its operation lists selected
 * (one `operationsOriginating`, one `operationsTargeting`) come in the same statement.
 */
export async function countryByCode(ctx: Context, code: string, selection: Selection = NOTHING_SELECTED): Promise<Country> {
  const embeds = await Promise.all([COUNTRY_OPERATIONS_ORIGINATING.embed(ctx, selection), COUNTRY_OPERATIONS_TARGETING.embed(ctx, selection)]);
  const country = await rowsBy<Country, string>(
    ctx,
    Country,
    "code",
    embeds.filter((embed): embed is Embed<Country> => !!embed),
  ).load(code.toUpperCase());
  if (!country) throw new NotFoundError(`No country with code "${truncate(code)}"`);
  return country;
}

/**
 * Checks that every code in a filter names a country, so a typo is an error rather than an empty
 * result. Codes are matched case-insensitively and returned upper-case.
 */
export async function requireCountryCodes(ctx: Context, codes: readonly string[] | null | undefined, path: string): Promise<string[] | undefined> {
  if (!codes || codes.length === 0) return undefined;
  const upper = codes.map((code) => code.toUpperCase());
  const found = await countriesByCode(ctx).loadMany(upper);
  // A lookup that failed (a busy pool, a lost database) is that failure, not an unknown key.
  const failed = found.find((row) => row instanceof Error);
  if (failed) throw failed;
  const unknown = codes.filter((_, index) => !found[index]);
  if (unknown.length > 0) {
    throw new BadUserInputError(
      `${path}: unknown country code${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `"${truncate(c)}"`).join(", ")} (use ISO 3166-1 alpha-2 codes such as "CN")`,
      path,
    );
  }
  return [...new Set(upper)];
}

/** The countries list, filtered by region and paged. */
export async function countriesConnection(ctx: Context, args: CountryConnectionArgs): Promise<ConnectionResult<Country>> {
  return connection(ctx, countriesSpec(args));
}

/** The countries' list as `connection` takes it (compiled selections page through it too); errors in the arguments name them. */
export function countriesSpec(args: CountryConnectionArgs): ConnectionSpec<number, Country> {
  const order = args.orderBy ?? new CountryOrder();
  const request = pageRequest(args, "Country", SORT[order.field], order.direction, "text");
  const regions = args.filter?.region?.length ? [...new Set(args.filter.region)] : null;
  return {
    request,
    parent: 0,
    source: (params = new SqlParams()) => {
      return {
        type: "Country",
        from: "country e",
        idExpr: "e.code",
        idType: "text",
        where: regions ? [`e.region = ANY(${params.add(regions)}::text[])`] : [],
        params,
      };
    },
    entity: Country,
  };
}
