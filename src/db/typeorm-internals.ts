import type { Pool } from "pg";
import type { DataSource } from "typeorm";

/*
 * The fields of TypeORM the service reads that TypeORM does not document, in one place. Checked
 * against typeorm 1.1.1; test/unit/library-internals.test.ts fails when a release moves them.
 */

/**
 * TypeORM's pg pools of a PostgreSQL data source (its driver's `master` and `slaves`): the
 * primary's, and the first replica's when the replication option names one. The request path
 * takes connections from them itself (src/db/request-db.ts) rather than through a QueryRunner.
 */
export function driverPools(dataSource: DataSource): { primary: Pool; replica: Pool | null } {
  const driver = dataSource.driver as unknown as { master: Pool; slaves?: Pool[] };
  return { primary: driver.master, replica: driver.slaves?.[0] ?? null };
}
