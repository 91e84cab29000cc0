import type { MigrationInterface, QueryRunner } from "typeorm";
import { classifySourceUrl } from "../src/common/source-hosts";

const KINDS = `@.kind == "PUBLISHER" || @.kind == "MIRROR" || @.kind == "PRESS" || @.kind == "GOVERNMENT" || @.kind == "OTHER"`;
const ELEMENTS = `NOT jsonb_path_exists(sources, '$[*] ? (!exists(@.url) || !exists(@.kind) || !(${KINDS}))')`;

/**
 * Typed sources and per-disclosure facts.
 *
 * Sources: `sources text[]` on company, report and operation becomes a jsonb array of
 * `{url, kind, title?, archivedUrl?}`, every stored URL kept in order and classified by its host
 * (src/common/source-hosts.ts). jsonb rather than a `source` table: sources are always read and
 * written whole with their record, never joined on, so a column keeps the importer's bundle-shaped
 * round trip and the dataset content hash a single statement, and needs no loader. Statements gain
 * `source_kind`, classified the same way.
 *
 * Disclosures: the DISCLOSED_IN edge (operation_report) gains what that report stated: the
 * report's own name for the operation, its Breakout Scale rating, accounts banned and origin
 * confidence (one value: no stored operation has origins with different confidences). An operation
 * disclosed by one report gets that report's values from the operation's own fields, as the
 * importer does for old-format bundles.
 */
export class TypedSourcesAndDisclosures1764500000000 implements MigrationInterface {
  name = "TypedSourcesAndDisclosures1764500000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["company", "report", "operation"]) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD COLUMN "typed_sources" jsonb NOT NULL DEFAULT '[]'`);
      const rows: { id: number; sources: string[] }[] = await queryRunner.query(`SELECT id, sources FROM "${table}"`);
      if (rows.length > 0) {
        await queryRunner.query(
          `UPDATE "${table}" t SET typed_sources = u.typed FROM unnest($1::int[], $2::jsonb[]) AS u(id, typed) WHERE t.id = u.id`,
          [rows.map((row) => row.id), rows.map((row) => JSON.stringify(row.sources.map((url) => ({ url, kind: classifySourceUrl(url) }))))],
        );
      }
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "sources"`);
      await queryRunner.query(`ALTER TABLE "${table}" RENAME COLUMN "typed_sources" TO "sources"`);
      if (table !== "company") await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "sources" DROP DEFAULT`);
      const nonEmpty = table === "company" ? "" : " AND jsonb_array_length(sources) > 0";
      await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${table}_sources_check" CHECK (jsonb_typeof(sources) = 'array'${nonEmpty} AND ${ELEMENTS})`);
    }

    await queryRunner.query(`ALTER TABLE "statement" ADD COLUMN "source_kind" text`);
    const statements: { id: number; source_url: string }[] = await queryRunner.query(`SELECT id, source_url FROM "statement"`);
    if (statements.length > 0) {
      await queryRunner.query(`UPDATE "statement" t SET source_kind = u.kind FROM unnest($1::int[], $2::text[]) AS u(id, kind) WHERE t.id = u.id`, [
        statements.map((row) => row.id),
        statements.map((row) => classifySourceUrl(row.source_url)),
      ]);
    }
    await queryRunner.query(`ALTER TABLE "statement" ALTER COLUMN "source_kind" SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "statement" ADD CONSTRAINT "statement_source_kind_check" CHECK (source_kind IN ('PUBLISHER','MIRROR','PRESS','GOVERNMENT','OTHER'))`,
    );

    await queryRunner.query(`ALTER TABLE "operation_report" ADD COLUMN "name_in_report" text, ADD COLUMN "breakout_scale" smallint,
      ADD COLUMN "accounts_banned" integer, ADD COLUMN "origin_confidence" text,
      ADD CONSTRAINT "operation_report_breakout_scale_check" CHECK (breakout_scale BETWEEN 1 AND 6),
      ADD CONSTRAINT "operation_report_accounts_banned_check" CHECK (accounts_banned >= 0),
      ADD CONSTRAINT "operation_report_origin_confidence_check" CHECK (origin_confidence IN ('CONFIRMED','LIKELY','POSSIBLE'))`);
    await queryRunner.query(`UPDATE operation_report x SET breakout_scale = o.breakout_scale, accounts_banned = o.accounts_banned,
        origin_confidence = (SELECT CASE WHEN count(DISTINCT g.confidence) = 1 THEN min(g.confidence) END FROM operation_origin g WHERE g.operation_id = o.id)
      FROM operation o WHERE o.id = x.operation_id AND (SELECT count(*) FROM operation_report y WHERE y.operation_id = o.id) = 1`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "operation_report" DROP COLUMN "name_in_report", DROP COLUMN "breakout_scale",
      DROP COLUMN "accounts_banned", DROP COLUMN "origin_confidence"`);
    await queryRunner.query(`ALTER TABLE "statement" DROP COLUMN "source_kind"`);
    for (const table of ["company", "report", "operation"]) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${table}_sources_check"`);
      await queryRunner.query(
        `ALTER TABLE "${table}" ALTER COLUMN "sources" TYPE text[] USING ARRAY(SELECT s->>'url' FROM jsonb_array_elements(sources) s)`,
      );
      if (table === "company") await queryRunner.query(`ALTER TABLE "company" ALTER COLUMN "sources" SET DEFAULT '{}'`);
      else await queryRunner.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${table}_sources_check" CHECK (cardinality(sources) > 0)`);
    }
  }
}
