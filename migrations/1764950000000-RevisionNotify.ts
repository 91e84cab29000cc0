import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every committed import (`dataset_import`) and curation write (`audit_entry`) notifies channel
 * `misuse_graph_revision`, so services (every replica) know the dataset changed without reading its
 * revision on every request. NOTIFY is transactional: it is delivered when the write commits.
 */
export class RevisionNotify1764950000000 implements MigrationInterface {
  name = "RevisionNotify1764950000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION notify_revision() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN PERFORM pg_notify('misuse_graph_revision', TG_TABLE_NAME); RETURN NULL; END $fn$`);
    for (const table of ["dataset_import", "audit_entry"]) {
      await q.query(`CREATE TRIGGER ${table}_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION notify_revision()`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ["dataset_import", "audit_entry"]) await q.query(`DROP TRIGGER ${table}_revision ON ${table}`);
    await q.query(`DROP FUNCTION notify_revision()`);
  }
}
