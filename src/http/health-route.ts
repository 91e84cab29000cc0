import type { Readiness } from "../db/health";
import { sendJson } from "./headers";
import type { Route } from "./routes";

/** How an embedded database is doing (its state and restarts); null for an external one. */
export type DatabaseHealth = () => { embedded: true; state: string; restarts: number } | null;

const up = (state: string | undefined) => state === undefined || state === "running" || state === "shared";

/**
 * /healthz answers 200 while the process is alive, whatever the database is doing (status
 * "degraded" while an embedded one is down); /readyz answers whether the database answers (on a
 * connection of its own) and is migrated, 503 when not.
 */
export function healthRoute(health: DatabaseHealth, readiness: () => Promise<Readiness>): Route {
  return async (_req, res, url) => {
    if (url.pathname === "/healthz") {
      const database = health();
      sendJson(res, 200, database ? { status: up(database.state) ? "ok" : "degraded", database } : { status: "ok" });
      return true;
    }
    if (url.pathname === "/readyz") {
      const state = health()?.state;
      const { ok, body } = up(state) ? await readiness() : { ok: false, body: { status: "not ready", database: state } };
      sendJson(res, ok ? 200 : 503, body);
      return true;
    }
    return false;
  };
}
