import { getArgumentValues, getNamedType } from "graphql";
import type { FieldNode, GraphQLField, GraphQLObjectType } from "graphql";
import { listSpec } from "../common/list-connection";
import type { ListArgs } from "../common/list-connection";
import { pageSql, totalSql } from "../common/page-sql";
import type { ListSource } from "../common/page-sql";
import type { PageRequest } from "../common/cursor";
import { collectSubfields } from "./sql-fields";
import { MAX_PAIRS, NotCompiled, literal, recordJson } from "./sql-selections";
import type { Build } from "./sql-selections";
import type { ListField } from "./sql-tables";

/** The list's count as the page's rows carry it (on each row; on the one row of an empty page). */
const PAGE_TOTAL = `COALESCE(max(r."__total"), 0)`;

/** One connection being written: its page, the SQL its fields share, and what its selection asks of the page's statement. */
interface Page {
  build: Build;
  connectionType: GraphQLObjectType;
  nodeType: GraphQLObjectType;
  request: PageRequest;
  /** The page's rows' id column. */
  id: string;
  /** Whether the page is read from its end (`last`), and so aggregated in reverse. */
  last: boolean;
  /** The condition of a row shown on the page (not the probe row past `LIMIT n`). */
  shown: string;
  /** Whether rows lie past the page, from the probe row. */
  overflow: string;
  /** A row's cursor, as `encodeCursor` writes it. */
  cursor: string;
  /** The records' JSON columns the page's rows carry, and the lookups they join (see `pageRows`). */
  columns: string[];
  laterals: string[];
  /** Set when `totalCount` is selected: the page statement counts. */
  withTotal: boolean;
  /** Set when a field other than `totalCount` and `__typename` is selected: the page itself is read. */
  readsPage: boolean;
}

/**
 * A connection field as one SQL expression returning its JSON: the module's page statement
 * (`pageSql`: keyset range scan, `LIMIT n + 1`, the count where `totalCount` is selected) with
 * each record's JSON as a column, aggregated in the page's order. `parentList` is the enclosing
 * record as the relation `p(parent)`, for a nested list.
 */
export async function connectionJson(
  build: Build,
  list: ListField,
  field: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
  parentList?: string,
): Promise<string> {
  const { request, source } = await listSource(build, list, field, nodes, parentList);
  const page = pageOf(build, getNamedType(field.type) as GraphQLObjectType, request, source);
  const pairs: string[] = [];
  for (const [key, fieldNodes] of collectSubfields(build, page.connectionType, nodes)) pairs.push(`'${key}', ${await connectionField(page, fieldNodes)}`);
  if (pairs.length > MAX_PAIRS) throw new NotCompiled(`${page.connectionType.name}: too many fields`);
  const nested = source.parentExpr ? parentList : undefined;
  if (!page.readsPage) return totalOnlyJson(source, nested, pairs);
  // GROUP BY (): one row even for an empty page, also when nothing aggregates (`{ __typename }`).
  return `(SELECT json_build_object(${pairs.join(", ")}) FROM ${pageRows(source, request, page.withTotal, nested, page.columns, page.laterals)} GROUP BY ())`;
}

/**
 * The list's page request and source for the field's arguments, refusing the orders the
 * statement cannot write; a nested list unfiltered is counted from its edges alone.
 */
async function listSource(build: Build, list: ListField, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[], parentList?: string) {
  const args = getArgumentValues(field, nodes[0], build.variables) as ListArgs<unknown>;
  if (args.filter != null) build.filtered = true;
  const spec = "spec" in list ? list.spec(args) : await listSpec(build.ctx, list.list, args, list.scope);
  const { request } = spec;
  // A search rank's sort values are floats bound to the search text: left to the resolvers.
  if (request.sort.binding !== undefined || request.sort.type === "float8") throw new NotCompiled("ordering by relevance");
  const source = spec.source(build.params);
  // A nested list unfiltered is counted from its edges alone (see `ListField`).
  if (!source.count && source.where.length === 0 && "linkCount" in list && list.linkCount && parentList) {
    const linkCount = list.linkCount;
    source.count = () => linkCount;
  }
  return { request, source };
}

/** The SQL a connection's fields share over the page's rows `r`: which rows are shown, the overflow probe, each row's cursor. */
function pageOf(build: Build, connectionType: GraphQLObjectType, request: PageRequest, source: ListSource): Page {
  const nodeType = build.schema.getType(source.type) as GraphQLObjectType;
  const id = source.idExpr.slice(2);
  source.recordColumns = [id];
  const prefix = JSON.stringify({ t: source.type, f: request.sort.field }).slice(0, -1);
  return {
    build,
    connectionType,
    nodeType,
    request,
    id,
    last: request.mode === "last",
    shown: `r.${id} IS NOT NULL AND r."__i" <= ${request.limit}`,
    overflow: `COALESCE(bool_or(r.${id} IS NOT NULL AND r."__i" > ${request.limit}), false)`,
    cursor: `translate(encode(convert_to(${literal(prefix)} || ',"s":' || to_json(r."__sort")::text || ',"i":' || to_json(r.${id})::text || '}', 'UTF8'), 'base64'), '+/=' || chr(10), '-_')`,
    columns: [],
    laterals: [],
    withTotal: false,
    readsPage: false,
  };
}

/** Adds a record JSON column to the page's rows and returns its name in the aggregate (alias `r`). */
async function recordColumn(page: Page, selection: readonly FieldNode[]): Promise<string> {
  page.columns.push(`${await recordJson(page.build, page.nodeType, selection, "e", page.laterals)} AS "__c${page.columns.length}"`);
  return `r."__c${page.columns.length - 1}"`;
}

