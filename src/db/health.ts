import pg from "pg";
import type { DataSource } from "typeorm";
import { poolOf } from "./request-db";

/** What /readyz reports. */
export interface Readiness {
  ok: boolean;
  body: Record<string, unknown>;
}

/**
 * Readiness checks on a connection of their own, outside the request pool: when every pooled
 * connection is busy the database is still up, and /readyz must say so (a saturated pool is
 * OVERLOADED, not an outage). The pool's saturation is reported beside it.
 */
export function createReadinessCheck(dataSource: DataSource, migrationCount: number): { check(): Promise<Readiness>; close(): Promise<void> } {
  const pool = poolOf(dataSource);
  const own = new pg.Pool({ ...(pool.options as pg.PoolConfig), max: 1, idleTimeoutMillis: 10_000 });
  own.on("error", () => undefined);
  return {
    async check() {
      const saturated = pool.totalCount >= (pool.options.max ?? 10) && pool.idleCount === 0;
      try {
        const { rows } = await own.query("SELECT count(*)::int AS applied FROM migrations");
        const pending = rows[0].applied < migrationCount;
        return {
          ok: !pending,
          body: {
            status: pending ? "not ready" : "ready",
            database: "up",
            migrations: pending ? "pending" : "applied",
            pool: { size: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, saturated },
          },
        };
      } catch {
        return { ok: false, body: { status: "not ready", database: "unreachable" } };
      }
    },
    close: () => own.end(),
  };
}
