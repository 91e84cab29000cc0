import type { MigrationInterface, QueryRunner } from "typeorm";

const RECORDS = [
  ["company", "COMPANY"],
  ["report", "REPORT"],
  ["operation", "OPERATION"],
  ["statement", "STATEMENT"],
] as const;

/** Edge tables and the record each belongs to (the record whose bundle entry states the edge). */
const EDGES = [
  ["operation_report", "operation", "operation_id"],
  ["operation_origin", "operation", "operation_id"],
  ["operation_target", "operation", "operation_id"],
  ["operation_company", "operation", "operation_id"],
  ["statement_report", "statement", "statement_id"],
  ["statement_operation", "statement", "statement_id"],
  ["report_figure", "report", "report_id"],
] as const;

const EVENTS = [
  ["insert", "INSERT", "NEW"],
  ["update", "UPDATE", "NEW"],
  ["delete", "DELETE", "OLD"],
] as const;

/**
 * Incremental sync:
 * - `updated_at` on companies, reports, operations and statements: set to the writing transaction's
 *   start (`now()`) by a row trigger whenever the row really changes (`NEW IS DISTINCT FROM OLD`, so a
 *   no-op upsert keeps it), and by statement triggers on the edge tables whenever a record's edges
 *   change (an operation's origins, a report's figures, ...);
 * - `deletion`: a tombstone (kind, key, time) for every deleted record, written by statement triggers.
 * `TRUNCATE` (the synthetic bench generator) writes no tombstones.
 */
export class IncrementalSync1765100000000 implements MigrationInterface {
  name = "IncrementalSync1765100000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE deletion (id SERIAL PRIMARY KEY, kind text NOT NULL, key text NOT NULL, deleted_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT deletion_kind_check CHECK (kind IN ('COMPANY','REPORT','OPERATION','STATEMENT')))`);
    await q.query(`CREATE INDEX deletion_deleted_at_id_idx ON deletion (deleted_at, id)`);
    await q.query(`CREATE FUNCTION sync_touch_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN IF NEW IS DISTINCT FROM OLD THEN NEW.updated_at := now(); END IF; RETURN NEW; END $fn$`);
    // Skips records already stamped by this transaction, so a record written together with its edges is updated once.
    await q.query(`CREATE FUNCTION sync_touch_parent() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        EXECUTE format('UPDATE %I SET updated_at = now() WHERE updated_at <> now() AND id IN (SELECT %I FROM changed_rows)', TG_ARGV[0], TG_ARGV[1]);
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION sync_record_deletion() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN INSERT INTO deletion (kind, key) SELECT TG_ARGV[0], key FROM gone_rows; RETURN NULL; END $fn$`);
    for (const [table, kind] of RECORDS) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
      await q.query(`CREATE INDEX ${table}_updated_at_id_idx ON ${table} (updated_at, id)`);
      await q.query(`CREATE TRIGGER ${table}_sync_touch BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION sync_touch_row()`);
      await q.query(`CREATE TRIGGER ${table}_sync_deletion AFTER DELETE ON ${table} REFERENCING OLD TABLE AS gone_rows FOR EACH STATEMENT EXECUTE FUNCTION sync_record_deletion('${kind}')`);
    }
    for (const [edge, parent, column] of EDGES) {
      for (const [name, event, side] of EVENTS) {
        await q.query(`CREATE TRIGGER ${edge}_sync_${name} AFTER ${event} ON ${edge} REFERENCING ${side} TABLE AS changed_rows
          FOR EACH STATEMENT EXECUTE FUNCTION sync_touch_parent('${parent}', '${column}')`);
      }
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [edge] of EDGES) for (const [name] of EVENTS) await q.query(`DROP TRIGGER ${edge}_sync_${name} ON ${edge}`);
    for (const [table] of RECORDS) {
      await q.query(`DROP TRIGGER ${table}_sync_deletion ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_sync_touch ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN updated_at`);
    }
    await q.query(`DROP FUNCTION sync_record_deletion(), sync_touch_parent(), sync_touch_row()`);
    await q.query(`DROP TABLE deletion`);
  }
}
