import type { Context } from "../../context";
import { tableShape } from "../../db/rows";
import type { Embed } from "../../common/list";
import { countriesByCode, Country } from "../country";
import { companiesById, Company } from "../company";
import type { Operation } from "./operation.entity";
import { AttributionConfidence, CompanyRole } from "./operation.enums";

type EdgeRow = { operation_id: number } & Record<string, unknown>;

/**
 * One edge table joined to the records at its other end: the edge's own columns come prefixed
 * `edge_`, the record's as `c.*`, in the order the source gave them.
 */
interface EdgeKind {
  /** Loader name, and the embed's column name. */
  name: string;
  select: string;
  from: string;
  /** Order within one operation, over the table aliases. */
  order: string;
  /** The same order over the selected columns' names (for `json_agg(t ORDER BY ...)`). */
  jsonOrder: string;
}

const ORIGINS: EdgeKind = {
  name: "Operation.origins",
  select: "x.operation_id, x.confidence AS edge_confidence, x.position AS edge_position, c.*",
  from: "operation_origin x JOIN country c ON c.code = x.country_code",
  order: "x.position, x.country_code",
  jsonOrder: "t.edge_position, t.code",
};

const TARGETS: EdgeKind = {
  name: "Operation.targets",
  select: "x.operation_id, x.position AS edge_position, c.*",
  from: "operation_target x JOIN country c ON c.code = x.country_code",
  order: "x.position, x.country_code",
  jsonOrder: "t.edge_position, t.code",
};

// All three company roles share one statement.
const COMPANIES: EdgeKind = {
  name: "Operation.companies",
  select: "x.operation_id, x.role AS edge_role, x.position AS edge_position, c.*",
  from: "operation_company x JOIN company c ON c.id = x.company_id",
  order: "x.role, x.position, x.company_id",
  jsonOrder: "t.edge_role, t.edge_position, t.id",
};

/**
 * The edges of many operations in one statement, grouped per operation in key order. The records
 * come back in the same statement, so an edge list costs one statement, not two (and none when
 * the operations' own statement embedded it, see `operationEmbeds`).
 */
function edgeLoader(ctx: Context, kind: EdgeKind) {
  return ctx.batch<number, EdgeRow[]>(kind.name, async (ids) => {
    const rows = await ctx.sql<EdgeRow>(`SELECT ${kind.select} FROM ${kind.from} WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, ${kind.order}`, [[...ids]]);
    const grouped = new Map<number, EdgeRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.operation_id)!.push(row);
    return ids.map((id) => grouped.get(id)!);
  });
}

/** The edge list of the operation `e` as one JSON array, for its own statement to carry. */
function edgeEmbed(kind: EdgeKind, entity: typeof Country | typeof Company): Embed<Operation> {
  return {
    name: kind.name.replace(".", "_"),
    sql: `SELECT COALESCE(json_agg(t ORDER BY ${kind.jsonOrder}), '[]') FROM (SELECT ${kind.select} FROM ${kind.from} WHERE x.operation_id = e.id) t`,
    prime: (ctx, operation, value) => {
      const shape = tableShape(ctx.dataSource, entity as typeof Country);
      edgeLoader(ctx, kind).prime(operation.id, (value as EdgeRow[]).map((row) => shape.reviveJson(row) as EdgeRow));
    },
  };
}

/**
 * What an operation's own statement can carry for the fields a query selects on it: its origins,
 * targets and companies (AI tools, platforms, operators), each as one JSON column.
 */
export function operationEmbeds(fields: ReadonlySet<string>): Embed<Operation>[] {
  const embeds: Embed<Operation>[] = [];
  if (fields.has("origins")) embeds.push(edgeEmbed(ORIGINS, Country));
  if (fields.has("targets")) embeds.push(edgeEmbed(TARGETS, Country));
  if (fields.has("aiTools") || fields.has("platforms") || fields.has("operators")) embeds.push(edgeEmbed(COMPANIES, Company));
  return embeds;
}

/** The country of an edge row (`c.*`), primed in the by-code loader so a later lookup costs nothing. */
function countryOf(ctx: Context, row: Record<string, unknown>): Country {
  const country = tableShape(ctx.dataSource, Country).map(row);
  countriesByCode(ctx).prime(country.code, country);
  return country;
}

/** ORIGIN edges of an operation: the countries with the publisher's confidence, in the order the source gives. */
export async function originsOf(ctx: Context, operationId: number): Promise<{ country: Country; confidence: AttributionConfidence }[]> {
  const rows = await edgeLoader(ctx, ORIGINS).load(operationId);
  return rows.map((row) => ({ country: countryOf(ctx, row), confidence: row.edge_confidence as AttributionConfidence }));
}

/** TARGET edges of an operation: the countries, in the order the source gives. */
export async function targetsOf(ctx: Context, operationId: number): Promise<Country[]> {
  const rows = await edgeLoader(ctx, TARGETS).load(operationId);
  return rows.map((row) => countryOf(ctx, row));
}

/** Companies in one role (AI_TOOL, PLATFORM, OPERATOR) in an operation. */
export async function companiesOf(ctx: Context, operationId: number, role: CompanyRole): Promise<Company[]> {
  const rows = await edgeLoader(ctx, COMPANIES).load(operationId);
  const byId = companiesById(ctx);
  return rows
    .filter((row) => row.edge_role === role)
    .map((row) => {
      const company = tableShape(ctx.dataSource, Company).map(row);
      byId.prime(company.id, company);
      return company;
    });
}
