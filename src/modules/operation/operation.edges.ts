import type { Context } from "../../context";
import { tableShape } from "../../db/rows";
import { countriesByCode, Country } from "../country";
import { companiesById, Company } from "../company";
import { AttributionConfidence, CompanyRole } from "./operation.enums";

/**
 * Rows of one edge table joined to the records at its other end, for many operations in one
 * statement, grouped per operation in key order. The records come back in the same statement (and
 * prime their by-key loaders), so an edge list costs one statement, not two.
 */
function edgeRecords<Row extends { operation_id: number }>(ctx: Context, name: string, sql: string) {
  return ctx.batch<number, Row[]>(name, async (ids) => {
    const rows = await ctx.sql<Row>(sql, [[...ids]]);
    const grouped = new Map<number, Row[]>(ids.map((id) => [id, []]));
    for (const row of rows) grouped.get(row.operation_id)!.push(row);
    return ids.map((id) => grouped.get(id)!);
  });
}

/** A row of `edge x JOIN record c` with the edge's columns prefixed `edge_`, split back into the record. */
function recordOf<T extends object>(ctx: Context, entity: (new () => T) & { name: string }, row: Record<string, unknown>): T {
  return tableShape(ctx.dataSource, entity).map(row);
}

/** The country of an edge row (`c.*`), primed in the by-code loader so a later lookup costs nothing. */
function countryOf(ctx: Context, row: Record<string, unknown>): Country {
  const country = recordOf(ctx, Country, row);
  countriesByCode(ctx).prime(country.code, country);
  return country;
}

/** ORIGIN edges of an operation: the countries with the publisher's confidence, in the order the source gives. */
export async function originsOf(ctx: Context, operationId: number): Promise<{ country: Country; confidence: AttributionConfidence }[]> {
  const rows = await edgeRecords<{ operation_id: number; edge_confidence: AttributionConfidence }>(
    ctx,
    "Operation.origins",
    `SELECT x.operation_id, x.confidence AS edge_confidence, c.* FROM operation_origin x JOIN country c ON c.code = x.country_code
     WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.position, x.country_code`,
  ).load(operationId);
  return rows.map((row) => ({ country: countryOf(ctx, row), confidence: row.edge_confidence }));
}

/** TARGET edges of an operation: the countries, in the order the source gives. */
export async function targetsOf(ctx: Context, operationId: number): Promise<Country[]> {
  const rows = await edgeRecords<{ operation_id: number }>(
    ctx,
    "Operation.targets",
    `SELECT x.operation_id, c.* FROM operation_target x JOIN country c ON c.code = x.country_code
     WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.position, x.country_code`,
  ).load(operationId);
  return rows.map((row) => countryOf(ctx, row));
}

/** Companies in one role (AI_TOOL, PLATFORM, OPERATOR) in an operation; all roles share one statement. */
export async function companiesOf(ctx: Context, operationId: number, role: CompanyRole): Promise<Company[]> {
  const rows = await edgeRecords<{ operation_id: number; edge_role: CompanyRole }>(
    ctx,
    "Operation.companies",
    `SELECT x.operation_id, x.role AS edge_role, c.* FROM operation_company x JOIN company c ON c.id = x.company_id
     WHERE x.operation_id = ANY($1::int[]) ORDER BY x.operation_id, x.role, x.position, x.company_id`,
  ).load(operationId);
  const byId = companiesById(ctx);
  return rows
    .filter((row) => row.edge_role === role)
    .map((row) => {
      const company = recordOf(ctx, Company, row);
      byId.prime(company.id, company);
      return company;
    });
}