/** `value` over the shown rows as a JSON array in the page's order (`reverse`d, against it). */
function aggregate(page: Page, value: string, reverse = false): string {
  return `json_agg(${value} ORDER BY r."__i" ${page.last !== reverse ? "DESC" : "ASC"}) FILTER (WHERE ${page.shown})`;
}

/** One field of the connection as a SQL expression over the page's rows, noting what it asks of the page. */
async function connectionField(page: Page, fieldNodes: readonly FieldNode[]): Promise<string> {
  const name = fieldNodes[0].name.value;
  if (name !== "__typename" && name !== "totalCount") page.readsPage = true;
  if (name === "__typename") return `${literal(page.connectionType.name)}::text`;
  if (name === "totalCount") {
    page.withTotal = true;
    return PAGE_TOTAL;
  }
  if (name === "nodes") return `COALESCE(${aggregate(page, await recordColumn(page, fieldNodes))}, '[]')`;
  if (name === "edges") return edgesJson(page, fieldNodes);
  if (name === "pageInfo") return pageInfoJson(page, fieldNodes);
  throw new NotCompiled(`${page.connectionType.name}.${name}`);
}

/** The connection's `edges`: each shown row's cursor and record, as a JSON array in the page's order. */
async function edgesJson(page: Page, fieldNodes: readonly FieldNode[]): Promise<string> {
  const edgeType = getNamedType(page.connectionType.getFields().edges.type) as GraphQLObjectType;
  const edge: string[] = [];
  for (const [edgeKey, edgeNodes] of collectSubfields(page.build, edgeType, fieldNodes)) {
    const edgeField = edgeNodes[0].name.value;
    if (edgeField === "__typename") edge.push(`'${edgeKey}', ${literal(edgeType.name)}::text`);
    else if (edgeField === "cursor") edge.push(`'${edgeKey}', ${page.cursor}`);
    else edge.push(`'${edgeKey}', ${await recordColumn(page, edgeNodes)}`);
  }
  return `COALESCE(${aggregate(page, `json_build_object(${edge.join(", ")})`)}, '[]')`;
}

/** The connection's `pageInfo`: the first and last shown rows' cursors, and whether the probe row found more. */
function pageInfoJson(page: Page, fieldNodes: readonly FieldNode[]): string {
  const { request, last } = page;
  const info: string[] = [];
  const pageInfoType = getNamedType(page.connectionType.getFields().pageInfo.type) as GraphQLObjectType;
  for (const [infoKey, infoNodes] of collectSubfields(page.build, pageInfoType, fieldNodes)) {
    const infoField = infoNodes[0].name.value;
    // Past a cursor, whether rows lie beyond it is one more probe: left to the resolvers.
    if (infoField === "hasNextPage" && request.before) throw new NotCompiled("hasNextPage before a cursor");
    if (infoField === "hasPreviousPage" && request.after) throw new NotCompiled("hasPreviousPage after a cursor");
    const end = (fromEnd: boolean) => `(array_agg(${page.cursor} ORDER BY r."__i" ${last !== fromEnd ? "DESC" : "ASC"}) FILTER (WHERE ${page.shown}))[1]`;
    const infoValue: Record<string, string> = {
      __typename: `${literal(pageInfoType.name)}::text`,
      hasNextPage: last ? "false" : page.overflow,
      hasPreviousPage: last ? page.overflow : "false",
      startCursor: end(false),
      endCursor: end(true),
    };
    if (!infoValue[infoField]) throw new NotCompiled(`PageInfo.${infoField}`);
    info.push(`'${infoKey}', ${infoValue[infoField]}`);
  }
  return `json_build_object(${info.join(", ")})`;
}

/** `{ totalCount }` alone reads no page, as the resolvers do: the count, per parent when nested. */
function totalOnlyJson(source: ListSource, nested: string | undefined, pairs: string[]): string {
  // The cheaper count leaves the filter's parameters unused, which PostgreSQL refuses (see `countSql`).
  if (source.where.length) source.count = undefined;
  // The count is one row (per parent, and a nested list has one): no aggregate over it.
  const total = nested ? `${nested} CROSS JOIN LATERAL (${totalSql(source)}) r` : `(${totalSql(source)}) r`;
  const counted = pairs.map((pair) => pair.replace(PAGE_TOTAL, `r."__total"`));
  return `(SELECT json_build_object(${counted.join(", ")}) FROM ${total})`;
}

/**
 * The page's rows as the relation `r`, numbered in the page's order (`__i`), each with its
 * records' JSON `columns`. Without lookups joined, the JSON is one more column of the page's own
 * statement. With them, the page reads its records whole (`e.*`) and the JSON and the lookups'
 * joins come after its LIMIT, so that each lookup is joined to the page's rows alone.
 */
function pageRows(source: ListSource, request: PageRequest, withTotal: boolean, nested: string | undefined, columns: string[], laterals: string[]): string {
  if (!laterals.length) {
    source.columns = columns;
    return `(SELECT q.*, row_number() OVER () AS "__i" FROM (${pageSql(source, request, [], withTotal, nested)}) q) r`;
  }
  source.recordColumns = undefined;
  const numbered = `(SELECT q.*, row_number() OVER () AS "__i" FROM (${pageSql(source, request, [], withTotal, nested)}) q) e`;
  return `(SELECT e.*, ${columns.join(", ")} FROM ${numbered} ${laterals.join(" ")}) r`;
}
