import { defaultFieldResolver, getNamedType, isEnumType, isObjectType } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLObjectType, GraphQLSchema } from "graphql";
import { getArgumentValues } from "graphql";
import { collectSubfields } from "./sql-fields";
import type { Context } from "../context";
import { listSpec } from "../common/list-connection";
import type { ListArgs } from "../common/list-connection";
import { pageSql, totalSql } from "../common/page-sql";
import type { ListSource } from "../common/page-sql";
import type { PageRequest } from "../common/cursor";
import type { NodeTypeName } from "../common/global-id";
import type { SqlParams } from "../db/sql";
import { EDGE_LISTS, LIST_FIELDS, LOOKUPS, RECORD_TABLES } from "./sql-tables";
import type { EdgeList, ListField, Lookup } from "./sql-tables";

/** A selection this compiler does not write as SQL: the operation runs on the resolvers instead. */
export class NotCompiled extends Error {}

/** What writing one statement needs: the request (for filters that look keys up), the document's fragments and variables, the statement's parameters. */
export interface Build {
  ctx: Context;
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  params: SqlParams;
  /** Counter for the aliases of looked-up records (`x1`, `x2`, ...). */
  aliases: number;
  /** Set when a list is filtered: a filter may name records by key, read into ids as of this request. */
  filtered?: boolean;
}

/** Scalars whose JSON, as PostgreSQL writes a column of them, is what their GraphQL serialisation writes. */
const PLAIN_SCALARS = new Set(["String", "Int", "Float", "Boolean", "Date"]);
/** Column types whose JSON differs from what the resolvers serve (timestamps' format, jsonb's key order, numeric's digits). */
const REFUSED_COLUMNS = new Set(["timestamptz", "timestamp", "jsonb", "json", "numeric"]);
const TIMESTAMP_COLUMNS = new Set(["timestamptz", "timestamp with time zone"]);
/** The list's count as the page's rows carry it (on each row; on the one row of an empty page). */
const PAGE_TOTAL = `COALESCE(max(r."__total"), 0)`;
/** json_build_object takes at most 100 arguments. */
const MAX_PAIRS = 50;

