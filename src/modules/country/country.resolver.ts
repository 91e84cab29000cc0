import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../../context";
import { Selected, argumentsOf } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Country } from "./country.entity";
import { CountryConnection } from "./country.connection";
import { CountryConnectionArgs } from "./country.inputs";
import { countriesConnection, countryByCode } from "./country.service";
import { OperationConnection, OperationConnectionArgs, operationsConnection } from "../operation";
import { CompanyConnection, CompanyConnectionArgs, companiesConnection } from "../company";
import { StatementConnection, StatementConnectionArgs, statementsConnection } from "../statement";

@Resolver(() => Country)
export class CountryResolver {
  @Query(() => Country, {
    nullable: true,
    description: "The country with this ISO 3166-1 alpha-2 code (case-insensitive); a NOT_FOUND error when there is none.",
  })
  country(
    @Ctx() ctx: Context,
    @Arg("code", { description: "ISO 3166-1 alpha-2 code, e.g. `CN`." }) code: string,
    @Selected() selection: Selection,
    @Info() info: GraphQLResolveInfo,
  ) {
    const args = (field: "operationsOriginating" | "operationsTargeting") =>
      argumentsOf(info, selection.fieldNodes(field), "Country", field) as OperationConnectionArgs | null;
    return countryByCode(ctx, code, selection, { operationsOriginating: args("operationsOriginating"), operationsTargeting: args("operationsTargeting") });
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
    return operationsConnection(ctx, args, { kind: "originCountry", code: country.code }, selection);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations that targeted this country (TARGET edges)." })
  operationsTargeting(
    @Root() country: Country,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return operationsConnection(ctx, args, { kind: "targetCountry", code: country.code }, selection);
  }

  @FieldResolver(() => CompanyConnection, { description: "Companies headquartered in this country." })
  companies(@Root() country: Country, @Ctx() ctx: Context, @Args(() => CompanyConnectionArgs) args: CompanyConnectionArgs, @Selected() selection: Selection) {
    return companiesConnection(ctx, args, { kind: "hqCountry", code: country.code }, selection);
  }

  @FieldResolver(() => StatementConnection, { description: "Statements made on behalf of this country." })
  statements(
    @Root() country: Country,
    @Ctx() ctx: Context,
    @Args(() => StatementConnectionArgs) args: StatementConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return statementsConnection(ctx, args, { kind: "country", code: country.code }, selection);
  }
}
