import { Country } from "../modules/country/country.entity";
import { Company } from "../modules/company/company.entity";
import { Report, ReportFigure } from "../modules/report/report.entity";
import { Operation, OperationCompany, OperationOrigin, OperationReport, OperationTarget } from "../modules/operation/operation.entity";
import { Statement, StatementOperation, StatementReport } from "../modules/statement/statement.entity";
import { DatasetImport } from "../modules/dataset/dataset.entity";
import { ApiKey } from "../modules/auth/api-key.entity";
import { AuditEntry } from "../modules/audit/audit.entity";
import { Deletion } from "../modules/sync/deletion.entity";

/** Every TypeORM entity, listed explicitly so nothing depends on file globs or import order. */
export const ENTITIES = [
  Country,
  Company,
  Report,
  ReportFigure,
  Operation,
  OperationReport,
  OperationOrigin,
  OperationTarget,
  OperationCompany,
  Statement,
  StatementReport,
  StatementOperation,
  DatasetImport,
  ApiKey,
  AuditEntry,
  Deletion,
];
