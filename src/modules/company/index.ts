/** The company module's public surface: entity, connection and arguments, lookups, and its resolver. */
export { Company, CompanyKind } from "./company.entity";
export { CompanyConnection } from "./company.connection";
export { CompanyConnectionArgs } from "./company.inputs";
export { COMPANY_LIST, COUNTRY_COMPANIES, companiesById, companiesByKey, companiesConnection, requireCompanyIds } from "./company.service";
export { CompanyResolver } from "./company.resolver";
