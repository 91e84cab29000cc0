/** The statement module's public surface: entities, stance, filter and connection, lookups, and its resolver. */
export { Stance, Statement, StatementOperation, StatementReport } from "./statement.entity";
export { StatementConnectionArgs, StatementFilter } from "./statement.inputs";
export { StatementConnection } from "./statement.connection";
export {
  COMPANY_STATEMENTS,
  COUNTRY_STATEMENTS,
  OPERATION_STATEMENTS,
  REPORT_STATEMENTS,
  STATEMENT_LIST,
  resolveStatementFilter,
  statementFilterSql,
  statementsByKey,
  statementsConnection,
} from "./statement.service";
export type { ResolvedStatementFilter } from "./statement.service";
export { StatementResolver } from "./statement.resolver";
