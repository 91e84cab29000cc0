import type { SourceRef } from "../../common/source";
import { SqlParams } from "../../db/sql";
import type { Context } from "../../context";
import { operationFilterSql, resolveOperationFilter } from "../../modules/operation";
import type { OperationFilter } from "../../modules/operation";
import { company } from "../../common/records/company";
import { report } from "../../common/records/report";
import { operation } from "../../common/records/operation";
import { statement } from "../../common/records/statement";
import { country } from "../../common/records/country";
import { stixSelect } from "./stix-properties";

/** Latest curation write to a record, as a STIX timestamp, or null. */
/**
 * When a report's STIX object last changed by curation: its own audit entries, and those of every
 * operation that listed the report before or after its change (linked, changed while linked,
 * unlinked or deleted): each of these changes the report's `object_refs`, and STIX asks a new
 * version of an object to carry a later `modified`.
 */
const reportAudited = (key: string) =>
  `(SELECT to_char(max(a.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM audit_entry a
    WHERE (a.record_kind = 'reports' AND a.record_key = ${key})
       OR (a.record_kind = 'operations' AND (a.before -> 'reportKeys' ? ${key} OR a.after -> 'reportKeys' ? ${key})))`;

const audited = (kind: string, key: string) =>
  `(SELECT to_char(max(a.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') FROM audit_entry a WHERE a.record_kind = '${kind}' AND a.record_key = ${key})`;

/** An operation as the bundle needs it; the fields its declaration maps onto STIX properties are read by name (`stixSelect`). */
export interface OperationRow {
  [field: string]: unknown;
  id: number;
  key: string;
  sources: SourceRef[];
  firstDisclosed: string;
  lastDisclosed: string;
  auditedAt: string | null;
}

/** A report as the bundle needs it; the fields its declaration maps onto STIX properties are read by name (`stixSelect`). */
export interface ReportRow {
  [field: string]: unknown;
  key: string;
  url: string;
  publishedOn: string;
  sources: SourceRef[];
  publisher: string;
  operationKeys: string[];
  auditedAt: string | null;
}

/** A statement as the bundle needs it; the fields its declaration maps onto STIX properties are read by name (`stixSelect`). */
export interface StatementRow {
  [field: string]: unknown;
  key: string;
  speaker: string;
  speakerRole: string | null;
  organization: string | null;
  quote: string;
  stance: string;
  saidOn: string | null;
  sourceUrl: string;
  operationKeys: string[];
  reportKeys: string[];
  auditedAt: string | null;
}

/** A company as the bundle needs it; the fields its declaration maps onto STIX properties are read by name (`stixSelect`). */
export interface CompanyRow {
  [field: string]: unknown;
  key: string;
  name: string;
  website: string | null;
  sources: SourceRef[];
  auditedAt: string | null;
}

/** Everything one STIX export needs, read in a fixed number of statements whatever the filter. */
export interface StixData {
  operations: OperationRow[];
  origins: { operation: string; country: string; confidence: string }[];
  targets: { operation: string; country: string }[];
  /** AI_TOOL and OPERATOR edges. */
  companyEdges: { operation: string; company: string; role: "AI_TOOL" | "OPERATOR" }[];
  reports: ReportRow[];
  statements: StatementRow[];
  companies: CompanyRow[];
  /** Read by the country declaration's STIX fields (`code`, `name`). */
  countries: ({ code: string; name: string } & Record<string, unknown>)[];
  /**
   * Every company that publishes reports, whatever the filter, with the pages that are its own: its
   * website and every report's URL and PUBLISHER source. A PUBLISHER source is named after the
   * publisher whose pages share its host (docs/stix.md), the same in every export.
   */
  publishers: PublisherPages[];
}

export interface PublisherPages {
  key: string;
  name: string;
  website: string | null;
  urls: string[];
}

