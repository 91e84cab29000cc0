import type { ObjectLiteral } from "typeorm";
import type { ListOf } from "../common/list-connection";
import type { ConnectionSpec } from "../common/list";
import type { NodeTypeName } from "../common/global-id";
import { COMPANY_LIST, Company } from "../modules/company";
import { Country, countriesSpec } from "../modules/country";
import { OPERATION_LIST, Operation } from "../modules/operation";
import { REPORT_LIST, Report } from "../modules/report";
import { STATEMENT_LIST, Statement } from "../modules/statement";

/**
 * What a compiled selection (`sql-selections.ts`) knows of the schema: the tables behind the
 * record types, the one-to-one lookups and the lists it can write as SQL. Everything else falls
 * back to the resolvers. Each entry mirrors one resolver: the lists are the modules' own
 * `ListOf` definitions with the scope that resolver passes, so orderings, filters, counts and
 * cursors are the same statements' pieces.
 */
export interface RecordTable {
  table: string;
  entity: new () => ObjectLiteral;
  /** The column a global ID is built from, with the type's name. */
  keyColumn: "key" | "code";
  /** The column nested lists hang from (`ListScope.parentExpr` compares it to `p.parent`). */
  parentColumn: "id" | "code";
}

export const RECORD_TABLES: Readonly<Record<NodeTypeName, RecordTable>> = {
  Company: { table: "company", entity: Company, keyColumn: "key", parentColumn: "id" },
  Country: { table: "country", entity: Country, keyColumn: "code", parentColumn: "code" },
  Operation: { table: "operation", entity: Operation, keyColumn: "key", parentColumn: "id" },
  Report: { table: "report", entity: Report, keyColumn: "key", parentColumn: "id" },
  Statement: { table: "statement", entity: Statement, keyColumn: "key", parentColumn: "id" },
};

/** A field that is the one record a foreign key names: `on` joins the looked-up alias `x` to the record's alias `e`. */
export interface Lookup {
  type: NodeTypeName;
  on: (x: string, e: string) => string;
}

export const LOOKUPS: Readonly<Record<string, Lookup>> = {
  "Report.publisher": { type: "Company", on: (x, e) => `${x}.id = ${e}.publisher_id` },
  "Company.hqCountry": { type: "Country", on: (x, e) => `${x}.code = ${e}.hq_country_code` },
  "Statement.organization": { type: "Company", on: (x, e) => `${x}.id = ${e}.organization_id` },
  "Statement.country": { type: "Country", on: (x, e) => `${x}.code = ${e}.country_code` },
};

/**
 * A root field that looks one record up by an argument (`operation(key)`), NOT_FOUND left to the
 * resolver. `argument` is compared to `column` as `compare` writes it, and only when it matches
 * `accepts` (a country code is case-insensitive; anything else is the resolver's to answer).
 */
export interface RootLookup {
  type: NodeTypeName;
  argument: string;
  column: string;
  compare?: (param: string) => string;
  accepts?: RegExp;
}

export const ROOT_LOOKUPS: Readonly<Record<string, RootLookup>> = {
  operation: { type: "Operation", argument: "key", column: "key" },
  report: { type: "Report", argument: "key", column: "key" },
  company: { type: "Company", argument: "key", column: "key" },
  statement: { type: "Statement", argument: "key", column: "key" },
  country: { type: "Country", argument: "code", column: "code", compare: (param) => `upper(${param})`, accepts: /^[A-Za-z]{2}$/ },
};

/**
 * A list field over an edge table (alias `x`) and the records at its other end (alias `c`), in the
 * order the source gave them (as `operation.edges.ts` reads them). With `wrapper`, each item is an
 * object of the edge's own columns and the record under `wrapper.record`
 * (`OperationOrigin { confidence country }`); else each item is the record.
 */
export interface EdgeList {
  type: NodeTypeName;
  /** FROM clause over `x` and `c`, the edges of the record aliased `e` (aliases renamed per use). */
  from: string;
  where: string;
  order: string;
  wrapper?: { type: string; record: string; columns: Record<string, string> };
}

const companyRole = (role: string): EdgeList => ({
  type: "Company",
  from: "operation_company x JOIN company c ON c.id = x.company_id",
  where: `x.operation_id = e.id AND x.role = '${role}'`,
  order: "x.position, x.company_id",
});

