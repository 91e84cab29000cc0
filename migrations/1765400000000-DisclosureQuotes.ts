import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Each disclosure (operation_report) keeps the report's own words for what it states (`quote`,
 * verbatim) and where in the report they stand (`locator`: page, section or case-study heading),
 * so every per-report value can be checked against its source. Both are optional: older
 * disclosures were recorded without them.
 */
export class DisclosureQuotes1765400000000 implements MigrationInterface {
  name = "DisclosureQuotes1765400000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "operation_report" ADD COLUMN "quote" text, ADD COLUMN "locator" text`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "operation_report" DROP COLUMN "quote", DROP COLUMN "locator"`);
  }
}
