import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The facets counted, each as the values one operation_facts row `f` contributes to it (at most
 * once each, never NULL). Each matches an operation filter exactly: `actorType: [X]` is
 * `actor_type = X`, `category: [X]` is `X = ANY(categories)`, `originCountry: [X]` is "an origin
 * edge to X", `originRegion: [X]` "an origin edge to a country of region X", and so on.
 */
const FACETS: [facet: string, values: string][] = [
  ["ALL", "SELECT ''"],
  ["ACTOR_TYPE", "SELECT f.actor_type"],
  ["CATEGORY", "SELECT DISTINCT unnest(f.categories)"],
  ["ORIGIN_COUNTRY", "SELECT DISTINCT unnest(f.origin_countries)"],
  ["ORIGIN_REGION", "SELECT DISTINCT unnest(f.origin_regions)"],
  ["TARGET_COUNTRY", "SELECT DISTINCT unnest(f.target_countries)"],
  ["TARGET_REGION", "SELECT DISTINCT unnest(f.target_regions)"],
];

/** (facet, value, delta) for every facet value of the operation_facts rows in `rows`, each weighing `sign`. */
function contributions(rows: string, sign: 1 | -1): string {
  return FACETS.map(
    ([facet, values]) => `SELECT '${facet}'::text AS facet, v.value::text AS value, ${sign} AS delta FROM ${rows} f CROSS JOIN LATERAL (${values}) v(value) WHERE v.value IS NOT NULL`,
  ).join("\n        UNION ALL ");
}

/**
 * Adds the summed contributions to the counters. Every operation contributes to ALL, so every
 * statement that changes operation_facts updates the ALL row, and updates it first: a writer holds
 * it from its first such statement to its commit, and waits for it before locking any other
 * counter, so no deadlock is made of counter rows alone. The ALL row does make writers of
 * operation facts take turns until commit: the service's own writers (imports, curation) already
 * do, under the import advisory lock; a writer from outside that changes several operations in
 * several statements should take that lock too, or it may deadlock with another on their rows.
 */
function apply(contributionsSql: string): string {
  return `INSERT INTO operation_count AS c (facet, value, operations)
        SELECT facet, value, sum(delta)::int FROM (${contributionsSql}) d GROUP BY facet, value ORDER BY facet <> 'ALL', facet, value
        ON CONFLICT (facet, value) DO UPDATE SET operations = c.operations + EXCLUDED.operations`;
}

/**
 * `operation_count`: how many operations each facet value has (all operations; those of an actor
 * type, a category, an origin or target country or region), maintained from operation_facts by
 * statement triggers in the writing transaction: exactly as current as operation_facts. A list's `totalCount` under
 * a filter of one such value (or of several actor types, which do not overlap) reads one row
 * instead of counting the matching operations (a quarter of the table for one actor type).
 * operation_facts is itself maintained per changed operation (and rebuilt whole by bulk loaders,
 * whose DELETE and INSERT these triggers see like any other).
 */
export class OperationCounts1765200000000 implements MigrationInterface {
  name = "OperationCounts1765200000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE operation_count (facet text NOT NULL, value text NOT NULL, operations int NOT NULL, PRIMARY KEY (facet, value))`);
    // No write to operation_facts may commit between the fill and the triggers (it would be counted by neither).
    await q.query(`LOCK TABLE operation_facts IN SHARE ROW EXCLUSIVE MODE`);
    await q.query(apply(contributions("operation_facts", 1)));
    await q.query(`CREATE FUNCTION operation_count_on_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${apply(contributions("new_rows", 1))};
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION operation_count_on_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${apply(contributions("old_rows", -1))};
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION operation_count_on_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${apply(`${contributions("old_rows", -1)}\n        UNION ALL ${contributions("new_rows", 1)}`)};
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION operation_count_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        DELETE FROM operation_count;
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE TRIGGER operation_facts_count_insert AFTER INSERT ON operation_facts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION operation_count_on_insert()`);
    await q.query(`CREATE TRIGGER operation_facts_count_delete AFTER DELETE ON operation_facts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION operation_count_on_delete()`);
    await q.query(
      `CREATE TRIGGER operation_facts_count_update AFTER UPDATE ON operation_facts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION operation_count_on_update()`,
    );
    await q.query(`CREATE TRIGGER operation_facts_count_truncate AFTER TRUNCATE ON operation_facts FOR EACH STATEMENT EXECUTE FUNCTION operation_count_on_truncate()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const event of ["insert", "delete", "update", "truncate"]) {
      await q.query(`DROP TRIGGER operation_facts_count_${event} ON operation_facts`);
      await q.query(`DROP FUNCTION operation_count_on_${event}()`);
    }
    await q.query(`DROP TABLE operation_count`);
  }
}
