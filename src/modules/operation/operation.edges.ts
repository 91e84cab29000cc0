import type { Context } from "../../context";
import { recordColumnsSql, recordJsonPairs, tableShape } from "../../db/rows";
import { SqlParams, inList } from "../../db/sql";
import { columnsFor } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { columnsText } from "../../common/embeds";
import { statementKey } from "../../common/statement-key";
import type { Embed } from "../../common/embeds";
import type { Operation } from "./operation.entity";
import { countriesByCode, Country } from "../country";
import { companiesById, Company } from "../company";
import { AttributionConfidence, CompanyRole } from "./operation.enums";

type EdgeRow = { operation_id: number } & Record<string, unknown>;

/**
 * One edge table (alias `x`) and the records at its other end (alias `c`): rows carry the edge's
 * own columns prefixed `edge_` and the record's columns, in the order the source gave them.
 */
interface EdgeKind {
  edgeTable: string;
  recordTable: string;
  /** Condition joining `c` to `x`. */
  join: string;
  /** Output name -> edge column. */
  edgeColumns: Record<string, string>;
  /** Order within one operation, over `x`. */
  order: string;
}

/** An edge table from operations to countries, in the order the source gave them. */
const countryEdges = (edgeTable: string, edgeColumns: Record<string, string>): EdgeKind => ({
  edgeTable,
  recordTable: "country",
  join: "c.code = x.country_code",
  edgeColumns: { ...edgeColumns, edge_position: "x.position" },
  order: "x.position, x.country_code",
});

const ORIGINS = countryEdges("operation_origin", { edge_confidence: "x.confidence" });
const TARGETS = countryEdges("operation_target", {});

// All three company roles share one statement.
const COMPANIES: EdgeKind = {
  edgeTable: "operation_company",
  recordTable: "company",
  join: "c.id = x.company_id",
  edgeColumns: { edge_role: "x.role", edge_position: "x.position" },
  order: "x.role, x.position, x.company_id",
};

/** The statement of an edge list for some operations (see `edgeLoader`). */
function edgeSql(kind: EdgeKind, columns: readonly string[] | null, params: SqlParams, ids: readonly number[]): string {
  const edge = Object.entries(kind.edgeColumns).map(([name, column]) => `${column} AS ${name}`);
  return `SELECT x.operation_id, ${edge.join(", ")}, ${recordColumnsSql("c", columns)} FROM ${kind.edgeTable} x JOIN ${kind.recordTable} c ON ${kind.join}
       WHERE x.operation_id ${inList(params, ids, "int")} ORDER BY x.operation_id, ${kind.order}`;
}

/** Stands for "every column" where a column list keys a cache. */
const ALL_COLUMNS: readonly string[] = [];
/** Loader names by edge kind and column list (arrays `columnsFor` keeps, so they may be weak keys). */
const loaderNames = new Map<EdgeKind, WeakMap<readonly string[], string>>();

/** The name of the loader of an edge list: its statement (see `statementKey`), worked out once per kind and column list. */
function edgeLoaderName(kind: EdgeKind, columns: readonly string[] | null): string {
  let byColumns = loaderNames.get(kind);
  if (!byColumns) loaderNames.set(kind, (byColumns = new WeakMap()));
  let name = byColumns.get(columns ?? ALL_COLUMNS);
  if (name === undefined) {
    const params = new SqlParams();
    byColumns.set(columns ?? ALL_COLUMNS, (name = statementKey(edgeSql(kind, columns, params, []), params.values)));
  }
  return name;
}

/**
 * The edges of many operations in one statement, grouped per operation in key order. The records
 * come back in the same statement, so an edge list costs one statement, not two; of the records,
 * only `columns` (from `columnsFor`) are read, or every column when null. (Carrying each
 * operation's edges in the page's own statement as per-row JSON subqueries was measured and
 * dropped: one round trip fewer, but PostgreSQL spent more on 50 small correlated lookups than on
 * one set-based join, and a one-client page of 50 took 60% longer.)
 */
function edgeLoader(ctx: Context, kind: EdgeKind, columns: readonly string[] | null) {
  return ctx.batch<number, EdgeRow[]>(edgeLoaderName(kind, columns), async (ids) => {
    const params = new SqlParams();
    const rows = await ctx.sql<EdgeRow>(edgeSql(kind, columns, params, ids), params.values);
    const grouped = new Map<number, EdgeRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.operation_id)!.push(row);
    return ids.map((id) => grouped.get(id)!);
  });
}

// By the columns' text: `columnsFor` gives each distinct document its own arrays, so a map keyed
// by the arrays themselves would grow with every document a client sends.
const edgeEmbedCache = new Map<EdgeKind, Map<string, Embed<Operation>>>();

