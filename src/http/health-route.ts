import type { Readiness, ReadinessRole } from "../db/health";
import { sendJson } from "./headers";
import type { Route } from "../common/route";

/** How an embedded database is doing (its state and restarts); null for an external one. */
export type DatabaseHealth = () => { embedded: true; state: string; restarts: number } | null;

const READYZ: Record<string, ReadinessRole | undefined> = { "/readyz": "read", "/readyz/read": "read", "/readyz/write": "write" };

const up = (state: string | undefined) => state === undefined || state === "running" || state === "shared";

/**
 * /healthz answers 200 while the process is alive, whatever the database is doing (status
 * "degraded" while an embedded one is down). /readyz answers whether this instance can serve
 * reads: the database reads go to (the replica when DATABASE_READ_URL is set, else the primary)
 * answers on a connection of its own and is migrated, 503 when not; the body says the same of
 * writes (`write`), which may be unavailable while reads are served. /readyz/write answers for
 * writes (the primary), for a proxy that routes mutations; /readyz/read is /readyz.
 */
export function healthRoute(health: DatabaseHealth, readiness: (role?: ReadinessRole) => Promise<Readiness>): Route {
  return async (_req, res, url) => {
    if (url.pathname === "/healthz") {
      const database = health();
      sendJson(res, 200, database ? { status: up(database.state) ? "ok" : "degraded", database } : { status: "ok" });
      return true;
    }
    const role = READYZ[url.pathname];
    if (role) {
      const state = health()?.state;
      const { ok, body } = up(state) ? await readiness(role) : { ok: false, body: { status: "not ready", database: state } };
      sendJson(res, ok ? 200 : 503, body);
      return true;
    }
    return false;
  };
}
