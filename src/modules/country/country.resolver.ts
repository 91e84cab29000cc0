import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Country } from "./country.entity";
import { CountryConnection } from "./country.connection";
import { CountryConnectionArgs } from "./country.inputs";
import { countriesConnection, countryByCode } from "./country.service";
import { COUNTRY_OPERATIONS_ORIGINATING, COUNTRY_OPERATIONS_TARGETING, OperationConnection, OperationConnectionArgs } from "../operation";
import { COUNTRY_COMPANIES, CompanyConnection, CompanyConnectionArgs } from "../company";
import { COUNTRY_STATEMENTS, StatementConnection, StatementConnectionArgs } from "../statement";

@Resolver(() => Country)
export class CountryResolver {
  @Query(() => Country, {
    nullable: true,
    description: "The country with this ISO 3166-1 alpha-2 code (case-insensitive); a NOT_FOUND error when there is none.",
  })
  country(@Ctx() ctx: Context, @Arg("code", { description: "ISO 3166-1 alpha-2 code, e.g. `CN`." }) code: string, @Selected() selection: Selection) {
    return countryByCode(ctx, code, selection);
  }

  @Query(() => CountryConnection, { description: "All ISO 3166-1 countries and territories." })
  countries(@Ctx() ctx: Context, @Args() args: CountryConnectionArgs) {
    return countriesConnection(ctx, args);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations attributed to this country (ORIGIN edges), at any confidence." })
  operationsOriginating(
    @Root() country: Country,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COUNTRY_OPERATIONS_ORIGINATING.connection(ctx, country, args, selection);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations that targeted this country (TARGET edges)." })
  operationsTargeting(
    @Root() country: Country,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COUNTRY_OPERATIONS_TARGETING.connection(ctx, country, args, selection);
  }

  @FieldResolver(() => CompanyConnection, { description: "Companies headquartered in this country." })
  companies(@Root() country: Country, @Ctx() ctx: Context, @Args(() => CompanyConnectionArgs) args: CompanyConnectionArgs, @Selected() selection: Selection) {
    return COUNTRY_COMPANIES.connection(ctx, country, args, selection);
  }

  @FieldResolver(() => StatementConnection, { description: "Statements made on behalf of this country." })
  statements(
    @Root() country: Country,
    @Ctx() ctx: Context,
    @Args(() => StatementConnectionArgs) args: StatementConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COUNTRY_STATEMENTS.connection(ctx, country, args, selection);
  }
}
