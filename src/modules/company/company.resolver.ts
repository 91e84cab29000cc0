import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { ListField } from "../../common/list-field";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Company } from "./company.entity";
import { CompanyConnection } from "./company.connection";
import { CompanyConnectionArgs } from "./company.inputs";
import { companiesConnection, companyByKey } from "./company.service";
import { Country, countriesByCode } from "../country";
import { COMPANY_REPORTS_PUBLISHED, ReportConnection } from "../report";
import { COMPANY_OPERATIONS_ON_PLATFORM, COMPANY_OPERATIONS_OPERATED, COMPANY_OPERATIONS_USING_TOOL, OperationConnection } from "../operation";
import { COMPANY_STATEMENTS, StatementConnection } from "../statement";

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

  @ListField(Company, () => ReportConnection, () => COMPANY_REPORTS_PUBLISHED, "Threat reports this company published.")
  reportsPublished!: unknown;

  @ListField(Company, () => OperationConnection, () => COMPANY_OPERATIONS_USING_TOOL, "Operations that misused this company's AI models (AI_TOOL edges).")
  operationsUsingTool!: unknown;

  @ListField(
    Company,
    () => OperationConnection,
    () => COMPANY_OPERATIONS_ON_PLATFORM,
    "Operations whose content appeared on this company's platform (PLATFORM edges).",
  )
  operationsOnPlatform!: unknown;

  @ListField(
    Company,
    () => OperationConnection,
    () => COMPANY_OPERATIONS_OPERATED,
    "Operations this organisation is named as running or being behind (OPERATOR edges).",
  )
  operationsOperated!: unknown;

  @ListField(Company, () => StatementConnection, () => COMPANY_STATEMENTS, "Statements made on behalf of this organisation.")
  statements!: unknown;
}
