import type { TestApp } from "./app";

const TABLES = [
  "company",
  "report",
  "report_figure",
  "operation",
  "operation_report",
  "operation_origin",
  "operation_target",
  "operation_company",
  "statement",
  "statement_report",
  "statement_operation",
  "dataset_import",
  "country",
  "api_key",
  "audit_entry",
  "operation_facts",
  "deletion",
  "taxii_object_version",
  "record_digest",
];

/**
 * Tables that hold no data facts of their own: the migration log only changes when the schema
 * does, operation_count is a function of operation_facts and dataset_digest (the content hash) of
 * record_digest (both dumped), kept by their triggers.
 */
const NOT_DUMPED = ["migrations", "operation_count", "dataset_digest"];

/**
 * Every row of every table, in a fixed order: two equal dumps mean nothing was written. Fails when
 * the database has a table this list does not know, so a new table cannot slip past the comparison.
 */
export async function dumpTables(t: TestApp): Promise<Record<string, unknown[]>> {
  const present: { name: string }[] = await t.sql(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' UNION SELECT matviewname FROM pg_matviews WHERE schemaname = 'public'`,
  );
  const unknown = present.map((row) => row.name).filter((name) => !TABLES.includes(name) && !NOT_DUMPED.includes(name));
  if (unknown.length > 0) throw new Error(`dumpTables does not know the table(s) ${unknown.join(", ")}: add them to test/helpers/db.ts`);
  const dump: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    dump[table] = await t.sql(`SELECT to_jsonb(x)::text AS row FROM ${table} x ORDER BY 1`);
  }
  const [{ sequences }] = await t.sql(
    `SELECT string_agg(sequencename || '=' || COALESCE(last_value, 0), ',' ORDER BY sequencename) AS sequences FROM pg_sequences`,
  );
  dump.sequences = [sequences];
  return dump;
}

/**
 * Creates a login role for a test that connects as another user: on a server that checks passwords
 * (the embedded cluster uses scram-sha-256) it gets the password of the test's own URL, so the URL
 * with only the user name changed logs in as it does on a trust-auth server.
 */
export async function createLoginRole(t: TestApp, role: string): Promise<void> {
  const password = decodeURIComponent(new URL(t.databaseUrl).password);
  await t.sql(`CREATE ROLE ${role} LOGIN${password ? ` PASSWORD '${password.replace(/'/g, "''")}'` : ""}`);
}
