import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * API key names become unique, so the audit log's key name identifies one key. Keys that already
 * share a name keep the oldest one's name; the others get their id appended (" #<id>").
 */
export class UniqueApiKeyNames1764800000000 implements MigrationInterface {
  name = "UniqueApiKeyNames1764800000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "api_key" k SET "name" = k."name" || ' #' || k."id" WHERE EXISTS (SELECT 1 FROM "api_key" o WHERE o."name" = k."name" AND o."id" < k."id")`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "api_key_name_unique" ON "api_key" ("name") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."api_key_name_unique"`);
  }
}