/**
 * An operation's edges of one kind as one JSON column of the operation's own statement, in the
 * shape `edgeLoader` returns (edge columns prefixed `edge_`, then the record's columns), primed
 * into that loader. For a lookup of one operation, where one correlated subquery is cheap and saves
 * a statement; pages keep the set-based statement (see `edgeLoader`).
 */
function edgeEmbed(ctx: Context, kind: EdgeKind, entity: typeof Country | typeof Company, columns: readonly string[] | null): Embed<Operation> {
  let byColumns = edgeEmbedCache.get(kind);
  if (!byColumns) edgeEmbedCache.set(kind, (byColumns = new Map()));
  let embed = byColumns.get(columnsText(columns));
  if (!embed) {
    const pairs = [
      ...Object.entries(kind.edgeColumns).map(([name, column]) => `'${name}', ${column}`),
      ...recordJsonPairs(ctx.dataSource, entity, "c", columns),
    ];
    embed = {
      sql: `SELECT COALESCE(json_agg(json_build_object(${pairs.join(", ")}) ORDER BY ${kind.order}), '[]') FROM ${kind.edgeTable} x JOIN ${kind.recordTable} c ON ${kind.join} WHERE x.operation_id = e.id`,
      prime: (context, operation, value) => edgeLoader(context, kind, columns).prime(operation.id, value as EdgeRow[]),
    };
    byColumns.set(columnsText(columns), embed);
  }
  return embed;
}

const ROLE_FIELDS = ["aiTools", "platforms", "operators"] as const;

/** The edge lists `selection` (on one operation) asks for, as columns of the operation's own statement. */
export function edgeEmbeds(ctx: Context, selection: Selection): Embed<Operation>[] {
  const embeds: Embed<Operation>[] = [];
  if (selection.fields.has("origins"))
    embeds.push(edgeEmbed(ctx, ORIGINS, Country, columnsFor(ctx.dataSource, Country, selection.under("origins").under("country").fields)));
  if (selection.fields.has("targets")) embeds.push(edgeEmbed(ctx, TARGETS, Country, columnsFor(ctx.dataSource, Country, selection.under("targets").fields)));
  const companyColumns = new Set(
    ROLE_FIELDS.filter((field) => selection.fields.has(field)).map((field) => columnsFor(ctx.dataSource, Company, selection.under(field).fields)),
  );
  for (const columns of companyColumns) embeds.push(edgeEmbed(ctx, COMPANIES, Company, columns));
  return embeds;
}

/** The countries of edge rows, primed in the by-code loader that reads the same columns, so a later lookup costs nothing. */
async function countriesAt(ctx: Context, kind: EdgeKind, operationId: number, fields: ReadonlySet<string>) {
  const columns = columnsFor(ctx.dataSource, Country, fields);
  const rows = await edgeLoader(ctx, kind, columns).load(operationId);
  const shape = tableShape(ctx.dataSource, Country);
  const byCode = countriesByCode(ctx, columns);
  return rows.map((row) => {
    const country = shape.mapJson(row);
    byCode.prime(country.code, country);
    return { row, country };
  });
}

/** ORIGIN edges of an operation: the countries (reading what `countryFields` select) with the publisher's confidence, in the order the source gives. */
export async function originsOf(
  ctx: Context,
  operationId: number,
  countryFields: ReadonlySet<string>,
): Promise<{ country: Country; confidence: AttributionConfidence }[]> {
  const edges = await countriesAt(ctx, ORIGINS, operationId, countryFields);
  return edges.map(({ row, country }) => ({ country, confidence: row.edge_confidence as AttributionConfidence }));
}

/** TARGET edges of an operation: the countries (reading what `fields` select), in the order the source gives. */
export async function targetsOf(ctx: Context, operationId: number, fields: ReadonlySet<string>): Promise<Country[]> {
  const edges = await countriesAt(ctx, TARGETS, operationId, fields);
  return edges.map(({ country }) => country);
}

/** Companies in one role (AI_TOOL, PLATFORM, OPERATOR) in an operation, reading what `fields` select. */
export async function companiesOf(ctx: Context, operationId: number, role: CompanyRole, fields: ReadonlySet<string>): Promise<Company[]> {
  const columns = columnsFor(ctx.dataSource, Company, fields);
  const rows = await edgeLoader(ctx, COMPANIES, columns).load(operationId);
  const shape = tableShape(ctx.dataSource, Company);
  const byId = companiesById(ctx, columns);
  return rows
    .filter((row) => row.edge_role === role)
    .map((row) => {
      const company = shape.mapJson(row);
      byId.prime(company.id, company);
      return company;
    });
}
