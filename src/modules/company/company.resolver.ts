import { ListField } from "../../common/list-field";
import { KeyedResolver, ListQuery } from "../../common/root-queries";
import { ReferenceField } from "../../common/reference-field";
import { Company } from "./company.entity";
import { CompanyConnection } from "./company.connection";
import { CompanyConnectionArgs } from "./company.inputs";
import { companiesConnection, companyByKey } from "./company.service";
import { Country, countriesByCode } from "../country";
import { COMPANY_REPORTS_PUBLISHED, ReportConnection } from "../report";
import { COMPANY_OPERATIONS_ON_PLATFORM, COMPANY_OPERATIONS_OPERATED, COMPANY_OPERATIONS_USING_TOOL, OperationConnection } from "../operation";
import { COMPANY_STATEMENTS, StatementConnection } from "../statement";

@ListQuery(
  "companies",
  () => CompanyConnection,
  CompanyConnectionArgs,
  companiesConnection,
  "Companies and other organisations: publishers, AI providers, platforms, operators.",
)
@KeyedResolver("company", () => Company, "Slug key, e.g. `openai`.", companyByKey)
export class CompanyResolver {
  @ReferenceField(Company, () => Country, "hqCountryCode", () => countriesByCode, "Country of the headquarters, where known.")
  hqCountry!: unknown;

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
