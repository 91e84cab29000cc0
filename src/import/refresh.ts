import type { EntityManager } from "typeorm";
import type { Bundle } from "./bundle";

/**
 * Refreshes first disclosure dates, operation_facts and the records' content digests, once, for
 * the records a bundle wrote (and the operations whose reports it wrote: their order of reports
 * follows the reports' dates): the import defers the per-statement maintenance that would
 * recompute a record once per edge statement.
 */
export async function refreshTouchedFacts(db: EntityManager, bundle: Bundle): Promise<void> {
  const [{ ids }] = await db.query(
    `SELECT COALESCE(array_agg(DISTINCT id), '{}') AS ids FROM (
       SELECT id FROM operation WHERE key = ANY($1::text[])
       UNION ALL SELECT x.operation_id FROM operation_report x JOIN report r ON r.id = x.report_id WHERE r.key = ANY($2::text[])) touched`,
    [bundle.operations.map((l) => l.record.key), bundle.reports.map((l) => l.record.key)],
  );
  await db.query("SELECT refresh_first_disclosed($1::int[])", [ids]);
  await db.query("SELECT refresh_operation_facts($1::int[])", [ids]);
  const keys = (kind: "companies" | "reports" | "statements") => bundle[kind].map((l) => l.record.key);
  await db.query(
    `SELECT refresh_record_digests('companies', ARRAY(SELECT id FROM company WHERE key = ANY($1::text[]))),
            refresh_record_digests('reports', ARRAY(SELECT id FROM report WHERE key = ANY($2::text[]))),
            refresh_record_digests('operations', $3::int[]),
            refresh_record_digests('statements', ARRAY(SELECT id FROM statement WHERE key = ANY($4::text[])))`,
    [keys("companies"), keys("reports"), ids, keys("statements")],
  );
}
