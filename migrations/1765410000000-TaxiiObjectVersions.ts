import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The TAXII collection's object versions: one row per version (STIX id and `modified`) of each
 * object the whole-dataset STIX bundle holds, with the hash of its content, the object itself and
 * `date_added`, the time the service first served that version. The service writes a row when
 * a data change (import or curation write) adds an object or changes one, so `added_after` sees
 * exactly those changes, and the dates survive restarts and are shared by every replica.
 */
export class TaxiiObjectVersions1765410000000 implements MigrationInterface {
  name = "TaxiiObjectVersions1765410000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE taxii_object_version (
      stix_id text NOT NULL,
      modified text NOT NULL,
      content_hash text NOT NULL,
      date_added timestamptz NOT NULL,
      object json NOT NULL,
      PRIMARY KEY (stix_id, modified)
    )`);
    await q.query(`CREATE INDEX taxii_object_version_date_added ON taxii_object_version (date_added)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE taxii_object_version`);
  }
}
