import type { MigrationInterface, QueryRunner } from "typeorm";

/** The keyset indexes on names: [index, table, name column, tiebreak column]. */
const NAME_INDEXES: [index: string, table: string, column: string, tiebreak: string][] = [
  ["operation_name_id_idx", "operation", "name", "id"],
  ["report_title_id_idx", "report", "title", "id"],
  ["company_name_id_idx", "company", "name", "id"],
  ["country_name_code_idx", "country", "name", "code"],
  ["statement_speaker_id_idx", "statement", "speaker", "id"],
];

/**
 * Names, titles and speakers sort as a reader expects ("Alibaba" before "APT31", "Émile" beside
 * "Emile"), not byte for byte. `reader_order` is ICU's root collation at strength 2 (base letters
 * and accents count, case does not), left deterministic: strings it finds equal are then ordered by
 * their bytes, so it is a total order on distinct strings (keyset paging needs one, with the id
 * after it) and LIKE, equality and unique indexes keep working. The services' sort expressions and
 * keyset conditions write `name COLLATE reader_order`, and the keyset indexes are rebuilt on that
 * same expression, so a page stays an index range scan.
 *
 * PostgreSQL built without ICU has no such collation; there `reader_order` is a copy of "C" (byte
 * order, as before) and the lists still page exactly. Both the Debian server and the embedded
 * binaries this project runs on have ICU.
 */
export class ReaderNameOrder1765420000000 implements MigrationInterface {
  name = "ReaderNameOrder1765420000000";

  public async up(q: QueryRunner): Promise<void> {
    const [{ icu }] = await q.query(`SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i') AS icu`);
    await q.query(icu ? `CREATE COLLATION reader_order (provider = icu, locale = 'und-u-ks-level2', deterministic = true)` : `CREATE COLLATION reader_order FROM "C"`);
    for (const [index, table, column, tiebreak] of NAME_INDEXES) {
      await q.query(`DROP INDEX ${index}`);
      await q.query(`CREATE INDEX ${index} ON ${table} ((${column} COLLATE reader_order), ${tiebreak})`);
    }
    await q.query(`DROP INDEX operation_actor_type_name_id_idx`);
    await q.query(`CREATE INDEX operation_actor_type_name_id_idx ON operation (actor_type, (name COLLATE reader_order), id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [index, table, column, tiebreak] of NAME_INDEXES) {
      await q.query(`DROP INDEX ${index}`);
      await q.query(`CREATE INDEX ${index} ON ${table} (${column}, ${tiebreak})`);
    }
    await q.query(`DROP INDEX operation_actor_type_name_id_idx`);
    await q.query(`CREATE INDEX operation_actor_type_name_id_idx ON operation (actor_type, name, id)`);
    await q.query(`DROP COLLATION reader_order`);
  }
}
