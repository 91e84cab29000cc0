import { defaultFieldResolver, getNamedType, isEnumType, isObjectType } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLObjectType, GraphQLSchema } from "graphql";
import { collectSubfields } from "./sql-fields";
import { connectionJson } from "./sql-connections";
import type { Context } from "../context";
import type { NodeTypeName } from "../common/global-id";
import type { SqlParams } from "../db/sql";
import { EDGE_LISTS, LIST_FIELDS, LOOKUPS, RECORD_TABLES } from "./sql-tables";
import type { EdgeList, Lookup, RecordTable } from "./sql-tables";

export { connectionJson };

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
/** json_build_object takes at most 100 arguments. */
export const MAX_PAIRS = 50;

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
  if (name === "id") return globalIdSql(type.name as NodeTypeName, `${alias}.${table.keyColumn}`);
  const path = `${type.name}.${name}`;
  return relatedJson(build, table, path, field, nodes, alias, laterals) ?? columnJson(build, table, path, field, nodes, alias);
}

/**
 * A field that reads other records (a nested page, a looked-up record, an edge list) as their
 * JSON, by the field's `path` in the tables of `sql-tables`; undefined for a field of the record's own.
 */
function relatedJson(
  build: Build,
  table: RecordTable,
  path: string,
  field: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
  alias: string,
  laterals?: string[],
): Promise<string> | undefined {
  const list = LIST_FIELDS[path];
  if (list) return connectionJson(build, list, field, nodes, `(SELECT ${alias}.${table.parentColumn} AS parent) AS p`);
  const lookup = LOOKUPS[path];
  if (lookup) return lookupJson(build, lookup, nodes, alias, laterals);
  const edges = EDGE_LISTS[path];
  if (edges) return edgeListJson(build, edges, nodes, alias);
  return undefined;
}

/**
 * A field of the record's own column, where the column's JSON is what the resolvers serve: a
 * timestamp rewritten as DateTimeISO writes it, a jsonb array of objects as their selection, or
 * a plain scalar or enum as it is.
 */
function columnJson(build: Build, table: RecordTable, path: string, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[], alias: string): string {
  const named = getNamedType(field.type);
  const column = build.ctx.dataSource.getMetadata(table.entity).columns.find((c) => c.propertyName === field.name && !c.relationMetadata);
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
