import type { EntityManager } from "typeorm";

/**
 * Makes the calling transaction wait for its turn among the dataset's writers: imports (CLI, API,
 * data:release, the first load) and curation deletes. The transaction-level advisory lock is taken
 * before any row is read or locked, so a second writer waits here holding nothing and goes on when
 * the first commits or rolls back; interleaved, two imports that write the same operations in
 * different orders deadlock on their rows (and one fails). The caller lifts its statement timeout
 * first when the wait may be long.
 * Statements run outside these writers (migrations, bulk loaders) do not take it.
 */
export async function waitForWriteTurn(db: EntityManager): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('misuse-graph:import'))");
}