/**
 * Reads the operations an OperationFilter selects (resolved and validated exactly as the API does),
 * with the reports that disclosed them, their edges, the statements about them or those reports,
 * and the companies and countries they name; with no filter, every report and statement. Every
 * list is ordered by key, so exports are stable. Every statement runs through the request's `ctx.sql`
 * (its in-flight cap and budget). The selected operations are counted first and `beforeRead` told
 * how many, so an export refused (too large, over the rate limit) reads nothing more.
 */
export async function readStixData(ctx: Context, filter: OperationFilter, beforeRead: (operations: number) => Promise<void>): Promise<StixData> {
  const resolved = await resolveOperationFilter(ctx, filter);
  const params = new SqlParams();
  const where = operationFilterSql(resolved, params, "e");
  const whereSql = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const [{ n }] = await ctx.sql<{ n: number }>(`SELECT count(*)::int AS n FROM operation e ${whereSql}`, params.values);
  await beforeRead(n);
  const operations = await readOperations(ctx, whereSql, params);
  const ids = operations.map((o) => o.id);
  // With no filter the export is the whole dataset: reports that disclosed no operation too.
  const everything = where.length === 0;
  const [edges, reports, statements] = await Promise.all([readEdges(ctx, ids), readReports(ctx, ids, everything), readStatements(ctx, ids, everything)]);
  const companyKeys = [...new Set([...edges.companyEdges.map((e) => e.company), ...reports.map((r) => r.publisher)])];
  const countryCodes = [...new Set([...edges.origins.map((o) => o.country), ...edges.targets.map((t) => t.country)])];
  return { operations, ...edges, reports, statements, ...(await readNamed(ctx, companyKeys, countryCodes)) };
}

/** The selected operations, with their first and last disclosure dates and last curation time. */
function readOperations(ctx: Context, whereSql: string, params: SqlParams): Promise<OperationRow[]> {
  return ctx.sql(
    `SELECT e.id, e.key, ${stixSelect(operation, "e")}, e.sources,
        (SELECT min(r.published_on)::text FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = e.id) AS "firstDisclosed",
        (SELECT max(r.published_on)::text FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = e.id) AS "lastDisclosed",
        ${audited("operations", "e.key")} AS "auditedAt"
     FROM operation e ${whereSql} ORDER BY e.key COLLATE "C"`,
    params.values,
  );
}

/** The selected operations' origins, targets, AI tools and operators. */
async function readEdges(ctx: Context, ids: number[]): Promise<Pick<StixData, "origins" | "targets" | "companyEdges">> {
  const [origins, targets, companyEdges] = await Promise.all([
    ctx.sql(
      `SELECT o.key AS operation, x.country_code::text AS country, x.confidence FROM operation_origin x JOIN operation o ON o.id = x.operation_id
       WHERE x.operation_id = ANY($1::int[]) ORDER BY o.key COLLATE "C", x.country_code`,
      [ids],
    ),
    ctx.sql(
      `SELECT o.key AS operation, x.country_code::text AS country FROM operation_target x JOIN operation o ON o.id = x.operation_id
       WHERE x.operation_id = ANY($1::int[]) ORDER BY o.key COLLATE "C", x.country_code`,
      [ids],
    ),
    ctx.sql(
      `SELECT o.key AS operation, c.key AS company, x.role FROM operation_company x JOIN operation o ON o.id = x.operation_id JOIN company c ON c.id = x.company_id
       WHERE x.operation_id = ANY($1::int[]) AND x.role IN ('AI_TOOL', 'OPERATOR') ORDER BY o.key COLLATE "C", x.role, c.key COLLATE "C"`,
      [ids],
    ),
  ]);
  return { origins, targets, companyEdges };
}

