import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Each kind's records in bundle shape (the canonical form `src/import/stored.ts` selects, as of this
 * migration), with the row's `id` beside it: `where` filters the record's own table, aliased `t`.
 * A later change to that canonical form must replace `record_digests_of` in a migration of its own
 * (test/integration/content-hash.test.ts recomputes the hash from `storedRecordsSql` and fails
 * when they part).
 */
function recordsSql(kind: string, where: string): string {
  switch (kind) {
    case "companies":
      return `SELECT t.id, r FROM company t CROSS JOIN LATERAL (SELECT t.key, t.name, t.kind, t.hq_country_code::text AS "hqCountry", t.website, t.sources) r WHERE ${where}`;
    case "reports":
      return `SELECT t.id, r FROM report t JOIN company c ON c.id = t.publisher_id CROSS JOIN LATERAL (SELECT t.key, t.title, c.key AS publisher,
          t.published_on AS "publishedOn", t.url, t.period_from AS "periodFrom", t.period_to AS "periodTo", t.summary, t.sources,
          COALESCE((SELECT json_agg(json_build_object('label', f.label, 'value', f.value, 'qualifier', f.qualifier) ORDER BY f.position)
                    FROM report_figure f WHERE f.report_id = t.id), '[]') AS figures) r WHERE ${where}`;
    case "operations":
      return `SELECT t.id, r FROM operation t CROSS JOIN LATERAL (SELECT t.key, t.name, t.aliases,
          ARRAY(SELECT r.key FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = t.id ORDER BY r.published_on, r.key COLLATE "C") AS "reportKeys",
          COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('report', r.key, 'nameInReport', x.name_in_report, 'breakoutScale', x.breakout_scale,
                      'accountsBanned', x.accounts_banned, 'originConfidence', x.origin_confidence, 'quote', x.quote, 'locator', x.locator)) ORDER BY r.published_on, r.key COLLATE "C")
                    FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = t.id), '[]') AS disclosures,
          t.categories, t.actor_type AS "actorType",
          COALESCE((SELECT json_agg(json_build_object('country', x.country_code, 'confidence', x.confidence) ORDER BY x.position)
                    FROM operation_origin x WHERE x.operation_id = t.id), '[]') AS origin,
          ARRAY(SELECT x.country_code::text FROM operation_target x WHERE x.operation_id = t.id ORDER BY x.position) AS targets,
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'AI_TOOL' ORDER BY x.position) AS "aiTools",
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'PLATFORM' ORDER BY x.position) AS platforms,
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'OPERATOR' ORDER BY x.position) AS operators,
          t.accounts_banned AS "accountsBanned", t.breakout_scale AS "breakoutScale", t.first_seen AS "firstSeen", t.last_seen AS "lastSeen",
          t.summary, t.sources) r WHERE ${where}`;
    case "statements":
      return `SELECT t.id, r FROM statement t LEFT JOIN company c ON c.id = t.organization_id CROSS JOIN LATERAL (SELECT t.key, t.speaker,
          t.speaker_role AS "speakerRole", c.key AS organization, t.country_code::text AS country, t.said_on AS "saidOn", t.quote, t.stance,
          ARRAY(SELECT r.key FROM statement_report x JOIN report r ON r.id = x.report_id WHERE x.statement_id = t.id ORDER BY r.key) AS "reportKeys",
          ARRAY(SELECT o.key FROM statement_operation x JOIN operation o ON o.id = x.operation_id WHERE x.statement_id = t.id ORDER BY o.key) AS "operationKeys",
          t.source_url AS "sourceUrl", t.source_kind AS "sourceKind") r WHERE ${where}`;
    default:
      throw new Error(`unknown record kind ${kind}`);
  }
}

const KINDS = ["companies", "reports", "operations", "statements"];

/** A record's digest: SHA-256 of `<kind> <record as JSON>` (the line the full hash used to take), as 256 bits. */
const DIGEST = `('x' || encode(sha256(convert_to(k || ' ' || row_to_json(s.r)::text, 'UTF8')), 'hex'))::bit(256)`;

/** Whether a bulk loader asked to skip per-statement maintenance (it refreshes what it wrote at the end). */
const DEFERRED = `IF current_setting('misuse_graph.defer_facts', true) = 'on' THEN RETURN NULL; END IF;`;

