import { Arg, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { ListField } from "../../common/list-field";
import { ListQuery } from "../../common/root-queries";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Country } from "./country.entity";
import { CountryConnection } from "./country.connection";
import { CountryConnectionArgs } from "./country.inputs";
import { countriesConnection, countryByCode } from "./country.service";
import { COUNTRY_OPERATIONS_ORIGINATING, COUNTRY_OPERATIONS_TARGETING, OperationConnection } from "../operation";
import { COUNTRY_COMPANIES, CompanyConnection } from "../company";
import { COUNTRY_STATEMENTS, StatementConnection } from "../statement";

@ListQuery("countries", () => CountryConnection, CountryConnectionArgs, countriesConnection, "All ISO 3166-1 countries and territories.")
@Resolver(() => Country)
export class CountryResolver {
  @Query(() => Country, {
    nullable: true,
    description: "The country with this ISO 3166-1 alpha-2 code (case-insensitive); a NOT_FOUND error when there is none.",
  })
  country(@Ctx() ctx: Context, @Arg("code", { description: "ISO 3166-1 alpha-2 code, e.g. `CN`." }) code: string, @Selected() selection: Selection) {
    return countryByCode(ctx, code, selection);
  }

  @ListField(
    Country,
    () => OperationConnection,
    () => COUNTRY_OPERATIONS_ORIGINATING,
    "Operations attributed to this country (ORIGIN edges), at any confidence.",
  )
  operationsOriginating!: unknown;

  @ListField(Country, () => OperationConnection, () => COUNTRY_OPERATIONS_TARGETING, "Operations that targeted this country (TARGET edges).")
  operationsTargeting!: unknown;

  @ListField(Country, () => CompanyConnection, () => COUNTRY_COMPANIES, "Companies headquartered in this country.")
  companies!: unknown;

  @ListField(Country, () => StatementConnection, () => COUNTRY_STATEMENTS, "Statements made on behalf of this country.")
  statements!: unknown;
}
