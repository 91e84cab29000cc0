import pg from "pg";
import type { Pool } from "pg";
import type { DataSource } from "typeorm";
import { poolOf, readPoolOf } from "./request-db";

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
 * With a read replica (DATABASE_READ_URL), reads depend on the replica alone (they do not fail
 * over to the primary) and writes on the primary, so each database is probed and each role
 * answered from its own: `check("read")` is ok while the replica serves, whatever the primary
 * does, and `check("write")` while the primary does. Without one, both roles are the primary.
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
  const side = (state: DatabaseState, database: "primary" | "replica") => ({ status: serves(state) ? "available" : "unavailable", database });
  return {
    async check(role = "read") {
      const [write, read] = await Promise.all([probe(primary), replica ? probe(replica) : null]);
      const readState = read ?? write;
      const ok = serves(role === "write" ? write : readState);
      const saturated = pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0;
      return {
        ok,
        body: {
          status: ok ? "ready" : "not ready",
          // The primary, as this check has always reported it.
          ...write,
          ...(write.database === "up" ? { pool: { size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, saturated } } : {}),
          ...(read ? { replica: read } : {}),
          read: side(readState, read ? "replica" : "primary"),
          write: side(write, "primary"),
        },
      };
    },
    close: async () => {
      await Promise.all([primary.end(), replica?.end()]);
    },
  };
}