/** Sets `ids` to the ids (column `column`) of the rows a statement inserted, updated or deleted, from its transition tables. */
function touched(column: string): string {
  return `IF TG_OP = 'INSERT' THEN ids := ARRAY(SELECT DISTINCT ${column} FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN ids := ARRAY(SELECT DISTINCT ${column} FROM old_rows);
        ELSE ids := ARRAY(SELECT ${column} FROM new_rows UNION SELECT ${column} FROM old_rows); END IF;`;
}

/** The tables whose rows are one record, and the edge tables that are part of a record, with the column naming it. */
const RECORD_TABLES: [table: string, kind: string][] = [
  ["company", "companies"],
  ["report", "reports"],
  ["operation", "operations"],
  ["statement", "statements"],
];
const EDGE_TABLES: [table: string, kind: string, column: string][] = [
  ["report_figure", "reports", "report_id"],
  ["operation_report", "operations", "operation_id"],
  ["operation_origin", "operations", "operation_id"],
  ["operation_target", "operations", "operation_id"],
  ["operation_company", "operations", "operation_id"],
  ["statement_report", "statements", "statement_id"],
  ["statement_operation", "statements", "statement_id"],
];

/**
 * The dataset's content hash, kept current by every write in the records it changes instead of
 * hashed whole (which took 20 s at 100k operations and passed the statement timeout at 1M):
 * `record_digest` holds each record's SHA-256 over its canonical form, and `dataset_digest` the
 * XOR of all of them. XOR does not depend on order, so the same records give the same hash however
 * and in whatever order they were written; each (kind, key) is one record, so no digest cancels
 * another. Statement-level triggers on the record tables and the edge tables that are part of a
 * record recompute the records a statement touched, and those whose canonical form names what it
 * changed (a report's key or date orders an operation's reports; a key appears in the records
 * referring to it), then apply the difference to the total. Bulk loaders that set
 * `misuse_graph.defer_facts = on` call `refresh_record_digests(kind, ids)` for what they wrote
 * (NULL: every record of the kind).
 */
