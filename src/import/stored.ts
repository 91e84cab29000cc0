import type { EntityManager } from "typeorm";
import type { AnyRecord, EntityKind } from "./kinds";
import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { storedSelect } from "../common/records/derive";

/**
 * SQL selecting stored records of one kind in bundle shape (keys instead of ids, edges as lists in
 * source order). `where` filters on the record's own table, aliased `t`. The import compares with
 * it, curation shows it as a record's "before", and the dataset's content hash is taken over it.
 */
export function storedRecordsSql(kind: EntityKind, where: string): string {
  switch (kind) {
    case "companies":
      return `SELECT ${storedSelect(company)} FROM company t WHERE ${where}`;
    case "reports":
      return `SELECT ${storedSelect(report)},
          COALESCE((SELECT json_agg(json_build_object('label', f.label, 'value', f.value, 'qualifier', f.qualifier) ORDER BY f.position)
                    FROM report_figure f WHERE f.report_id = t.id), '[]') AS figures
        FROM report t JOIN company c ON c.id = t.publisher_id WHERE ${where}`;
    case "operations":
      return `SELECT t.key, t.name, t.aliases,
          ARRAY(SELECT r.key FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = t.id ORDER BY r.published_on, r.key COLLATE "C") AS "reportKeys",
          COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('report', r.key, 'nameInReport', x.name_in_report, 'breakoutScale', x.breakout_scale,
                      'accountsBanned', x.accounts_banned, 'originConfidence', x.origin_confidence, 'quote', x.quote, 'locator', x.locator)) ORDER BY r.published_on, r.key COLLATE "C")
                    FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = t.id), '[]') AS disclosures,
          t.categories, t.actor_type AS "actorType",
          COALESCE((SELECT json_agg(json_build_object('country', x.country_code, 'confidence', x.confidence) ORDER BY x.position)
                    FROM operation_origin x WHERE x.operation_id = t.id), '[]') AS origin,
          ARRAY(SELECT x.country_code::text FROM operation_target x WHERE x.operation_id = t.id ORDER BY x.position) AS targets,
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'AI_TOOL' ORDER BY x.position) AS "aiTools",
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'PLATFORM' ORDER BY x.position) AS platforms,
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'OPERATOR' ORDER BY x.position) AS operators,
          t.accounts_banned AS "accountsBanned", t.breakout_scale AS "breakoutScale", t.first_seen AS "firstSeen", t.last_seen AS "lastSeen",
          t.summary, t.sources
        FROM operation t WHERE ${where}`;
    case "statements":
      return `SELECT ${storedSelect(statement)} FROM statement t LEFT JOIN company c ON c.id = t.organization_id WHERE ${where}`;
  }
}

/** The stored records of one kind, in bundle shape, for the given keys: what an import merges into. */
export async function loadStored(db: EntityManager, kind: EntityKind, keys: string[]): Promise<Map<string, AnyRecord>> {
  if (keys.length === 0) return new Map();
  const rows: AnyRecord[] = await db.query(storedRecordsSql(kind, "t.key = ANY($1)"), [keys]);
  return new Map(rows.map((row) => [row.key, row]));
}

/** URL and publication date of stored reports, for operations that refer to reports outside the bundle. */
export async function reportFacts(db: EntityManager, keys: string[]): Promise<Map<string, { url: string; publishedOn: string }>> {
  const rows: { key: string; url: string; publishedOn: string }[] = keys.length
    ? await db.query(`SELECT key, url, published_on AS "publishedOn" FROM report WHERE key = ANY($1)`, [keys])
    : [];
  return new Map(rows.map((row) => [row.key, row]));
}
