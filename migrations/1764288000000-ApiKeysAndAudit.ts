import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Curation access: API keys (only a SHA-256 of each key is stored) and the audit trail every write
 * through the API leaves. Generated from the entities with TypeORM's schema builder and reviewed.
 */
export class ApiKeysAndAudit1764288000000 implements MigrationInterface {
  name = "ApiKeysAndAudit1764288000000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_key" ("id" SERIAL NOT NULL, "name" text NOT NULL, "role" text NOT NULL, "key_hash" text NOT NULL, "key_prefix" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_3c9751d2a6011ba13e27838105e" UNIQUE ("key_hash"), CONSTRAINT "api_key_role_check" CHECK (role IN ('editor','admin')), CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "audit_entry" ("id" SERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "api_key_id" integer NOT NULL, "api_key_name" text NOT NULL, "operation" text NOT NULL, "record_kind" text NOT NULL, "record_key" text NOT NULL, "before" jsonb, "after" jsonb, CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9d18bd4a32fc0cd8ff82b12037" ON "audit_entry"  ("at") `);
    await queryRunner.query(`CREATE INDEX "IDX_6aa8e56c2434cdbdd8c91e148d" ON "audit_entry"  ("api_key_id") `);
    await queryRunner.query(`ALTER TABLE "audit_entry" ADD CONSTRAINT "FK_6aa8e56c2434cdbdd8c91e148d4" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_entry" DROP CONSTRAINT "FK_6aa8e56c2434cdbdd8c91e148d4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6aa8e56c2434cdbdd8c91e148d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9d18bd4a32fc0cd8ff82b12037"`);
    await queryRunner.query(`DROP TABLE "audit_entry"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
  }
}