export class MaintainedContentHash1765430000000 implements MigrationInterface {
  name = "MaintainedContentHash1765430000000";

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE record_digest (kind text NOT NULL, id int NOT NULL, digest bit(256) NOT NULL, PRIMARY KEY (kind, id))`);
    await q.query(`CREATE TABLE dataset_digest (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), digest bit(256) NOT NULL, records bigint NOT NULL)`);
    await q.query(`INSERT INTO dataset_digest (digest, records) VALUES (repeat('0', 256)::bit(256), 0)`);

    const branches = KINDS.map(
      (kind) => `IF k = '${kind}' THEN
          IF ids IS NULL THEN RETURN QUERY SELECT s.id, ${DIGEST} FROM (${recordsSql(kind, "true")}) s;
          ELSE RETURN QUERY SELECT s.id, ${DIGEST} FROM (${recordsSql(kind, "t.id = ANY(ids)")}) s; END IF;
        END IF;`,
    );
    await q.query(`CREATE FUNCTION record_digests_of(k text, ids int[]) RETURNS TABLE (id int, digest bit(256)) LANGUAGE plpgsql STABLE AS $fn$
      BEGIN
        ${branches.join("\n        ")}
      END $fn$`);
    await q.query(`CREATE FUNCTION refresh_record_digests(k text, ids int[]) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        zero bit(256) := repeat('0', 256)::bit(256);
        gone bit(256); gone_count bigint; fresh bit(256); fresh_count bigint;
      BEGIN
        IF ids IS NOT NULL AND cardinality(ids) = 0 THEN RETURN; END IF;
        IF ids IS NULL THEN
          WITH d AS (DELETE FROM record_digest WHERE kind = k RETURNING digest) SELECT COALESCE(bit_xor(d.digest), zero), count(*) INTO gone, gone_count FROM d;
        ELSE
          WITH d AS (DELETE FROM record_digest WHERE kind = k AND id = ANY(ids) RETURNING digest) SELECT COALESCE(bit_xor(d.digest), zero), count(*) INTO gone, gone_count FROM d;
        END IF;
        WITH i AS (INSERT INTO record_digest (kind, id, digest) SELECT k, f.id, f.digest FROM record_digests_of(k, ids) f RETURNING digest)
          SELECT COALESCE(bit_xor(i.digest), zero), count(*) INTO fresh, fresh_count FROM i;
        IF gone <> fresh OR gone_count <> fresh_count THEN
          UPDATE dataset_digest SET digest = digest # gone # fresh, records = records - gone_count + fresh_count;
        END IF;
      END $fn$`);

    // A record's own row: itself, and on an update of what others' canonical form names, those others.
    await q.query(`CREATE FUNCTION record_digest_on_record() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE k text := TG_ARGV[0]; ids int[];
      BEGIN
        ${DEFERRED}
        ${touched("id")}
        PERFORM refresh_record_digests(k, ids);
        IF TG_OP <> 'UPDATE' THEN RETURN NULL; END IF;
        IF k = 'companies' THEN
          PERFORM refresh_record_digests('reports', ARRAY(SELECT r.id FROM report r JOIN new_rows n ON n.id = r.publisher_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key));
          PERFORM refresh_record_digests('operations', ARRAY(SELECT DISTINCT x.operation_id FROM operation_company x JOIN new_rows n ON n.id = x.company_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key));
          PERFORM refresh_record_digests('statements', ARRAY(SELECT s.id FROM statement s JOIN new_rows n ON n.id = s.organization_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key));
        ELSIF k = 'reports' THEN
          PERFORM refresh_record_digests('operations', ARRAY(SELECT DISTINCT x.operation_id FROM operation_report x JOIN new_rows n ON n.id = x.report_id JOIN old_rows o ON o.id = n.id
                                                             WHERE (n.key, n.published_on) IS DISTINCT FROM (o.key, o.published_on)));
          PERFORM refresh_record_digests('statements', ARRAY(SELECT DISTINCT x.statement_id FROM statement_report x JOIN new_rows n ON n.id = x.report_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key));
        ELSIF k = 'operations' THEN
          PERFORM refresh_record_digests('statements', ARRAY(SELECT DISTINCT x.statement_id FROM statement_operation x JOIN new_rows n ON n.id = x.operation_id JOIN old_rows o ON o.id = n.id WHERE n.key IS DISTINCT FROM o.key));
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`CREATE FUNCTION record_digest_on_edge() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE ids int[];
      BEGIN
        ${DEFERRED}
        IF TG_ARGV[1] = 'report_id' THEN ${touched("report_id")}
        ELSIF TG_ARGV[1] = 'operation_id' THEN ${touched("operation_id")}
        ELSE ${touched("statement_id")} END IF;
        PERFORM refresh_record_digests(TG_ARGV[0], ids);
        RETURN NULL;
      END $fn$`);
    // TRUNCATE fires no DELETE triggers: recompute every record after one.
    await q.query(`CREATE FUNCTION record_digest_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${DEFERRED}
        ${KINDS.map((kind) => `PERFORM refresh_record_digests('${kind}', NULL);`).join(" ")}
        RETURN NULL;
      END $fn$`);

    const events = (table: string, fn: string, args: string) => [
      `CREATE TRIGGER ${table}_digest_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${args})`,
      `CREATE TRIGGER ${table}_digest_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${args})`,
      `CREATE TRIGGER ${table}_digest_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${args})`,
      `CREATE TRIGGER ${table}_digest_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION record_digest_on_truncate()`,
    ];
    for (const [table, kind] of RECORD_TABLES) for (const sql of events(table, "record_digest_on_record", `'${kind}'`)) await q.query(sql);
    for (const [table, kind, column] of EDGE_TABLES) for (const sql of events(table, "record_digest_on_edge", `'${kind}', '${column}'`)) await q.query(sql);

    for (const kind of KINDS) await q.query(`SELECT refresh_record_digests($1, NULL)`, [kind]);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [table] of [...RECORD_TABLES, ...EDGE_TABLES]) {
      for (const event of ["insert", "update", "delete", "truncate"]) await q.query(`DROP TRIGGER ${table}_digest_${event} ON ${table}`);
    }
    for (const fn of ["record_digest_on_truncate()", "record_digest_on_edge()", "record_digest_on_record()", "refresh_record_digests(text, int[])", "record_digests_of(text, int[])"]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    await q.query(`DROP TABLE dataset_digest`);
    await q.query(`DROP TABLE record_digest`);
  }
}
