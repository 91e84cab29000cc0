import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The graph's tables: countries, companies, reports with their figures, operations with their
 * edges (disclosures, origins, targets, companies by role), statements with theirs, and the log of
 * dataset imports. Generated from the entities with TypeORM's schema builder and reviewed; the GIN
 * index on operation categories is added by hand (TypeORM does not declare GIN indexes).
 */
export class InitialSchema1764115200000 implements MigrationInterface {
  name = "InitialSchema1764115200000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "country" ("code" character(2) NOT NULL, "alpha3" character(3) NOT NULL, "name" text NOT NULL, "region" text NOT NULL, "subregion" text, "lat" double precision NOT NULL, "lng" double precision NOT NULL, CONSTRAINT "UQ_f99016ded6fcc47ddf50ec74ba1" UNIQUE ("alpha3"), CONSTRAINT "PK_8ff4c23dc9a3f3856555bd86186" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5e835abe147101ff7caa9c0800" ON "country"  ("region") `);
    await queryRunner.query(`CREATE TABLE "company" ("id" SERIAL NOT NULL, "key" text NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "hq_country_code" character(2), "website" text, "sources" text array NOT NULL DEFAULT '{}', CONSTRAINT "UQ_cdeeadf4df87a1b2932dc76ccbd" UNIQUE ("key"), CONSTRAINT "company_key_check" CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'), CONSTRAINT "company_kind_check" CHECK (kind IN ('AI_PROVIDER','SOCIAL_PLATFORM','MESSAGING_PLATFORM','HARDWARE','CLOUD','SECURITY_VENDOR','MEDIA','GOVERNMENT_BODY','OTHER')), CONSTRAINT "PK_056f7854a7afdba7cbd6d45fc20" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_7eb4f65c6b62a570cc84b5a973" ON "company"  ("kind") `);
    await queryRunner.query(`CREATE INDEX "IDX_d38d89a06a3b6cd70ded4d6d61" ON "company"  ("hq_country_code") `);
    await queryRunner.query(`CREATE TABLE "report" ("id" SERIAL NOT NULL, "key" text NOT NULL, "title" text NOT NULL, "publisher_id" integer NOT NULL, "published_on" date NOT NULL, "url" text NOT NULL, "period_from" date, "period_to" date, "summary" text NOT NULL, "sources" text array NOT NULL, CONSTRAINT "UQ_847bf7c5c6edd7f0c4f9792f933" UNIQUE ("key"), CONSTRAINT "report_sources_check" CHECK (cardinality(sources) > 0), CONSTRAINT "report_period_check" CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to), CONSTRAINT "report_key_check" CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'), CONSTRAINT "PK_99e4d0bea58cba73c57f935a546" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_470ebbf13b103f8fe555f7c104" ON "report"  ("publisher_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_3a831757e266502566617911b1" ON "report"  ("published_on") `);
    await queryRunner.query(`CREATE TABLE "report_figure" ("id" SERIAL NOT NULL, "report_id" integer NOT NULL, "position" integer NOT NULL, "label" text NOT NULL, "value" double precision NOT NULL, "qualifier" text NOT NULL, CONSTRAINT "report_figure_position_key" UNIQUE ("report_id", "position"), CONSTRAINT "PK_4f7499f5e50b02537c9136186d3" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5af81e62ef95ddb678d466a1c6" ON "report_figure"  ("report_id") `);
    await queryRunner.query(`CREATE TABLE "operation" ("id" SERIAL NOT NULL, "key" text NOT NULL, "name" text NOT NULL, "aliases" text array NOT NULL DEFAULT '{}', "categories" text array NOT NULL, "actor_type" text NOT NULL, "summary" text NOT NULL, "accounts_banned" integer, "breakout_scale" smallint, "first_seen" date, "last_seen" date, "sources" text array NOT NULL, CONSTRAINT "UQ_eff3dfc0dfcae6292fd1cb92d2a" UNIQUE ("key"), CONSTRAINT "operation_sources_check" CHECK (cardinality(sources) > 0), CONSTRAINT "operation_seen_check" CHECK (first_seen IS NULL OR last_seen IS NULL OR first_seen <= last_seen), CONSTRAINT "operation_accounts_banned_check" CHECK (accounts_banned >= 0), CONSTRAINT "operation_breakout_scale_check" CHECK (breakout_scale BETWEEN 1 AND 6), CONSTRAINT "operation_actor_type_check" CHECK (actor_type IN ('STATE_LINKED','CRIMINAL','COMMERCIAL','UNATTRIBUTED')), CONSTRAINT "operation_categories_check" CHECK (cardinality(categories) > 0 AND categories <@ ARRAY['INFLUENCE_OPERATION','CYBER_OPERATION','MALWARE_DEVELOPMENT','PHISHING','SCAM','SOCIAL_ENGINEERING','DECEPTIVE_EMPLOYMENT','SURVEILLANCE','RECONNAISSANCE','OTHER']::text[]), CONSTRAINT "operation_key_check" CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'), CONSTRAINT "PK_18556ee6e49c005fc108078f3ab" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d6044fe354f792a93d4049bd57" ON "operation"  ("actor_type") `);
    await queryRunner.query(`CREATE INDEX "IDX_cd244789a097b140a259e53b36" ON "operation"  ("breakout_scale") `);
    await queryRunner.query(`CREATE TABLE "operation_report" ("operation_id" integer NOT NULL, "report_id" integer NOT NULL, CONSTRAINT "PK_cc54053380170286183dcc18473" PRIMARY KEY ("operation_id", "report_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d323c75fb499dff9e03e2d0903" ON "operation_report"  ("report_id") `);
    await queryRunner.query(`CREATE TABLE "operation_origin" ("operation_id" integer NOT NULL, "country_code" character(2) NOT NULL, "confidence" text NOT NULL, "position" integer NOT NULL DEFAULT '0', CONSTRAINT "operation_origin_confidence_check" CHECK (confidence IN ('CONFIRMED','LIKELY','POSSIBLE')), CONSTRAINT "PK_30d5a82608edc90dde64aa300d1" PRIMARY KEY ("operation_id", "country_code"))`);
    await queryRunner.query(`CREATE INDEX "IDX_9b60c0ec00334b2b9bb49da37b" ON "operation_origin"  ("country_code") `);
    await queryRunner.query(`CREATE TABLE "operation_target" ("operation_id" integer NOT NULL, "country_code" character(2) NOT NULL, "position" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_36f6db2320741fb05f1aedf2809" PRIMARY KEY ("operation_id", "country_code"))`);
    await queryRunner.query(`CREATE INDEX "IDX_16e7ab08bcacb09bab103d762c" ON "operation_target"  ("country_code") `);
    await queryRunner.query(`CREATE TABLE "operation_company" ("operation_id" integer NOT NULL, "company_id" integer NOT NULL, "role" text NOT NULL, "position" integer NOT NULL DEFAULT '0', CONSTRAINT "operation_company_role_check" CHECK (role IN ('AI_TOOL','PLATFORM','OPERATOR')), CONSTRAINT "PK_01ffbfc7757355c6fdea7e31872" PRIMARY KEY ("operation_id", "company_id", "role"))`);
    await queryRunner.query(`CREATE INDEX "operation_company_company_role_idx" ON "operation_company"  ("company_id", "role") `);
    await queryRunner.query(`CREATE TABLE "statement" ("id" SERIAL NOT NULL, "key" text NOT NULL, "quote" text NOT NULL, "speaker" text NOT NULL, "speaker_role" text, "organization_id" integer, "country_code" character(2), "said_on" date, "stance" text NOT NULL, "source_url" text NOT NULL, CONSTRAINT "UQ_778434ae7b1671b597a32c2feb7" UNIQUE ("key"), CONSTRAINT "statement_stance_check" CHECK (stance IN ('COMMENTARY','DENIAL','CONFIRMATION','CONDEMNATION','POLICY')), CONSTRAINT "statement_key_check" CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'), CONSTRAINT "PK_d2ef88cb44b99f3332a1eebb96f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_5d216d9ea6eb1cfdc589d3b511" ON "statement"  ("organization_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_87c64448a21809ef43fe3e6a4f" ON "statement"  ("country_code") `);
    await queryRunner.query(`CREATE INDEX "IDX_3013cea005f562bac3aea7e01e" ON "statement"  ("said_on") `);
    await queryRunner.query(`CREATE INDEX "IDX_e7a08d9e83a1e9e493b745f5a9" ON "statement"  ("stance") `);
    await queryRunner.query(`CREATE TABLE "statement_report" ("statement_id" integer NOT NULL, "report_id" integer NOT NULL, CONSTRAINT "PK_2809e5a6bfaeb5e68c7fd7bd161" PRIMARY KEY ("statement_id", "report_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_84e12ca03be9a1765409ee66fa" ON "statement_report"  ("report_id") `);
    await queryRunner.query(`CREATE TABLE "statement_operation" ("statement_id" integer NOT NULL, "operation_id" integer NOT NULL, CONSTRAINT "PK_e4a64ff6cb511fe710d2fd3b5ee" PRIMARY KEY ("statement_id", "operation_id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_2242abccc8ff46a2b35473bfa8" ON "statement_operation"  ("operation_id") `);
    await queryRunner.query(`CREATE TABLE "dataset_import" ("id" SERIAL NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "source" text NOT NULL, "bundle_hash" text NOT NULL, "summary" jsonb NOT NULL, CONSTRAINT "PK_13c6ad2058fed4b63a1e06caf09" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "company" ADD CONSTRAINT "FK_d38d89a06a3b6cd70ded4d6d61e" FOREIGN KEY ("hq_country_code") REFERENCES "country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "report" ADD CONSTRAINT "FK_470ebbf13b103f8fe555f7c1047" FOREIGN KEY ("publisher_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "report_figure" ADD CONSTRAINT "FK_5af81e62ef95ddb678d466a1c68" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_report" ADD CONSTRAINT "FK_d1990e9e45f033ac133c9772521" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_report" ADD CONSTRAINT "FK_d323c75fb499dff9e03e2d09035" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_origin" ADD CONSTRAINT "FK_ff0839c13ccc83ee2abd7544739" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_origin" ADD CONSTRAINT "FK_9b60c0ec00334b2b9bb49da37b0" FOREIGN KEY ("country_code") REFERENCES "country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_target" ADD CONSTRAINT "FK_63df117e5258867e83fe711e3b0" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_target" ADD CONSTRAINT "FK_16e7ab08bcacb09bab103d762c6" FOREIGN KEY ("country_code") REFERENCES "country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_company" ADD CONSTRAINT "FK_a78adee45d84e264e53ad32de9e" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "operation_company" ADD CONSTRAINT "FK_ee6a1ca6d095bbef7fab1152194" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement" ADD CONSTRAINT "FK_5d216d9ea6eb1cfdc589d3b511d" FOREIGN KEY ("organization_id") REFERENCES "company"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement" ADD CONSTRAINT "FK_87c64448a21809ef43fe3e6a4fd" FOREIGN KEY ("country_code") REFERENCES "country"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement_report" ADD CONSTRAINT "FK_2f1e57572420c21e78e3d7ded00" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement_report" ADD CONSTRAINT "FK_84e12ca03be9a1765409ee66fa1" FOREIGN KEY ("report_id") REFERENCES "report"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement_operation" ADD CONSTRAINT "FK_c50363e991befa985d55b25522b" FOREIGN KEY ("statement_id") REFERENCES "statement"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "statement_operation" ADD CONSTRAINT "FK_2242abccc8ff46a2b35473bfa8e" FOREIGN KEY ("operation_id") REFERENCES "operation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE INDEX "operation_categories_idx" ON "operation" USING gin ("categories")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."operation_categories_idx"`);
    await queryRunner.query(`ALTER TABLE "statement_operation" DROP CONSTRAINT "FK_2242abccc8ff46a2b35473bfa8e"`);
    await queryRunner.query(`ALTER TABLE "statement_operation" DROP CONSTRAINT "FK_c50363e991befa985d55b25522b"`);
    await queryRunner.query(`ALTER TABLE "statement_report" DROP CONSTRAINT "FK_84e12ca03be9a1765409ee66fa1"`);
    await queryRunner.query(`ALTER TABLE "statement_report" DROP CONSTRAINT "FK_2f1e57572420c21e78e3d7ded00"`);
    await queryRunner.query(`ALTER TABLE "statement" DROP CONSTRAINT "FK_87c64448a21809ef43fe3e6a4fd"`);
    await queryRunner.query(`ALTER TABLE "statement" DROP CONSTRAINT "FK_5d216d9ea6eb1cfdc589d3b511d"`);
    await queryRunner.query(`ALTER TABLE "operation_company" DROP CONSTRAINT "FK_ee6a1ca6d095bbef7fab1152194"`);
    await queryRunner.query(`ALTER TABLE "operation_company" DROP CONSTRAINT "FK_a78adee45d84e264e53ad32de9e"`);
    await queryRunner.query(`ALTER TABLE "operation_target" DROP CONSTRAINT "FK_16e7ab08bcacb09bab103d762c6"`);
    await queryRunner.query(`ALTER TABLE "operation_target" DROP CONSTRAINT "FK_63df117e5258867e83fe711e3b0"`);
    await queryRunner.query(`ALTER TABLE "operation_origin" DROP CONSTRAINT "FK_9b60c0ec00334b2b9bb49da37b0"`);
    await queryRunner.query(`ALTER TABLE "operation_origin" DROP CONSTRAINT "FK_ff0839c13ccc83ee2abd7544739"`);
    await queryRunner.query(`ALTER TABLE "operation_report" DROP CONSTRAINT "FK_d323c75fb499dff9e03e2d09035"`);
    await queryRunner.query(`ALTER TABLE "operation_report" DROP CONSTRAINT "FK_d1990e9e45f033ac133c9772521"`);
    await queryRunner.query(`ALTER TABLE "report_figure" DROP CONSTRAINT "FK_5af81e62ef95ddb678d466a1c68"`);
    await queryRunner.query(`ALTER TABLE "report" DROP CONSTRAINT "FK_470ebbf13b103f8fe555f7c1047"`);
    await queryRunner.query(`ALTER TABLE "company" DROP CONSTRAINT "FK_d38d89a06a3b6cd70ded4d6d61e"`);
    await queryRunner.query(`DROP TABLE "dataset_import"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2242abccc8ff46a2b35473bfa8"`);
    await queryRunner.query(`DROP TABLE "statement_operation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_84e12ca03be9a1765409ee66fa"`);
    await queryRunner.query(`DROP TABLE "statement_report"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e7a08d9e83a1e9e493b745f5a9"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3013cea005f562bac3aea7e01e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_87c64448a21809ef43fe3e6a4f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5d216d9ea6eb1cfdc589d3b511"`);
    await queryRunner.query(`DROP TABLE "statement"`);
    await queryRunner.query(`DROP INDEX "public"."operation_company_company_role_idx"`);
    await queryRunner.query(`DROP TABLE "operation_company"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_16e7ab08bcacb09bab103d762c"`);
    await queryRunner.query(`DROP TABLE "operation_target"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9b60c0ec00334b2b9bb49da37b"`);
    await queryRunner.query(`DROP TABLE "operation_origin"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d323c75fb499dff9e03e2d0903"`);
    await queryRunner.query(`DROP TABLE "operation_report"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cd244789a097b140a259e53b36"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d6044fe354f792a93d4049bd57"`);
    await queryRunner.query(`DROP TABLE "operation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5af81e62ef95ddb678d466a1c6"`);
    await queryRunner.query(`DROP TABLE "report_figure"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3a831757e266502566617911b1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_470ebbf13b103f8fe555f7c104"`);
    await queryRunner.query(`DROP TABLE "report"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d38d89a06a3b6cd70ded4d6d61"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7eb4f65c6b62a570cc84b5a973"`);
    await queryRunner.query(`DROP TABLE "company"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5e835abe147101ff7caa9c0800"`);
    await queryRunner.query(`DROP TABLE "country"`);
  }
}
