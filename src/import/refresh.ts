import type { EntityManager } from "typeorm";
import type { Bundle } from "./bundle";

/**
 * Refreshes first disclosure dates and operation_facts, once, for the operations a bundle wrote or
 * whose reports it wrote (the import defers the per-statement maintenance that would recompute an
 * operation once per edge row).
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
}
