import type { DataSource, EntityManager } from "typeorm";

/** Per database, the end of the last write this process queued. */
const queues = new WeakMap<DataSource, Promise<void>>();

/**
 * Waits until every write this process queued before on the same database has finished, and
 * returns the function that ends this one's turn. A write waiting here holds no pool connection.
 */
async function takeTurn(dataSource: DataSource): Promise<() => void> {
  const previous = queues.get(dataSource) ?? Promise.resolve();
  let end!: () => void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  queues.set(
    dataSource,
    previous.then(() => ended),
  );
  await previous;
  return end;
}

/**
 * Runs one of the dataset's writers (an import from the CLI, the API, data:release or the first
 * load; a curation delete) in a transaction of its own, once the writers before it are done, so
 * writers take turns instead of interleaving their row locks (two imports that write the same
 * operations in different orders deadlock on their rows, and one fails).
 *
 * Two queues: within a process, a writer waits before it takes a pool connection (were it to wait
 * on the database's lock instead, every waiting writer would hold a connection, and a handful of
 * imports would take the whole pool from readers and from each other: those left without one
 * failed as DATABASE_UNAVAILABLE); between processes, the transaction's first act after lifting
 * the statement timeout (a large bundle may run, or wait its turn, longer than it) is to take a
 * transaction-level advisory lock, before any row is read or locked, released at commit or rollback.
 */
export async function inWriteTurn<T>(dataSource: DataSource, write: (db: EntityManager) => Promise<T>): Promise<T> {
  const endTurn = await takeTurn(dataSource);
  try {
    return await dataSource.transaction(async (db) => {
      await db.query("SET LOCAL statement_timeout = 0");
      await db.query("SELECT pg_advisory_xact_lock(hashtext('misuse-graph:import'))");
      return write(db);
    });
  } finally {
    endTurn();
  }
}
