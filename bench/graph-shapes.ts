/**
 * The query shapes of `npm run bench:graph`: each as misuse-graph's query and PostGraphile's
 * equivalent over the same database, and how to bring both answers to one form for comparison.
 *
 * PostGraphile's schema is the Amber preset over the tables (see bench/postgraphile/serve.cjs):
 * `allOperations`, `operationByKey`, `nodes`, junction tables as their own connections
 * (`operationReportsByOperationId { nodes { reportByReportId { ... } } }`), the primary key as
 * `rowId`. Operations are ordered by name then id on both sides, unless a shape says otherwise.
 * Each PostGraphile query is one string per shape (a template with the values it needs), so a
 * schema change such as the coming `operation.first_disclosed_on` column is a one-line edit.
 */

import type { DrawnKeys } from "./drawn-shapes";

/** What a shape's queries need to know about the database they run against. */
export interface ShapeContext {
  /** Operations in the database. */
  size: number;
  /** Key of an operation that exists, for the lookup shape. */
  key: string;
  /** misuse-graph cursor of the operation 90% into the list (by name, then id). */
  oursDeepCursor: string;
  /** PostGraphile cursor of the same operation in its list ordered by name, then id. */
  pgDeepCursor: string;
  /** Whether operation has a maintained first_disclosed_on column yet. */
  firstDisclosedColumn: boolean;
  /** Keys of existing records, for drawn lookups (bench/drawn-shapes.ts). */
  keys?: DrawnKeys;
}

