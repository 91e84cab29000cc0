import { ListField } from "../../common/list-field";
import { KeyedResolver, ListQuery } from "../../common/root-queries";
import { ReferenceField } from "../../common/reference-field";
import { Statement } from "./statement.entity";
import { StatementConnection } from "./statement.connection";
import { StatementConnectionArgs } from "./statement.inputs";
import { statementByKey, statementsConnection } from "./statement.service";
import { Country, countriesByCode } from "../country";
import { Company, companiesById } from "../company";
import { ReportConnection, STATEMENT_REPORTS } from "../report";
import { OperationConnection, STATEMENT_OPERATIONS } from "../operation";

@ListQuery("statements", () => StatementConnection, StatementConnectionArgs, statementsConnection, "Verbatim statements about reports and operations.")
@KeyedResolver("statement", () => Statement, "Slug key.", statementByKey)
export class StatementResolver {
  @ReferenceField(Statement, () => Company, "organizationId", () => companiesById, "The organisation the speaker spoke for, where known.")
  organization!: unknown;

  @ReferenceField(Statement, () => Country, "countryCode", () => countriesByCode, "The country the speaker spoke for, where the statement is a government's.")
  country!: unknown;

  @ListField(Statement, () => ReportConnection, () => STATEMENT_REPORTS, "Reports this statement is about.")
  reports!: unknown;

  @ListField(Statement, () => OperationConnection, () => STATEMENT_OPERATIONS, "Operations this statement is about.")
  operations!: unknown;
}
