import { Country } from "./modules/country";
import { Company } from "./modules/company";
import { Report, ReportFigure } from "./modules/report";
import { Operation, OperationCompany, OperationOrigin, OperationReport, OperationTarget } from "./modules/operation";
import { Statement, StatementOperation, StatementReport } from "./modules/statement";
import { DatasetImport } from "./modules/dataset";
import { ApiKey } from "./modules/auth";
import { AuditEntry } from "./modules/audit";
import { Deletion } from "./modules/sync";

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
