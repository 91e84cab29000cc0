import type { Context } from "../../context";
import { tableShape } from "../../db/rows";
import { countriesByCode, Country } from "../country";
import { companiesById, Company } from "../company";
import { AttributionConfidence, CompanyRole } from "./operation.enums";

type EdgeRow = { operation_id: number } & Record<string, unknown>;

/**
 * One edge table (alias `x`) and the records at its other end (alias `c`): rows carry the edge's
 * own columns prefixed `edge_` and the record's columns, in the order the source gave them.
 */
interface EdgeKind {
  /** Loader name, and the embed's column name. */
  name: string;
  edgeTable: string;
  recordTable: string;
  /** Condition joining `c` to `x`. */
  join: string;
  /** Output name -> edge column. */
  edgeColumns: Record<string, string>;
  /** Order within one operation, over `x`. */
  order: string;
}

const ORIGINS: EdgeKind = {
  name: "Operation.origins",
  edgeTable: "operation_origin",
  recordTable: "country",
  join: "c.code = x.country_code",
  edgeColumns: { edge_confidence: "x.confidence", edge_position: "x.position" },
  order: "x.position, x.country_code",
};

const TARGETS: EdgeKind = {
  name: "Operation.targets",
  edgeTable: "operation_target",
  recordTable: "country",
  join: "c.code = x.country_code",
  edgeColumns: { edge_position: "x.position" },
  order: "x.position, x.country_code",
};

// All three company roles share one statement.
const COMPANIES: EdgeKind = {
  name: "Operation.companies",
  edgeTable: "operation_company",
  recordTable: "company",
  join: "c.id = x.company_id",
  edgeColumns: { edge_role: "x.role", edge_position: "x.position" },
  order: "x.role, x.position, x.company_id",
};

/**
 * The edges of many operations in one statement, grouped per operation in key order. The records
 * come back in the same statement, so an edge list costs one statement, not two. (Carrying each
 * operation's edges in the page's own statement as per-row JSON subqueries was measured and
 * dropped: one round trip fewer, but PostgreSQL spent more on 50 small correlated lookups than on
 * one set-based join, and a one-client page of 50 took 60% longer.)
 */
function edgeLoader(ctx: Context, kind: EdgeKind) {
  return ctx.batch<number, EdgeRow[]>(kind.name, async (ids) => {
    const edge = Object.entries(kind.edgeColumns).map(([name, column]) => `${column} AS ${name}`);
    const rows = await ctx.sql<EdgeRow>(
      `SELECT x.operation_id, ${edge.join(", ")}, c.* FROM ${kind.edgeTable} x JOIN ${kind.recordTable} c ON ${kind.join}
       WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, ${kind.order}`,
      [[...ids]],
    );
    const grouped = new Map<number, EdgeRow[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.operation_id)!.push(row);
    return ids.map((id) => grouped.get(id)!);
  });
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
