import type { MigrationInterface, QueryRunner } from "typeorm";

/** The rows of operation_facts for some operations (all when `ids` is NULL), as one SELECT. */
const FACTS_SELECT = `
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
        FROM operation_report x JOIN report r ON r.id = x.report_id JOIN company c ON c.id = r.publisher_id
        WHERE ids IS NULL OR x.operation_id = ANY(ids) GROUP BY x.operation_id
      ) d ON d.operation_id = o.id
      LEFT JOIN (
        SELECT x.operation_id, array_agg(DISTINCT x.country_code::text) AS countries, array_agg(DISTINCT c.region) AS regions,
               array_agg(DISTINCT x.confidence) AS confidences
        FROM operation_origin x JOIN country c ON c.code = x.country_code
        WHERE ids IS NULL OR x.operation_id = ANY(ids) GROUP BY x.operation_id
      ) og ON og.operation_id = o.id
      LEFT JOIN (
        SELECT x.operation_id, array_agg(DISTINCT x.country_code::text) AS countries, array_agg(DISTINCT c.region) AS regions
        FROM operation_target x JOIN country c ON c.code = x.country_code
        WHERE ids IS NULL OR x.operation_id = ANY(ids) GROUP BY x.operation_id
      ) tg ON tg.operation_id = o.id
      LEFT JOIN (
        SELECT x.operation_id,
               array_agg(DISTINCT c.key) FILTER (WHERE x.role = 'AI_TOOL') AS ai_tools,
               array_agg(DISTINCT c.key) FILTER (WHERE x.role = 'PLATFORM') AS platforms,
               array_agg(DISTINCT c.key) FILTER (WHERE x.role = 'OPERATOR') AS operators
        FROM operation_company x JOIN company c ON c.id = x.company_id
        WHERE ids IS NULL OR x.operation_id = ANY(ids) GROUP BY x.operation_id
      ) cp ON cp.operation_id = o.id
      WHERE ids IS NULL OR o.id = ANY(ids)`;

/** Statement-level triggers: one per event, since a trigger with transition tables serves one event. */
function triggers(table: string, fn: string): string[] {
  return [
    `CREATE TRIGGER ${table}_facts_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${table}_facts_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    `CREATE TRIGGER ${table}_facts_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
  ];
}

/** Operations touched by a statement on a table whose rows carry `operation_id`. */
const TOUCHED_OPERATIONS = `
    IF TG_OP = 'INSERT' THEN ids := ARRAY(SELECT DISTINCT operation_id FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN ids := ARRAY(SELECT DISTINCT operation_id FROM old_rows);
    ELSE ids := ARRAY(SELECT operation_id FROM new_rows UNION SELECT operation_id FROM old_rows);
    END IF;`;

/** Whether a bulk loader asked to skip per-statement maintenance (it rebuilds everything at the end). */
const DEFERRED = `IF current_setting('misuse_graph.defer_facts', true) = 'on' THEN RETURN NULL; END IF;`;

/**
 * Keeps what list ordering and statistics read up to date on every write, per changed operation,
 * instead of rebuilding it whole:
 * - `operation.first_disclosed_on`: the earliest publication date of a report that disclosed the
 *   operation, a column so that ordering by it is an index scan (it was a subquery per row);
 * - `operation_facts`: the per-operation statistics row, now a table instead of a materialized view.
 * Statement-level triggers on every table the facts read (operations, their edges, reports,
 * companies, countries) refresh exactly the operations a statement touched. Bulk loaders may set
 * `misuse_graph.defer_facts = on` for their transaction and call the refresh functions with NULL.
 * Also adds the indexes that serve each list ordering as a keyset scan: `(sort key, id)`.
 */
export class MaintainedFacts1764400000000 implements MigrationInterface {
  name = "MaintainedFacts1764400000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "operation" ADD "first_disclosed_on" date`);
    await q.query(`UPDATE operation o SET first_disclosed_on = s.first
                   FROM (SELECT x.operation_id, min(r.published_on) AS first FROM operation_report x JOIN report r ON r.id = x.report_id GROUP BY x.operation_id) s
                   WHERE s.operation_id = o.id`);

