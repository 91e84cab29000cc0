import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * operation_facts: one row per operation with every statistics dimension as a deduplicated array
 * of final keys (ISO codes, company and report keys, enum values) and its dates. Statistics scan
 * this one table instead of joining five edge tables, which keeps them fast at a million
 * operations. Disclosure dates are also kept truncated to months, quarters and years, so a time
 * series needs no per-operation deduplication. A materialized view, refreshed by the importer
 * after every write.
 */
export class OperationFacts1764201600000 implements MigrationInterface {
  name = "OperationFacts1764201600000";

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE MATERIALIZED VIEW operation_facts AS
      SELECT o.id, o.categories, o.actor_type, o.breakout_scale, o.first_seen, o.accounts_banned,
        d.first_disclosed, to_char(d.first_disclosed, 'YYYY') AS first_disclosed_year, to_char(d.first_disclosed, 'YYYY-"Q"Q') AS first_disclosed_quarter,
        COALESCE(d.disclosure_dates, '{}') AS disclosure_dates,
        COALESCE(d.disclosure_months, '{}') AS disclosure_months, COALESCE(d.disclosure_quarters, '{}') AS disclosure_quarters,
        COALESCE(d.disclosure_years, '{}') AS disclosure_years, COALESCE(d.reports, '{}') AS reports,
        COALESCE(d.publishers, '{}') AS publishers,
        COALESCE(og.countries, '{}') AS origin_countries, COALESCE(og.regions, '{}') AS origin_regions, COALESCE(og.confidences, '{}') AS origin_confidences,
        COALESCE(tg.countries, '{}') AS target_countries, COALESCE(tg.regions, '{}') AS target_regions,
        COALESCE(cp.ai_tools, '{}') AS ai_tools, COALESCE(cp.platforms, '{}') AS platforms, COALESCE(cp.operators, '{}') AS operators
      FROM operation o
      LEFT JOIN (
        SELECT x.operation_id, min(r.published_on) AS first_disclosed, array_agg(DISTINCT r.published_on) AS disclosure_dates,
               array_agg(DISTINCT date_trunc('month', r.published_on)::date) AS disclosure_months,
               array_agg(DISTINCT date_trunc('quarter', r.published_on)::date) AS disclosure_quarters,
               array_agg(DISTINCT date_trunc('year', r.published_on)::date) AS disclosure_years,
               array_agg(DISTINCT r.key) AS reports, array_agg(DISTINCT c.key) AS publishers
        FROM operation_report x JOIN report r ON r.id = x.report_id JOIN company c ON c.id = r.publisher_id GROUP BY x.operation_id
      ) d ON d.operation_id = o.id
      LEFT JOIN (
        SELECT x.operation_id, array_agg(DISTINCT x.country_code::text) AS countries, array_agg(DISTINCT c.region) AS regions,
               array_agg(DISTINCT x.confidence) AS confidences
        FROM operation_origin x JOIN country c ON c.code = x.country_code GROUP BY x.operation_id
      ) og ON og.operation_id = o.id
      LEFT JOIN (
        SELECT x.operation_id, array_agg(DISTINCT x.country_code::text) AS countries, array_agg(DISTINCT c.region) AS regions
        FROM operation_target x JOIN country c ON c.code = x.country_code GROUP BY x.operation_id
      ) tg ON tg.operation_id = o.id
      LEFT JOIN (
        SELECT x.operation_id,
               array_agg(DISTINCT c.key) FILTER (WHERE x.role = 'AI_TOOL') AS ai_tools,
               array_agg(DISTINCT c.key) FILTER (WHERE x.role = 'PLATFORM') AS platforms,
               array_agg(DISTINCT c.key) FILTER (WHERE x.role = 'OPERATOR') AS operators
        FROM operation_company x JOIN company c ON c.id = x.company_id GROUP BY x.operation_id
      ) cp ON cp.operation_id = o.id
      WITH DATA`);
    await queryRunner.query(`CREATE UNIQUE INDEX operation_facts_id_idx ON operation_facts (id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP MATERIALIZED VIEW operation_facts`);
  }
}