export interface Shape {
  /** Starts with the shape's number, which `--shapes` takes. */
  name: string;
  concurrency: number;
  ours(ctx: ShapeContext): string;
  postgraphile(ctx: ShapeContext): string;
  /** Both servers' `data`, each turned into the same plain form. */
  normaliseOurs(data: any): unknown;
  normalisePostgraphile(data: any): unknown;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// Shape 1 and 7: a page of operations with their edges.
const OURS_OPERATION_EDGES = `key name
  reports(first: 5) { nodes { key publisher { key name } } }
  origins { country { code name } confidence }
  targets { code }
  platforms { key }`;
const PG_OPERATION_EDGES = `key name
  operationReportsByOperationId(first: 5) { nodes { reportByReportId { key companyByPublisherId { key name } } } }
  operationOriginsByOperationId(orderBy: [POSITION_ASC, COUNTRY_CODE_ASC]) { nodes { confidence countryByCountryCode { code name } } }
  operationTargetsByOperationId(orderBy: [POSITION_ASC, COUNTRY_CODE_ASC]) { nodes { countryByCountryCode { code } } }
  operationCompaniesByOperationId(condition: { role: "PLATFORM" }, orderBy: [POSITION_ASC, COMPANY_ID_ASC]) { nodes { companyByCompanyId { key } } }`;

// Reports are compared as sets: misuse-graph orders an operation's reports by publication date,
// newest first; PostGraphile can order the junction operation_report only by its own columns
// (report id), not by the report's date. With first: 5 both return all of an operation's reports
// as long as it has at most 5 (the synthetic data has 1-3; more would show up as a difference).
// Origins, targets and platforms are compared in order: both order by the junction's position.
const oursReports = (o: any) => o.reports.nodes.map((r: any) => ({ key: r.key, publisher: { key: r.publisher.key, name: r.publisher.name } })).sort(byKey);
const oursOrigins = (o: any) => o.origins.map((x: any) => ({ code: x.country.code, name: x.country.name, confidence: x.confidence }));
const pgReports = (o: any) =>
  o.operationReportsByOperationId.nodes
    .map(({ reportByReportId: r }: any) => ({ key: r.key, publisher: { key: r.companyByPublisherId.key, name: r.companyByPublisherId.name } }))
    .sort(byKey);
const pgOrigins = (o: any) =>
  o.operationOriginsByOperationId.nodes.map((x: any) => ({ code: x.countryByCountryCode.code, name: x.countryByCountryCode.name, confidence: x.confidence }));

function oursOperation(o: any) {
  return {
    key: o.key,
    name: o.name,
    reports: oursReports(o),
    origins: oursOrigins(o),
    targets: o.targets.map((c: any) => c.code),
    platforms: o.platforms.map((c: any) => c.key),
  };
}

function pgOperation(o: any) {
  return {
    key: o.key,
    name: o.name,
    reports: pgReports(o),
    origins: pgOrigins(o),
    targets: o.operationTargetsByOperationId.nodes.map((x: any) => x.countryByCountryCode.code),
    platforms: o.operationCompaniesByOperationId.nodes.map((x: any) => x.companyByCompanyId.key),
  };
}

const keyName = (o: any) => ({ key: o.key, name: o.name });

const pageOfFifty: Omit<Shape, "name" | "concurrency"> = {
  ours: () => `{ operations(first: 50, orderBy: { field: NAME, direction: ASC }) { nodes { ${OURS_OPERATION_EDGES} } } }`,
  postgraphile: () => `{ allOperations(first: 50, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { ${PG_OPERATION_EDGES} } } }`,
  normaliseOurs: (d) => d.operations.nodes.map(oursOperation),
  normalisePostgraphile: (d) => d.allOperations.nodes.map(pgOperation),
};

export const SHAPES: Shape[] = [
  { name: "1 page of 50 + edges", concurrency: 10, ...pageOfFifty },
  {
    name: "2 operation by key",
    concurrency: 10,
    ours: (c) => `{ operation(key: ${JSON.stringify(c.key)}) { key name
      reports(first: 5) { nodes { key publisher { key name } } }
      origins { country { code name } confidence } } }`,
    postgraphile: (c) => `{ operationByKey(key: ${JSON.stringify(c.key)}) { key name
      operationReportsByOperationId(first: 5) { nodes { reportByReportId { key companyByPublisherId { key name } } } }
      operationOriginsByOperationId(orderBy: [POSITION_ASC, COUNTRY_CODE_ASC]) { nodes { confidence countryByCountryCode { code name } } } } }`,
    normaliseOurs: ({ operation: o }) => ({ key: o.key, name: o.name, reports: oursReports(o), origins: oursOrigins(o) }),
    normalisePostgraphile: ({ operationByKey: o }) => ({ key: o.key, name: o.name, reports: pgReports(o), origins: pgOrigins(o) }),
  },
  {
    name: "3 STATE_LINKED + totalCount",
    concurrency: 10,
    ours: () => `{ operations(first: 20, filter: { actorType: [STATE_LINKED] }) { totalCount nodes { key name } } }`,
    postgraphile: () =>
      `{ allOperations(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC], condition: { actorType: "STATE_LINKED" }) { totalCount nodes { key name } } }`,
    normaliseOurs: (d) => ({ totalCount: d.operations.totalCount, nodes: d.operations.nodes.map(keyName) }),
    normalisePostgraphile: (d) => ({ totalCount: d.allOperations.totalCount, nodes: d.allOperations.nodes.map(keyName) }),
  },
  {
    // Ties on the date break on id, descending with the date on both sides. Until operation has
    // first_disclosed_on, PostGraphile orders the operation_facts materialized view (first_disclosed
    // is min(report.published_on), the same value) and follows its foreign key (a smart tag) to the
    // operation. PostgreSQL puts NULLs first in DESC order where misuse-graph puts them last; the
    // synthetic data has no operation without a report, so no NULL dates.
    name: "4 FIRST_DISCLOSED DESC",
    concurrency: 10,
    ours: () => `{ operations(first: 20, orderBy: { field: FIRST_DISCLOSED, direction: DESC }) { nodes { key name firstDisclosedOn } } }`,
    postgraphile: (c) =>
      c.firstDisclosedColumn
        ? `{ allOperations(first: 20, orderBy: [FIRST_DISCLOSED_ON_DESC, ROW_ID_DESC]) { nodes { key name firstDisclosedOn } } }`
        : `{ allOperationFacts(first: 20, orderBy: [FIRST_DISCLOSED_DESC, ROW_ID_DESC]) { nodes { firstDisclosed operationByRowId { key name } } } }`,
    normaliseOurs: (d) => d.operations.nodes.map((o: any) => ({ key: o.key, name: o.name, firstDisclosedOn: o.firstDisclosedOn })),
    normalisePostgraphile: (d) =>
      d.allOperations
        ? d.allOperations.nodes.map((o: any) => ({ key: o.key, name: o.name, firstDisclosedOn: o.firstDisclosedOn }))
        : d.allOperationFacts.nodes.map((f: any) => ({ key: f.operationByRowId.key, name: f.operationByRowId.name, firstDisclosedOn: f.firstDisclosed })),
  },
  {
    // The page itself, without totalCount (shapes 3 and 6 measure counting; for shape 3 misuse-graph
    // reads its maintained count of the actor type where PostGraphile counts): what it costs to start
    // reading 90% into the list. PostGraphile gets the cursor it issued for that row.
    name: "5 deep page after 90%",
    concurrency: 10,
    ours: (c) => `{ operations(first: 20, after: ${JSON.stringify(c.oursDeepCursor)}) { nodes { key name } } }`,
    postgraphile: (c) => `{ allOperations(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC], after: ${JSON.stringify(c.pgDeepCursor)}) { nodes { key name } } }`,
    normaliseOurs: (d) => d.operations.nodes.map(keyName),
    normalisePostgraphile: (d) => d.allOperations.nodes.map(keyName),
  },
  {
    // PostGraphile has no list filters of its own; the connection-filter plugin's `contains` on the
    // categories array and `some` over operation_origin express "attributed to CN, in this category".
    name: "6 CN + INFLUENCE_OPERATION",
    concurrency: 10,
    ours: () => `{ operations(first: 20, filter: { originCountry: ["CN"], category: [INFLUENCE_OPERATION] }) { totalCount nodes { key name } } }`,
    postgraphile: () => `{ allOperations(first: 20, orderBy: [NAME_ASC, ROW_ID_ASC], filter: {
      categories: { contains: ["INFLUENCE_OPERATION"] }
      operationOriginsByOperationId: { some: { countryCode: { equalTo: "CN" } } } }) { totalCount nodes { key name } } }`,
    normaliseOurs: (d) => ({ totalCount: d.operations.totalCount, nodes: d.operations.nodes.map(keyName) }),
    normalisePostgraphile: (d) => ({ totalCount: d.allOperations.totalCount, nodes: d.allOperations.nodes.map(keyName) }),
  },
  { name: "7 page of 50 + edges, c=1", concurrency: 1, ...pageOfFifty },
];

/** The shape whose one-client p50 is compared across sizes. */
export const ONE_CLIENT_SHAPE = SHAPES[SHAPES.length - 1];

/** misuse-graph's cursor for an operation in the list ordered by name, then id (base64url JSON). */
export function oursNameCursor(name: string, id: number): string {
  return Buffer.from(JSON.stringify({ t: "Operation", f: "NAME", s: name, i: id }), "utf8").toString("base64url");
}

/** PostGraphile query for the row at `offset` in the name-ordered list: its cursor, id and name. */
export const PG_ROW_AT_OFFSET = (offset: number) =>
  `{ allOperations(first: 1, offset: ${offset}, orderBy: [NAME_ASC, ROW_ID_ASC]) { edges { cursor node { rowId name } } } }`;
