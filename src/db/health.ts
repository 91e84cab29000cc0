import pg from "pg";
import type { Pool } from "pg";
import type { DataSource } from "typeorm";
import { poolOf, readPoolOf } from "./request-db";
import { readRouting } from "./read-routing";
import type { ReadRouting } from "./read-routing";

/** What /readyz reports. */
export interface Readiness {
  ok: boolean;
  body: Record<string, unknown>;
}

/** The side of the service a readiness check asks about: reads (queries, exports) or writes (curation, imports). */
export type ReadinessRole = "read" | "write";

/** One database's state as a probe on a connection of its own saw it. */
interface DatabaseState {
  database: "up" | "unreachable";
  migrations?: "applied" | "pending";
}

const serves = (state: DatabaseState) => state.database === "up" && state.migrations === "applied";

/**
 * Readiness checks on a connection of their own, outside the request pool: when every pooled
 * connection is busy the database is still up, and /readyz must say so (a saturated pool is
 * OVERLOADED, not an outage). The pool's saturation is reported beside it.
 *
 * With a read replica (DATABASE_READ_URL), reads go to the replica while it serves and, with
 * READ_FAILOVER on, to the primary while it does not (db/read-routing.ts); writes go to the
 * primary. Each database is probed and each role answered from the database it goes to now:
 * `check("read")` is ok while the replica serves, or the primary when reads fail over (the body
 * says `read: { database: "primary", failover: true }`), and `check("write")` while the primary
 * serves. Without a replica, both roles are the primary. What the probes see is told to the read
 * routing, so an outage seen here is logged (once) and routed around like one a request met.
 */
export function createReadinessCheck(
  dataSource: DataSource,
  migrationCount: number,
): { check(role?: ReadinessRole): Promise<Readiness>; close(): Promise<void> } {
  const pool = poolOf(dataSource);
  const replicaPool = readPoolOf(dataSource) === pool ? null : readPoolOf(dataSource);
  const ownPool = (of: Pool) => {
    const own = new pg.Pool({ ...(of.options as pg.PoolConfig), max: 1, idleTimeoutMillis: 10_000 });
    own.on("error", () => undefined);
    return own;
  };
  const primary = ownPool(pool);
  const replica = replicaPool ? ownPool(replicaPool) : null;
  const probe = async (own: pg.Pool): Promise<DatabaseState> => {
    try {
      const { rows } = await own.query("SELECT count(*)::int AS applied FROM migrations");
      return { database: "up", migrations: rows[0].applied < migrationCount ? "pending" : "applied" };
    } catch {
      return { database: "unreachable" };
    }
  };
  return {
    async check(role = "read") {
      const [write, read] = await Promise.all([probe(primary), replica ? probe(replica) : null]);
      const routing = readRouting(dataSource);
      tellRouting(routing, write, read);
      // Reads fail over to the primary while the replica does not serve (unless READ_FAILOVER is off).
      const failover = read !== null && !serves(read) && routing.failover;
      const readState = read && !failover ? read : write;
      const ok = serves(role === "write" ? write : readState);
      return { ok, body: readinessBody(ok, pool, write, read, failover) };
    },
    close: async () => {
      await Promise.all([primary.end(), replica?.end()]);
    },
  };
}

/** Tells the read routing what the probes saw, so an outage found here is logged and routed around like one a request met. */
function tellRouting(routing: ReadRouting, write: DatabaseState, read: DatabaseState | null): void {
  if (write.database === "unreachable") routing.markDown("primary");
  else routing.markUp("primary");
  if (read?.database === "unreachable") routing.markDown("replica");
  else if (read) routing.markUp("replica");
}

/** One role's answer: whether the database it goes to serves, and which database that is. */
const side = (state: DatabaseState, database: "primary" | "replica") => ({ status: serves(state) ? "available" : "unavailable", database });

/**
 * What /readyz answers: the primary's state at the top level (as this check has always reported
 * it) with the request pool's saturation while it is up, the replica's state, and each role's side.
 */
function readinessBody(ok: boolean, pool: Pool, write: DatabaseState, read: DatabaseState | null, failover: boolean): Record<string, unknown> {
  const readFromReplica = read !== null && !failover;
  const saturated = pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0;
  return {
    status: ok ? "ready" : "not ready",
    ...write,
    ...(write.database === "up" ? { pool: { size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, saturated } } : {}),
    ...(read ? { replica: read } : {}),
    read: { ...side(readFromReplica ? read : write, readFromReplica ? "replica" : "primary"), ...(failover ? { failover: true } : {}) },
    write: side(write, "primary"),
  };
}