/** A SQL string literal. */
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The selection under `nodes` for `type`, fragments and directives applied, by response key. */
function subfields(build: Build, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, FieldNode[]> {
  return collectSubfields(build, type, nodes);
}

/** The global ID `toGlobalId` makes (base64url of `Type:key`), written in SQL. */
function globalIdSql(type: NodeTypeName, key: string): string {
  return `translate(encode(convert_to(${literal(`${type}:`)} || ${key}, 'UTF8'), 'base64'), '+/=' || chr(10), '-_')`;
}

/**
 * `json_build_object` of a selection's fields over the record alias `alias`, in the selection's
 * order. With `laterals`, the records it looks up (a report's publisher) are joined to `alias`'s
 * rows as `LEFT JOIN LATERAL` clauses pushed there (see `lookupJson`).
 */
export async function recordJson(build: Build, type: GraphQLObjectType, nodes: readonly FieldNode[], alias: string, laterals?: string[]): Promise<string> {
  const fields = subfields(build, type, nodes);
  if (fields.size > MAX_PAIRS) throw new NotCompiled(`${type.name}: too many fields`);
  const pairs: string[] = [];
  for (const [key, fieldNodes] of fields) pairs.push(`'${key}', ${await recordField(build, type, fieldNodes, alias, laterals)}`);
  return `json_build_object(${pairs.join(", ")})`;
}

/** One field of a record as a SQL expression: a column, a global ID, a looked-up record, or a nested page. */
async function recordField(build: Build, type: GraphQLObjectType, nodes: readonly FieldNode[], alias: string, laterals?: string[]): Promise<string> {
  const name = nodes[0].name.value;
  if (name === "__typename") return `${literal(type.name)}::text`;
  const table = RECORD_TABLES[type.name as NodeTypeName];
  const field = type.getFields()[name];
  if (!table || !field) throw new NotCompiled(`${type.name}.${name}`);
  const path = `${type.name}.${name}`;
  if (name === "id") return globalIdSql(type.name as NodeTypeName, `${alias}.${table.keyColumn}`);
  const list = LIST_FIELDS[path];
  if (list) return connectionJson(build, list, field, nodes, `(SELECT ${alias}.${table.parentColumn} AS parent) AS p`);
  const lookup = LOOKUPS[path];
  if (lookup) return lookupJson(build, lookup, nodes, alias, laterals);
  const edges = EDGE_LISTS[path];
  if (edges) return edgeListJson(build, edges, nodes, alias);
  const named = getNamedType(field.type);
  const column = build.ctx.dataSource.getMetadata(table.entity).columns.find((c) => c.propertyName === name && !c.relationMetadata);
  if (field.resolve || field.args.length || !column) throw new NotCompiled(path);
  if (TIMESTAMP_COLUMNS.has(String(column.type)) && named.name === "DateTimeISO") return isoTimestamp(`${alias}.${column.databaseName}`);
  if (String(column.type) === "jsonb" && isObjectType(named)) return jsonbObjectsJson(build, named, nodes, `${alias}.${column.databaseName}`);
  if (!(PLAIN_SCALARS.has(named.name) || isEnumType(named)) || REFUSED_COLUMNS.has(String(column.type))) throw new NotCompiled(path);
  return `${alias}.${column.databaseName}`;
}

/**
 * A looked-up record's JSON: a scalar subquery, or, with `laterals`, a `LEFT JOIN LATERAL` of it
 * pushed there and read as `xNj.j`. A page's rows often share the record they look up (reports
 * and their few publishers); joined, PostgreSQL memoizes the record's JSON, with its nested
 * pages and counts, by the foreign key, and builds it once per distinct record instead of once
 * per row. `OFFSET 0` keeps the subquery whole, so the JSON is what is cached.
 */
async function lookupJson(build: Build, lookup: Lookup, nodes: readonly FieldNode[], alias: string, laterals?: string[]): Promise<string> {
  const x = `x${++build.aliases}`;
  const target = build.schema.getType(lookup.type) as GraphQLObjectType;
  const json = await recordJson(build, target, nodes, x);
  const from = `FROM ${RECORD_TABLES[lookup.type].table} ${x} WHERE ${lookup.on(x, alias)}`;
  if (!laterals) return `(SELECT ${json} ${from})`;
  laterals.push(`LEFT JOIN LATERAL (SELECT ${json} AS j ${from} OFFSET 0) ${x}j ON true`);
  return `${x}j.j`;
}

/**
 * A timestamp as `Date.toISOString` writes it (what DateTimeISO serialises): UTC, milliseconds,
 * `Z`. Both the driver (reading into a Date) and `MS` drop the microseconds rather than round them.
 */
function isoTimestamp(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * A jsonb array of plain objects (`sources`) as the selection of their fields, in the array's
 * order; a key the object leaves out is null, as the resolvers serve it. Only text and enum
 * fields: jsonb would write a number as it stored it, not as JavaScript does.
 */
function jsonbObjectsJson(build: Build, type: GraphQLObjectType, nodes: readonly FieldNode[], column: string): string {
  const pairs: string[] = [];
  for (const [key, fieldNodes] of subfields(build, type, nodes)) {
    const name = fieldNodes[0].name.value;
    const field = type.getFields()[name];
    if (name === "__typename") pairs.push(`'${key}', ${literal(type.name)}::text`);
    else if (
      field &&
      (!field.resolve || field.resolve === defaultFieldResolver) &&
      (getNamedType(field.type).name === "String" || isEnumType(getNamedType(field.type)))
    )
      pairs.push(`'${key}', s.v -> ${literal(name)}`);
    else throw new NotCompiled(`${type.name}.${name}`);
  }
  return `(SELECT COALESCE(json_agg(json_build_object(${pairs.join(", ")}) ORDER BY s.o), '[]') FROM jsonb_array_elements(${column}) WITH ORDINALITY s(v, o))`;
}

/** An edge list (see `EdgeList`) under the record alias `alias`, as a JSON array in the source's order. */
async function edgeListJson(build: Build, edges: EdgeList, nodes: readonly FieldNode[], alias: string): Promise<string> {
  const n = ++build.aliases;
  const [x, c] = [`x${n}`, `c${n}`];
  const rename = (sql: string) => sql.replace(/\bx\./g, `${x}.`).replace(/\bc\./g, `${c}.`).replace(/\be\./g, `${alias}.`);
  const target = build.schema.getType(edges.type) as GraphQLObjectType;
  let item: string;
  if (!edges.wrapper) item = await recordJson(build, target, nodes, c);
  else {
    const wrapperType = build.schema.getType(edges.wrapper.type) as GraphQLObjectType;
    const pairs: string[] = [];
    for (const [key, fieldNodes] of subfields(build, wrapperType, nodes)) {
      const name = fieldNodes[0].name.value;
      let value: string;
      if (name === "__typename") value = `${literal(wrapperType.name)}::text`;
      else if (name === edges.wrapper.record) value = await recordJson(build, target, fieldNodes, c);
      else if (edges.wrapper.columns[name]) value = rename(edges.wrapper.columns[name]);
      else throw new NotCompiled(`${wrapperType.name}.${name}`);
      pairs.push(`'${key}', ${value}`);
    }
    item = `json_build_object(${pairs.join(", ")})`;
  }
  const from = `${edges.from.replace(/\bx\b/g, x).replace(/\bc\b/g, c)}`;
  return `(SELECT COALESCE(json_agg(${item} ORDER BY ${rename(edges.order)}), '[]') FROM ${from} WHERE ${rename(edges.where)})`;
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
  const args = getArgumentValues(field, nodes[0], build.variables) as ListArgs<unknown>;
  if (args.filter != null) build.filtered = true;
  const spec = "spec" in list ? list.spec(args) : await listSpec(build.ctx, list.list, args, list.scope);
  const { request } = spec;
  // A search rank's sort values are floats bound to the search text: left to the resolvers.
  if (request.sort.binding !== undefined || request.sort.type === "float8") throw new NotCompiled("ordering by relevance");
  const connectionType = getNamedType(field.type) as GraphQLObjectType;
  const source = spec.source(build.params);
  // A nested list unfiltered is counted from its edges alone (see `ListField`).
  if (!source.count && source.where.length === 0 && "linkCount" in list && list.linkCount && parentList) {
    const linkCount = list.linkCount;
    source.count = () => linkCount;
  }
  const nodeType = build.schema.getType(source.type) as GraphQLObjectType;
  const id = source.idExpr.slice(2);
  source.recordColumns = [id];
  const columns: string[] = [];
  const laterals: string[] = [];
  /** Adds a record JSON column to the page's rows and returns its name in the aggregate (alias `r`). */
  const recordColumn = async (selection: readonly FieldNode[]) => {
    columns.push(`${await recordJson(build, nodeType, selection, "e", laterals)} AS "__c${columns.length}"`);
    return `r."__c${columns.length - 1}"`;
  };
  const last = request.mode === "last";
  const shown = `r.${id} IS NOT NULL AND r."__i" <= ${request.limit}`;
  const agg = (value: string, reverse = false) => `json_agg(${value} ORDER BY r."__i" ${last !== reverse ? "DESC" : "ASC"}) FILTER (WHERE ${shown})`;
  const overflow = `COALESCE(bool_or(r.${id} IS NOT NULL AND r."__i" > ${request.limit}), false)`;
  const prefix = JSON.stringify({ t: source.type, f: request.sort.field }).slice(0, -1);
  const cursor = `translate(encode(convert_to(${literal(prefix)} || ',"s":' || to_json(r."__sort")::text || ',"i":' || to_json(r.${id})::text || '}', 'UTF8'), 'base64'), '+/=' || chr(10), '-_')`;
  let withTotal = false;
  let readsPage = false;
  const pairs: string[] = [];
  for (const [key, fieldNodes] of subfields(build, connectionType, nodes)) {
    const name = fieldNodes[0].name.value;
    if (name !== "__typename" && name !== "totalCount") readsPage = true;
    let value: string;
    if (name === "__typename") value = `${literal(connectionType.name)}::text`;
    else if (name === "totalCount") {
      withTotal = true;
      value = PAGE_TOTAL;
    } else if (name === "nodes") value = `COALESCE(${agg(await recordColumn(fieldNodes))}, '[]')`;
    else if (name === "edges") {
      const edgeType = getNamedType(connectionType.getFields().edges.type) as GraphQLObjectType;
      const edge: string[] = [];
      for (const [edgeKey, edgeNodes] of subfields(build, edgeType, fieldNodes)) {
        const edgeField = edgeNodes[0].name.value;
        if (edgeField === "__typename") edge.push(`'${edgeKey}', ${literal(edgeType.name)}::text`);
        else if (edgeField === "cursor") edge.push(`'${edgeKey}', ${cursor}`);
        else edge.push(`'${edgeKey}', ${await recordColumn(edgeNodes)}`);
      }
      value = `COALESCE(${agg(`json_build_object(${edge.join(", ")})`)}, '[]')`;
    } else if (name === "pageInfo") {
      const info: string[] = [];
      const pageInfoType = getNamedType(connectionType.getFields().pageInfo.type) as GraphQLObjectType;
      for (const [infoKey, infoNodes] of subfields(build, pageInfoType, fieldNodes)) {
        const infoField = infoNodes[0].name.value;
        // Past a cursor, whether rows lie beyond it is one more probe: left to the resolvers.
        if (infoField === "hasNextPage" && request.before) throw new NotCompiled("hasNextPage before a cursor");
        if (infoField === "hasPreviousPage" && request.after) throw new NotCompiled("hasPreviousPage after a cursor");
        const end = (fromEnd: boolean) => `(array_agg(${cursor} ORDER BY r."__i" ${last !== fromEnd ? "DESC" : "ASC"}) FILTER (WHERE ${shown}))[1]`;
        const infoValue: Record<string, string> = {
          __typename: `${literal(pageInfoType.name)}::text`,
          hasNextPage: last ? "false" : overflow,
          hasPreviousPage: last ? overflow : "false",
          startCursor: end(false),
          endCursor: end(true),
        };
        if (!infoValue[infoField]) throw new NotCompiled(`PageInfo.${infoField}`);
        info.push(`'${infoKey}', ${infoValue[infoField]}`);
      }
      value = `json_build_object(${info.join(", ")})`;
    } else throw new NotCompiled(`${connectionType.name}.${name}`);
    pairs.push(`'${key}', ${value}`);
  }
  if (pairs.length > MAX_PAIRS) throw new NotCompiled(`${connectionType.name}: too many fields`);
  const nested = source.parentExpr ? parentList : undefined;
  // `{ totalCount }` alone reads no page, as the resolvers do: the count, per parent when nested.
  if (!readsPage) {
    // The cheaper count leaves the filter's parameters unused, which PostgreSQL refuses (see `countSql`).
    if (source.where.length) source.count = undefined;
    // The count is one row (per parent, and a nested list has one): no aggregate over it.
    const total = nested ? `${nested} CROSS JOIN LATERAL (${totalSql(source)}) r` : `(${totalSql(source)}) r`;
    const counted = pairs.map((pair) => pair.replace(PAGE_TOTAL, `r."__total"`));
    return `(SELECT json_build_object(${counted.join(", ")}) FROM ${total})`;
  }
  // GROUP BY (): one row even for an empty page, also when nothing aggregates (`{ __typename }`).
  return `(SELECT json_build_object(${pairs.join(", ")}) FROM ${pageRows(source, request, withTotal, nested, columns, laterals)} GROUP BY ())`;
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