/** The reports that disclosed a selected operation (every report when `everything`), with the operations they disclosed. */
function readReports(ctx: Context, ids: number[], everything: boolean): Promise<ReportRow[]> {
  return ctx.sql(
    `SELECT r.key, ${stixSelect(report, "r")}, r.url, r.sources, c.key AS publisher,
          ARRAY(SELECT o.key FROM operation_report x JOIN operation o ON o.id = x.operation_id
                WHERE x.report_id = r.id AND x.operation_id = ANY($1::int[]) ORDER BY o.key COLLATE "C") AS "operationKeys",
          ${reportAudited("r.key")} AS "auditedAt"
       FROM report r JOIN company c ON c.id = r.publisher_id
       WHERE $2::bool OR EXISTS (SELECT 1 FROM operation_report x WHERE x.report_id = r.id AND x.operation_id = ANY($1::int[]))
       ORDER BY r.key COLLATE "C"`,
    [ids, everything],
  );
}

/** The statements about a selected operation or a report that disclosed one (every statement about anything when `everything`). */
function readStatements(ctx: Context, ids: number[], everything: boolean): Promise<StatementRow[]> {
  return ctx.sql(
    `SELECT s.key, ${stixSelect(statement, "s")}, s.speaker_role AS "speakerRole", org.name AS organization, s.said_on::text AS "saidOn",
          s.source_url AS "sourceUrl",
          ARRAY(SELECT o.key FROM statement_operation so JOIN operation o ON o.id = so.operation_id
                WHERE so.statement_id = s.id AND so.operation_id = ANY($1::int[]) ORDER BY o.key COLLATE "C") AS "operationKeys",
          ARRAY(SELECT r.key FROM statement_report sr JOIN report r ON r.id = sr.report_id
                WHERE sr.statement_id = s.id
                  AND ($2::bool OR EXISTS (SELECT 1 FROM operation_report x WHERE x.report_id = sr.report_id AND x.operation_id = ANY($1::int[])))
                ORDER BY r.key COLLATE "C") AS "reportKeys",
          ${audited("statements", "s.key")} AS "auditedAt"
       FROM statement s LEFT JOIN company org ON org.id = s.organization_id
       WHERE ($2::bool AND (EXISTS (SELECT 1 FROM statement_operation so WHERE so.statement_id = s.id) OR EXISTS (SELECT 1 FROM statement_report sr WHERE sr.statement_id = s.id)))
          OR EXISTS (SELECT 1 FROM statement_operation so WHERE so.statement_id = s.id AND so.operation_id = ANY($1::int[]))
          OR EXISTS (SELECT 1 FROM statement_report sr JOIN operation_report x ON x.report_id = sr.report_id WHERE sr.statement_id = s.id AND x.operation_id = ANY($1::int[]))
       ORDER BY s.key COLLATE "C"`,
    [ids, everything],
  );
}

/** The companies and countries the bundle names, and every publisher with its own pages. */
async function readNamed(ctx: Context, companyKeys: string[], countryCodes: string[]): Promise<Pick<StixData, "companies" | "countries" | "publishers">> {
  const [companies, countries, publishers] = await Promise.all([
    ctx.sql(
      `SELECT c.key, ${stixSelect(company, "c")}, c.website, c.sources, ${audited("companies", "c.key")} AS "auditedAt" FROM company c WHERE c.key = ANY($1::text[]) ORDER BY c.key COLLATE "C"`,
      [companyKeys],
    ),
    ctx.sql(`SELECT ${stixSelect(country, "c")} FROM country c WHERE c.code = ANY($1::bpchar[]) ORDER BY c.code`, [countryCodes]),
    ctx.sql(
      `SELECT c.key, c.name, c.website,
          ARRAY(SELECT DISTINCT u.url FROM report r
                CROSS JOIN LATERAL (SELECT r.url UNION ALL SELECT s->>'url' FROM jsonb_array_elements(r.sources) s WHERE s->>'kind' = 'PUBLISHER') u(url)
                WHERE r.publisher_id = c.id ORDER BY 1) AS urls
       FROM company c WHERE EXISTS (SELECT 1 FROM report r WHERE r.publisher_id = c.id) ORDER BY c.key COLLATE "C"`,
    ),
  ]);
  return { companies, countries, publishers };
}