    await q.query(`DROP MATERIALIZED VIEW operation_facts`);
    await q.query(`CREATE TABLE operation_facts AS ${FACTS_SELECT.replace(/ids IS NULL OR [^\n]*?= ANY\(ids\)/g, "true")} `);
    await q.query(`ALTER TABLE operation_facts ADD PRIMARY KEY (id)`);

    await q.query(`CREATE FUNCTION refresh_operation_facts(ids int[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        IF ids IS NULL THEN DELETE FROM operation_facts; ELSE DELETE FROM operation_facts WHERE id = ANY(ids); END IF;
        INSERT INTO operation_facts ${FACTS_SELECT};
      END $fn$`);
    await q.query(`CREATE FUNCTION refresh_first_disclosed(ids int[]) RETURNS void LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE operation o SET first_disclosed_on = s.first
        FROM (SELECT o2.id, (SELECT min(r.published_on) FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = o2.id) AS first
              FROM operation o2 WHERE ids IS NULL OR o2.id = ANY(ids)) s
        WHERE o.id = s.id AND o.first_disclosed_on IS DISTINCT FROM s.first;
      END $fn$`);

    await q.query(`CREATE FUNCTION operation_facts_on_operation() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${DEFERRED}
        IF TG_OP = 'DELETE' THEN
          DELETE FROM operation_facts WHERE id IN (SELECT id FROM old_rows);
        ELSE
          PERFORM refresh_operation_facts(ARRAY(SELECT id FROM new_rows));
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION operation_facts_on_edge() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids int[];
      BEGIN
        ${DEFERRED}
        ${TOUCHED_OPERATIONS}
        IF TG_TABLE_NAME = 'operation_report' THEN PERFORM refresh_first_disclosed(ids); END IF;
        PERFORM refresh_operation_facts(ids);
        RETURN NULL;
      END $fn$`);
    // Reports: a changed date, key or publisher changes the facts of the operations they disclosed
    // (a deleted report's disclosures are deleted by cascade, which the edge trigger sees).
    await q.query(`CREATE FUNCTION operation_facts_on_report() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids int[];
      BEGIN
        ${DEFERRED}
        ids := ARRAY(SELECT DISTINCT x.operation_id FROM operation_report x JOIN new_rows n ON n.id = x.report_id JOIN old_rows o ON o.id = n.id
                     WHERE (n.published_on, n.key, n.publisher_id) IS DISTINCT FROM (o.published_on, o.key, o.publisher_id));
        IF cardinality(ids) > 0 THEN PERFORM refresh_first_disclosed(ids); PERFORM refresh_operation_facts(ids); END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION operation_facts_on_company() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids int[];
      BEGIN
        ${DEFERRED}
        ids := ARRAY(
          SELECT x.operation_id FROM operation_company x JOIN new_rows n ON n.id = x.company_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key
          UNION
          SELECT x.operation_id FROM operation_report x JOIN report r ON r.id = x.report_id JOIN new_rows n ON n.id = r.publisher_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key);
        IF cardinality(ids) > 0 THEN PERFORM refresh_operation_facts(ids); END IF;
        RETURN NULL;
      END $fn$`);
    // Countries: the reference data is re-seeded on every start; only a changed region matters.
    await q.query(`CREATE FUNCTION operation_facts_on_country() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids int[];
      BEGIN
        ${DEFERRED}
        ids := ARRAY(
          SELECT x.operation_id FROM operation_origin x JOIN new_rows n ON n.code = x.country_code JOIN old_rows o ON o.code = n.code WHERE n.region IS DISTINCT FROM o.region
          UNION
          SELECT x.operation_id FROM operation_target x JOIN new_rows n ON n.code = x.country_code JOIN old_rows o ON o.code = n.code WHERE n.region IS DISTINCT FROM o.region);
        IF cardinality(ids) > 0 THEN PERFORM refresh_operation_facts(ids); END IF;
        RETURN NULL;
      END $fn$`);

