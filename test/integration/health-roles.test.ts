import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";
import { DATA_DIR, ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createLoginRole } from "../helpers/db";
import { waitFor } from "../helpers/wait";

// /readyz by role. The service under test writes to one database and reads from another
// (DATABASE_READ_URL), each through a role of its own, so the test can take either away: it caps
// that role at zero connections and ends its sessions, and PostgreSQL then refuses every new
// connection of it (53300) at once, while the other database goes on answering.
let primary: TestApp;
let replica: TestApp;
let app: App;
let url: string;
const suffix = randomBytes(4).toString("hex");
const roles = { primary: `mg_primary_${suffix}`, replica: `mg_replica_${suffix}` };

function as(role: string, databaseUrl: string): string {
  const parsed = new URL(databaseUrl);
  parsed.username = role;
  return parsed.toString();
}

async function grant(t: TestApp, role: string) {
  await t.sql(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await t.sql(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
  await t.sql(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
}

/** Refuses (0) or allows (-1) new connections of `role`; refusing also ends the ones it has. */
async function connections(role: string, limit: 0 | -1) {
  await primary.sql(`ALTER ROLE ${role} CONNECTION LIMIT ${limit}`);
  if (limit === -1) return;
  await waitFor(
    async () => {
      for (const { pid } of await primary.sql(`SELECT pid FROM pg_stat_activity WHERE usename = $1`, [role])) {
        await primary.sql(`SELECT pg_terminate_backend($1)`, [pid]);
      }
      const [{ n }] = await primary.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1`, [role]);
      return n === 0;
    },
    { timeoutMs: 10_000, what: `no session of ${role} left` },
  );
}

beforeAll(async () => {
  [primary, replica] = await Promise.all([startTestApp({ loadDataset: false }), startTestApp({ loadDataset: false })]);
  await createLoginRole(primary, roles.primary);
  await createLoginRole(primary, roles.replica);
  await grant(primary, roles.primary);
  await grant(replica, roles.replica);
  app = await createApp(
    loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: as(roles.primary, primary.databaseUrl),
        DATABASE_READ_URL: as(roles.replica, replica.databaseUrl),
        PORT: "0",
        LOG_LEVEL: "silent",
        LOAD_DATASET: "false",
        DATA_DIR,
        DB_POOL_SIZE: "2",
        // Reads here must stay on the replica: failover to the primary is tested in replica.test.ts.
        READ_FAILOVER: "off",
      },
      ROOT,
    ),
  );
  url = await app.listen();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await Promise.all([primary?.close(), replica?.close()]);
  const admin = new (await import("pg")).default.Client({ connectionString: new URL("/postgres", primary.databaseUrl).toString() });
  await admin.connect();
  for (const role of Object.values(roles)) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

async function ready(path: "/readyz" | "/readyz/write") {
  const response = await fetch(new URL(path, url));
  return { status: response.status, body: (await response.json()) as any };
}

const AVAILABLE = (database: string) => ({ status: "available", database });
const UNAVAILABLE = (database: string) => ({ status: "unavailable", database });

describe("/readyz by role, with a read replica", () => {
  it("is 200 for reads and writes while both databases answer", async () => {
    const reads = await ready("/readyz");
    expect(reads.status).toBe(200);
    expect(reads.body).toMatchObject({
      status: "ready",
      database: "up",
      replica: { database: "up", migrations: "applied" },
      read: AVAILABLE("replica"),
      write: AVAILABLE("primary"),
    });
    expect(await ready("/readyz/write")).toMatchObject({ status: 200, body: { status: "ready" } });
  });

  it("stays 200 for reads with the write side unavailable when the primary is gone; /readyz/write is 503", async () => {
    await connections(roles.primary, 0);
    try {
      const reads = await ready("/readyz");
      expect(reads.status).toBe(200);
      expect(reads.body).toMatchObject({ status: "ready", database: "unreachable", read: AVAILABLE("replica"), write: UNAVAILABLE("primary") });
      const writes = await ready("/readyz/write");
      expect(writes.status).toBe(503);
      expect(writes.body).toMatchObject({ status: "not ready", write: UNAVAILABLE("primary") });
      // Reads really are served: the replica answers a query.
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ reports { totalCount } }" }),
      });
      expect(response.status).toBe(200);
    } finally {
      await connections(roles.primary, -1);
    }
    await waitFor(async () => (await ready("/readyz/write")).status === 200, { timeoutMs: 10_000, what: "writes ready again" });
  });

  it("is 503 for reads when the replica is gone and READ_FAILOVER is off, while /readyz/write stays 200", async () => {
    await connections(roles.replica, 0);
    try {
      const reads = await ready("/readyz");
      expect(reads.status).toBe(503);
      expect(reads.body).toMatchObject({
        status: "not ready",
        database: "up",
        replica: { database: "unreachable" },
        read: UNAVAILABLE("replica"),
        write: AVAILABLE("primary"),
      });
      expect(await ready("/readyz/write")).toMatchObject({ status: 200, body: { status: "ready", write: AVAILABLE("primary") } });
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ reports { totalCount } }" }),
      });
      expect(response.status).toBe(503);
    } finally {
      await connections(roles.replica, -1);
    }
    await waitFor(async () => (await ready("/readyz")).status === 200, { timeoutMs: 10_000, what: "reads ready again" });
  });
});

describe("/readyz by role, without a replica", () => {
  it("answers both roles from the primary", async () => {
    const response = await fetch(new URL("/readyz", primary.url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ status: "ready", database: "up", read: AVAILABLE("primary"), write: AVAILABLE("primary") });
    expect(body.replica).toBeUndefined();
    expect((await fetch(new URL("/readyz/write", primary.url))).status).toBe(200);
  });
});
