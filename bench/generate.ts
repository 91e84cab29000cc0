import "reflect-metadata";
import { parseArgs } from "node:util";
import { DataSource } from "typeorm";
import { createDataSource } from "../src/db/data-source";
import { migrate } from "../src/migrate";
import { ENTITIES } from "../src/entities";
import { benchDatabaseName, benchServer } from "./database";

/**
 * Marks which version of this generator filled a database (dataset_import.bundle_hash), so a
 * benchmark can tell data from an older generator and regenerate it. Bump it when the data changes.
 */
export const SYNTHETIC_GENERATION = "synthetic-4";

/**
 * Fills a database with SYNTHETIC operations for benchmarks, in set-based SQL (generate_series and
 * a seeded random()), shaped like the real data: about one report per 25 operations from four
 * publishers, 0-2 origin countries (mostly from a dozen), 0-3 targets, 1-3 disclosures, AI tools,
 * platforms, some operators, statements. Every name says SYNTHETIC; sources are example.invalid.
 */
export async function generateSynthetic(dataSource: DataSource, operations: number, seed = 0.42): Promise<void> {
  const reports = Math.max(3, Math.ceil(operations / 25));
  const companies = Math.max(12, Math.ceil(operations / 200));
  await dataSource.transaction(async (db) => {
    await db.query("TRUNCATE company, report, operation, statement, dataset_import RESTART IDENTITY CASCADE");
    // Set-based inserts of every row at once: per-statement fact maintenance would recompute all
    // operations once per table, so it is deferred and done once at the end of the transaction.
    await db.query("SET LOCAL misuse_graph.defer_facts = 'on'");
    await db.query(`SELECT setseed($1)`, [seed]);
    const run = (sql: string, params: unknown[] = []) => db.query(sql, params);
    await run(`CREATE TEMP TABLE codes ON COMMIT DROP AS SELECT array_agg(code ORDER BY code) AS all_codes FROM country`);
    await run(`CREATE TEMP TABLE hot ON COMMIT DROP AS SELECT ARRAY['CN','RU','IR','KP','US','IL','IN','PK','VN','PH','KH','NG']::bpchar[] AS codes`);
    await run(
      `INSERT INTO company (key, name, kind, hq_country_code, sources)
       SELECT 'synthetic-co-' || i, 'SYNTHETIC Company ' || i,
              CASE WHEN i < 4 THEN 'AI_PROVIDER' ELSE (ARRAY['SOCIAL_PLATFORM','MESSAGING_PLATFORM','CLOUD','MEDIA','GOVERNMENT_BODY','OTHER'])[1 + floor(random() * 6)::int] END,
              CASE WHEN random() < 0.8 THEN (SELECT codes[1 + floor(random() * 12 + 0 * i)::int] FROM hot) END, '[]'::jsonb
       FROM generate_series(0, $1 - 1) i`,
      [companies],
    );
    await run(
      `INSERT INTO report (key, title, publisher_id, published_on, url, summary, sources)
       SELECT 'synthetic-' || i, 'SYNTHETIC report ' || i, 1 + floor(random() * 4)::int, DATE '2023-01-01' + floor(random() * 1400)::int,
              'https://example.invalid/synthetic/report/' || i, 'SYNTHETIC report for benchmarks.', jsonb_build_array(jsonb_build_object('url', 'https://example.invalid/synthetic/report/' || i, 'kind', 'PUBLISHER'))
       FROM generate_series(0, $1 - 1) i`,
      [reports],
    );
    // Each operation's reports are drawn first, so that the operation is written once with its first
    // disclosure date: setting it afterwards would rewrite every row and its indexes (the full-text
    // one included), the slowest step of all at a million rows.
    await run(
      `CREATE TEMP TABLE links ON COMMIT DROP AS
       SELECT DISTINCT i, 1 + floor(random() * $2)::int AS report_id FROM generate_series(0, $1 - 1) i, generate_series(1, 1 + floor(random() * 2.2 + 0 * i)::int)`,
      [operations, reports],
    );
    await run(`CREATE INDEX ON links (i)`);
    await run(
      `INSERT INTO operation (key, name, categories, actor_type, summary, accounts_banned, breakout_scale, first_seen, sources, first_disclosed_on)
       SELECT 'synthetic-op-' || i, 'SYNTHETIC operation ' || i,
              ARRAY(SELECT DISTINCT c FROM unnest(ARRAY[
                (ARRAY['INFLUENCE_OPERATION','CYBER_OPERATION','MALWARE_DEVELOPMENT','PHISHING','SCAM','SOCIAL_ENGINEERING','DECEPTIVE_EMPLOYMENT','SURVEILLANCE','RECONNAISSANCE','OTHER'])[1 + floor(random() * 10 + 0 * i)::int],
                CASE WHEN random() < 0.4 THEN (ARRAY['INFLUENCE_OPERATION','CYBER_OPERATION','PHISHING','SCAM','RECONNAISSANCE'])[1 + floor(random() * 5 + 0 * i)::int] END]) c WHERE c IS NOT NULL),
              (ARRAY['STATE_LINKED','CRIMINAL','COMMERCIAL','UNATTRIBUTED'])[1 + floor(random() * 4)::int],
              'SYNTHETIC operation for benchmarks.',
              CASE WHEN random() < 0.3 THEN floor(random() * 5000)::int END,
              CASE WHEN random() < 0.6 THEN 1 + floor(random() * 6)::int END,
              CASE WHEN random() < 0.3 THEN DATE '2022-01-01' + floor(random() * 1100)::int END,
              jsonb_build_array(jsonb_build_object('url', 'https://example.invalid/synthetic/operation/' || i, 'kind', 'PUBLISHER')),
              (SELECT min(r.published_on) FROM links l JOIN report r ON r.id = l.report_id WHERE l.i = g.i)
       FROM generate_series(0, $1 - 1) g(i)`,
      [operations],
    );
    await run(
      `INSERT INTO operation_report (operation_id, report_id)
       SELECT o.id, l.report_id FROM links l JOIN operation o ON o.key = 'synthetic-op-' || l.i`,
    );
    await run(
      `INSERT INTO operation_origin (operation_id, country_code, confidence, position)
       SELECT o.id, CASE WHEN random() < 0.75 THEN h.codes[1 + floor(random() * 12)::int] ELSE c.all_codes[1 + floor(random() * 250)::int] END,
              (ARRAY['CONFIRMED','LIKELY','POSSIBLE'])[1 + floor(random() * 3)::int], n
       FROM operation o, hot h, codes c, generate_series(1, floor(random() * 2.6 + 0 * o.id)::int) n
       ON CONFLICT DO NOTHING`,
    );
    await run(
      `INSERT INTO operation_target (operation_id, country_code, position)
       SELECT o.id, c.all_codes[1 + floor(random() * 250)::int], n FROM operation o, codes c, generate_series(1, floor(random() * 4 + 0 * o.id)::int) n
       ON CONFLICT DO NOTHING`,
    );
    await run(
      `INSERT INTO operation_company (operation_id, company_id, role, position)
       SELECT o.id, 1 + floor(random() * 4)::int, 'AI_TOOL', n FROM operation o, generate_series(1, floor(random() * 2.5 + 0 * o.id)::int) n
       UNION ALL
       SELECT o.id, 5 + floor(random() * ($1 - 4))::int, 'PLATFORM', n FROM operation o, generate_series(1, floor(random() * 4 + 0 * o.id)::int) n
       UNION ALL
       SELECT o.id, 5 + floor(random() * ($1 - 4))::int, 'OPERATOR', 1 FROM operation o WHERE random() < 0.1
       ON CONFLICT DO NOTHING`,
      [companies],
    );
    await run(
      `INSERT INTO statement (key, quote, speaker, organization_id, country_code, said_on, stance, source_url, source_kind)
       SELECT 'synthetic-st-' || i, 'SYNTHETIC quote.', 'SYNTHETIC Speaker ' || (i % 17),
              CASE WHEN random() < 0.7 THEN 1 + floor(random() * $2)::int END,
              CASE WHEN random() < 0.3 THEN (SELECT codes[1 + floor(random() * 12 + 0 * i)::int] FROM hot) END,
              CASE WHEN random() < 0.9 THEN DATE '2023-01-01' + floor(random() * 1400)::int END,
              (ARRAY['COMMENTARY','DENIAL','CONFIRMATION','CONDEMNATION','POLICY'])[1 + floor(random() * 5)::int],
              'https://example.invalid/synthetic/statement/' || i, 'OTHER'
       FROM generate_series(0, $1 - 1) i`,
      [Math.ceil(operations / 10), companies],
    );
    await run(`INSERT INTO statement_report (statement_id, report_id) SELECT s.id, 1 + floor(random() * $1)::int FROM statement s ON CONFLICT DO NOTHING`, [
      reports,
    ]);
    await run(
      `INSERT INTO statement_operation (statement_id, operation_id) SELECT s.id, 1 + floor(random() * $1)::int FROM statement s ON CONFLICT DO NOTHING`,
      [operations],
    );
    await run(`INSERT INTO dataset_import (source, bundle_hash, summary) VALUES ('SYNTHETIC bench/generate.ts', $2, $1)`, [
      JSON.stringify({ operations: { created: operations, updated: 0, unchanged: 0 } }),
      SYNTHETIC_GENERATION,
    ]);
    await run("SELECT refresh_operation_facts(NULL)");
    // Statistics first: planned for the empty tables they were created as, the digests' per-record
    // subqueries took ten times as long.
    await run("ANALYZE");
    for (const kind of ["companies", "reports", "operations", "statements"]) await run("SELECT refresh_record_digests($1, NULL)", [kind]);
  });
  // VACUUM as well as ANALYZE: a database that has been in use has its visibility map set (by
  // autovacuum), and index-only scans and counts depend on it. Measuring a freshly written one
  // would time a state no running service is in.
  await dataSource.query("VACUUM ANALYZE");
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { operations: { type: "string" } } });
  const operations = Number(values.operations);
  if (!Number.isInteger(operations) || operations < 1) {
    console.error("usage: npm run bench:generate -- --operations N");
    process.exit(2);
  }
  const server = await benchServer();
  const database = benchDatabaseName(operations);
  try {
    await server.ensureDatabase(database);
    const dataSource = createDataSource({ url: server.urlFor(database), entities: ENTITIES, poolSize: 2, log: console.error });
    await dataSource.initialize();
    try {
      await migrate(dataSource);
      const started = Date.now();
      await generateSynthetic(dataSource, operations);
      console.log(`generated ${operations} SYNTHETIC operations into ${database} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`bench:generate failed: ${error.message}`);
    process.exit(1);
  });
}
