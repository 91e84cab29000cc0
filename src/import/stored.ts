import type { EntityManager } from "typeorm";
import type { AnyRecord, EntityKind } from "./kinds";
import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { operation } from "../common/records/operation";
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
      return `SELECT ${storedSelect(operation)} FROM operation t WHERE ${where}`;
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
