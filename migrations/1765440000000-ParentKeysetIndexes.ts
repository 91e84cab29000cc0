import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The keyset indexes of the lists under one parent: [index, table, parent column, sort expression].
 * Each list's sort expression is its service's (`SORT` in report, company and statement services),
 * with the id after it as the tiebreak.
 */
export const PARENT_KEYSET_INDEXES: [index: string, table: string, parent: string, sort: string][] = [
  ["report_publisher_key_id_idx", "report", "publisher_id", "key"],
  ["report_publisher_title_id_idx", "report", "publisher_id", "(title COLLATE reader_order)"],
  ["company_hq_country_key_id_idx", "company", "hq_country_code", "key"],
  ["company_hq_country_name_id_idx", "company", "hq_country_code", "(name COLLATE reader_order)"],
  ["statement_organization_key_id_idx", "statement", "organization_id", "key"],
  ["statement_organization_said_on_id_idx", "statement", "organization_id", "(COALESCE(said_on, DATE '0001-01-01'))"],
  ["statement_organization_speaker_id_idx", "statement", "organization_id", "(speaker COLLATE reader_order)"],
  ["statement_country_key_id_idx", "statement", "country_code", "key"],
  ["statement_country_said_on_id_idx", "statement", "country_code", "(COALESCE(said_on, DATE '0001-01-01'))"],
  ["statement_country_speaker_id_idx", "statement", "country_code", "(speaker COLLATE reader_order)"],
];

/**
 * A list under one parent (a company's reports, a country's companies, a company's or a country's
 * statements) is a keyset page: `WHERE parent = $1 ORDER BY sort, id LIMIT n + 1`. With an index on
 * the parent alone, or on the sort alone, PostgreSQL guesses how many rows a parent has from the
 * average: at 1M operations it walked a report's key index past every report to fill the page of a
 * company that published none (40,000 rows a company, 8 ms, 57 ms for seven companies of one
 * page). An index on (parent, sort, id) makes every such page a range scan of its own rows, in every
 * order the list offers (the publication-date order has one since MaintainedFacts).
 */
export class ParentKeysetIndexes1765440000000 implements MigrationInterface {
  name = "ParentKeysetIndexes1765440000000";

  public async up(q: QueryRunner): Promise<void> {
    for (const [index, table, parent, sort] of PARENT_KEYSET_INDEXES) await q.query(`CREATE INDEX ${index} ON ${table} (${parent}, ${sort}, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [index] of PARENT_KEYSET_INDEXES) await q.query(`DROP INDEX ${index}`);
  }
}