export const EDGE_LISTS: Readonly<Record<string, EdgeList>> = {
  "Operation.origins": {
    type: "Country",
    from: "operation_origin x JOIN country c ON c.code = x.country_code",
    where: "x.operation_id = e.id",
    order: "x.position, x.country_code",
    wrapper: { type: "OperationOrigin", record: "country", columns: { confidence: "x.confidence" } },
  },
  "Operation.targets": {
    type: "Country",
    from: "operation_target x JOIN country c ON c.code = x.country_code",
    where: "x.operation_id = e.id",
    order: "x.position, x.country_code",
  },
  "Operation.disclosures": {
    type: "Report",
    from: "operation_report x JOIN report c ON c.id = x.report_id",
    where: "x.operation_id = e.id",
    order: "c.published_on, c.key",
    wrapper: {
      type: "Disclosure",
      record: "report",
      columns: {
        breakoutScale: "x.breakout_scale",
        accountsBanned: "x.accounts_banned",
        originConfidence: "x.origin_confidence",
        nameInReport: "x.name_in_report",
        quote: "x.quote",
        locator: "x.locator",
      },
    },
  },
  "Operation.aiTools": companyRole("AI_TOOL"),
  "Operation.platforms": companyRole("PLATFORM"),
  "Operation.operators": companyRole("OPERATOR"),
};

/**
 * A connection field: the module's list and the scope its resolver passes (a nested one's parent
 * left open, read from `p.parent`), or, for a list that is not a `ListOf`, the spec its resolver builds.
 * `linkCount`, for a list reached through an edge table, counts the parent's edges alone (a scalar
 * reading `p.parent`): the same number as counting the joined records, since every edge's foreign
 * key names an existing record, read from the edge table's index without visiting the records.
 */
export type ListField =
  | {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry pairs one module's list with that module's own scope
      list: ListOf<any, any, any, any>;
      scope: { kind: string } & Record<string, unknown>;
      linkCount?: string;
    }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the resolver's own arguments type
  | { spec: (args: any) => ConnectionSpec<number | string, ObjectLiteral> };

const all = { kind: "all" };

/** The count of a parent's edges in `table` whose column `parent` is `p.parent` (and `role`, for a company's). */
const edges = (table: string, parent: string, role?: string) =>
  `(SELECT count(*)::int FROM ${table} l WHERE l.${parent} = p.parent${role ? ` AND l.role = '${role}'` : ""})`;

export const LIST_FIELDS: Readonly<Record<string, ListField>> = {
  "Query.operations": { list: OPERATION_LIST, scope: all },
  "Query.reports": { list: REPORT_LIST, scope: all },
  "Query.companies": { list: COMPANY_LIST, scope: all },
  "Query.statements": { list: STATEMENT_LIST, scope: all },
  "Query.countries": { spec: countriesSpec },
  "Operation.reports": { list: REPORT_LIST, scope: { kind: "operation", operationId: 0 }, linkCount: edges("operation_report", "operation_id") },
  "Operation.statements": { list: STATEMENT_LIST, scope: { kind: "operation", operationId: 0 }, linkCount: edges("statement_operation", "operation_id") },
  "Report.operations": { list: OPERATION_LIST, scope: { kind: "report", reportId: 0 }, linkCount: edges("operation_report", "report_id") },
  "Report.statements": { list: STATEMENT_LIST, scope: { kind: "report", reportId: 0 }, linkCount: edges("statement_report", "report_id") },
  "Company.reportsPublished": { list: REPORT_LIST, scope: { kind: "publisher", companyId: 0 } },
  "Company.operationsUsingTool": {
    list: OPERATION_LIST,
    scope: { kind: "aiTool", companyId: 0 },
    linkCount: edges("operation_company", "company_id", "AI_TOOL"),
  },
  "Company.operationsOnPlatform": {
    list: OPERATION_LIST,
    scope: { kind: "platform", companyId: 0 },
    linkCount: edges("operation_company", "company_id", "PLATFORM"),
  },
  "Company.operationsOperated": {
    list: OPERATION_LIST,
    scope: { kind: "operator", companyId: 0 },
    linkCount: edges("operation_company", "company_id", "OPERATOR"),
  },
  "Company.statements": { list: STATEMENT_LIST, scope: { kind: "organization", companyId: 0 } },
  "Statement.reports": { list: REPORT_LIST, scope: { kind: "statement", statementId: 0 }, linkCount: edges("statement_report", "statement_id") },
  "Statement.operations": { list: OPERATION_LIST, scope: { kind: "statement", statementId: 0 }, linkCount: edges("statement_operation", "statement_id") },
  "Country.operationsOriginating": { list: OPERATION_LIST, scope: { kind: "originCountry", code: "" } },
  "Country.operationsTargeting": { list: OPERATION_LIST, scope: { kind: "targetCountry", code: "" } },
  "Country.companies": { list: COMPANY_LIST, scope: { kind: "hqCountry", code: "" } },
  "Country.statements": { list: STATEMENT_LIST, scope: { kind: "country", code: "" } },
};