    // TRUNCATE fires no row or statement DELETE triggers: rebuild everything after one.
    await q.query(`CREATE FUNCTION operation_facts_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${DEFERRED}
        IF TG_TABLE_NAME IN ('operation_report', 'report') THEN PERFORM refresh_first_disclosed(NULL); END IF;
        PERFORM refresh_operation_facts(NULL);
        RETURN NULL;
      END $fn$`);
    for (const table of ["operation", "operation_report", "operation_origin", "operation_target", "operation_company", "report", "company", "country"]) {
      await q.query(`CREATE TRIGGER ${table}_facts_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION operation_facts_on_truncate()`);
    }
    for (const sql of triggers("operation", "operation_facts_on_operation")) await q.query(sql);
    for (const table of ["operation_report", "operation_origin", "operation_target", "operation_company"]) {
      for (const sql of triggers(table, "operation_facts_on_edge")) await q.query(sql);
    }
    await q.query(`CREATE TRIGGER report_facts_update AFTER UPDATE ON report REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION operation_facts_on_report()`);
    await q.query(`CREATE TRIGGER company_facts_update AFTER UPDATE ON company REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION operation_facts_on_company()`);
    await q.query(`CREATE TRIGGER country_facts_update AFTER UPDATE ON country REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION operation_facts_on_country()`);

    // Keyset indexes: every orderBy field as (sort key, id), the sort key written exactly as the
    // services' ORDER BY writes it, so a page is an index range scan that stops after n + 1 rows.
    await q.query(`CREATE INDEX operation_name_id_idx ON operation (name, id)`);
    await q.query(`CREATE INDEX operation_first_disclosed_id_idx ON operation ((COALESCE(first_disclosed_on, DATE '0001-01-01')), id)`);
    await q.query(`CREATE INDEX operation_breakout_scale_id_idx ON operation ((COALESCE(breakout_scale, 0)), id)`);
    await q.query(`CREATE INDEX operation_accounts_banned_id_idx ON operation ((COALESCE(accounts_banned, -1)), id)`);
    await q.query(`CREATE INDEX report_published_on_id_idx ON report (published_on, id)`);
    await q.query(`CREATE INDEX report_title_id_idx ON report (title, id)`);
    await q.query(`CREATE INDEX report_publisher_published_on_id_idx ON report (publisher_id, published_on, id)`);
    await q.query(`CREATE INDEX company_name_id_idx ON company (name, id)`);
    await q.query(`CREATE INDEX country_name_code_idx ON country (name, code)`);
    await q.query(`CREATE INDEX statement_said_on_id_idx ON statement ((COALESCE(said_on, DATE '0001-01-01')), id)`);
    await q.query(`CREATE INDEX statement_speaker_id_idx ON statement (speaker, id)`);
    await q.query(`CREATE INDEX operation_actor_type_name_id_idx ON operation (actor_type, name, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of [
      "operation_name_id_idx", "operation_first_disclosed_id_idx", "operation_breakout_scale_id_idx", "operation_accounts_banned_id_idx",
      "report_published_on_id_idx", "report_title_id_idx", "report_publisher_published_on_id_idx", "company_name_id_idx",
      "country_name_code_idx", "statement_said_on_id_idx", "statement_speaker_id_idx", "operation_actor_type_name_id_idx",
    ]) {
      await q.query(`DROP INDEX "${index}"`);
    }
    for (const table of ["operation", "operation_report", "operation_origin", "operation_target", "operation_company"]) {
      for (const event of ["insert", "update", "delete"]) await q.query(`DROP TRIGGER ${table}_facts_${event} ON ${table}`);
    }
    for (const table of ["report", "company", "country"]) await q.query(`DROP TRIGGER ${table}_facts_update ON ${table}`);
    for (const table of ["operation", "operation_report", "operation_origin", "operation_target", "operation_company", "report", "company", "country"]) {
      await q.query(`DROP TRIGGER ${table}_facts_truncate ON ${table}`);
    }
    for (const fn of ["operation_facts_on_truncate", "operation_facts_on_operation", "operation_facts_on_edge", "operation_facts_on_report", "operation_facts_on_company", "operation_facts_on_country"]) {
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP FUNCTION refresh_first_disclosed(int[])`);
    await q.query(`DROP FUNCTION refresh_operation_facts(int[])`);
    await q.query(`DROP TABLE operation_facts`);
    await q.query(`ALTER TABLE "operation" DROP COLUMN "first_disclosed_on"`);
    // The materialized view of the previous migration is recreated by running it again.
  }
}
