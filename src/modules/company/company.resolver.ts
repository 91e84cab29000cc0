import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Company } from "./company.entity";
import { CompanyConnection } from "./company.connection";
import { CompanyConnectionArgs } from "./company.inputs";
import { companiesConnection, companyByKey } from "./company.service";
import { Country, countriesByCode } from "../country";
import { COMPANY_REPORTS_PUBLISHED, ReportConnection, ReportConnectionArgs } from "../report";
import {
  COMPANY_OPERATIONS_ON_PLATFORM,
  COMPANY_OPERATIONS_OPERATED,
  COMPANY_OPERATIONS_USING_TOOL,
  OperationConnection,
  OperationConnectionArgs,
} from "../operation";
import { COMPANY_STATEMENTS, StatementConnection, StatementConnectionArgs } from "../statement";

@Resolver(() => Company)
export class CompanyResolver {
  @Query(() => Company, { nullable: true, description: "The company with this key; a NOT_FOUND error when there is none." })
  company(@Ctx() ctx: Context, @Arg("key", { description: "Slug key, e.g. `openai`." }) key: string, @Selected() selection: Selection) {
    return companyByKey(ctx, key, selection);
  }

  @Query(() => CompanyConnection, { description: "Companies and other organisations: publishers, AI providers, platforms, operators." })
  companies(@Ctx() ctx: Context, @Args() args: CompanyConnectionArgs, @Selected() selection: Selection) {
    return companiesConnection(ctx, args, selection);
  }

  @FieldResolver(() => Country, { nullable: true, description: "Country of the headquarters, where known." })
  hqCountry(@Root() company: Company, @Ctx() ctx: Context) {
    return company.hqCountryCode ? countriesByCode(ctx).load(company.hqCountryCode) : null;
  }

  @FieldResolver(() => ReportConnection, { description: "Threat reports this company published." })
  reportsPublished(
    @Root() company: Company,
    @Ctx() ctx: Context,
    @Args(() => ReportConnectionArgs) args: ReportConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COMPANY_REPORTS_PUBLISHED.connection(ctx, company, args, selection);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations that misused this company's AI models (AI_TOOL edges)." })
  operationsUsingTool(
    @Root() company: Company,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COMPANY_OPERATIONS_USING_TOOL.connection(ctx, company, args, selection);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations whose content appeared on this company's platform (PLATFORM edges)." })
  operationsOnPlatform(
    @Root() company: Company,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COMPANY_OPERATIONS_ON_PLATFORM.connection(ctx, company, args, selection);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations this organisation is named as running or being behind (OPERATOR edges)." })
  operationsOperated(
    @Root() company: Company,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COMPANY_OPERATIONS_OPERATED.connection(ctx, company, args, selection);
  }

  @FieldResolver(() => StatementConnection, { description: "Statements made on behalf of this organisation." })
  statements(
    @Root() company: Company,
    @Ctx() ctx: Context,
    @Args(() => StatementConnectionArgs) args: StatementConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return COMPANY_STATEMENTS.connection(ctx, company, args, selection);
  }
}
