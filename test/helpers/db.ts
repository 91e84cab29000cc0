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
];

/** Every row of every table, in a fixed order: two equal dumps mean nothing was written. */
export async function dumpTables(t: TestApp): Promise<Record<string, unknown[]>> {
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
