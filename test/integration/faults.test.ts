import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";
import { startEmbeddedPostgres } from "../../src/db/embedded";
import type { EmbeddedDatabase } from "../../src/db/embedded";
import { DATA_DIR, ROOT } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { waitFor } from "../helpers/wait";

// This file owns a PostgreSQL of its own, so it can stop and restart it under the service.
const dataset = readDataset();
const port = 54400 + (process.pid % 500);
let dir: string;
let database: EmbeddedDatabase | null = null;
let app: App;
let url: string;

const start = () => startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port, database: "faults", log: () => undefined });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-faults-"));
  database = await start();
  app = await createApp(loadConfig({ DATABASE_URL: database.url, PORT: "0", LOG_LEVEL: "silent", NODE_ENV: "test", DATA_DIR, DB_POOL_SIZE: "4" }, ROOT));
  url = await app.listen();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await database?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const COUNT = `{ operations { totalCount } }`;
async function ask(query = COUNT) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as any, retryAfter: response.headers.get("retry-after") };
}

describe("when PostgreSQL goes away and comes back", () => {
  it("answers 503 DATABASE_UNAVAILABLE fast, reports not ready, stays up, and recovers by itself with nothing lost", async () => {
    expect((await ask()).body.data.operations.totalCount).toBe(dataset.operations.length);

    // Load in flight while the database stops and restarts.
    let stopLoad = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stopLoad) {
        const response = await ask().catch(() => ({ status: -1 }) as const);
        statuses.push(response.status);
      }
    })();

    await database!.stop();
    database = null;
    const started = Date.now();
    const down = await ask();
    expect(Date.now() - started).toBeLessThan(4000);
    expect(down.status).toBe(503);
    expect(down.retryAfter).toBe("5");
    expect(down.body.errors[0].extensions.code).toBe("DATABASE_UNAVAILABLE");
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
    // A request with an API key needs the database to check the key: it is unavailable too, not a 500.
    const keyed = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer mg_any" },
      body: JSON.stringify({ query: COUNT }),
    });
    expect(keyed.status).toBe(503);
    expect(((await keyed.json()) as any).errors[0].extensions.code).toBe("DATABASE_UNAVAILABLE");
    const ready = await fetch(new URL("/readyz", url));
    expect(ready.status).toBe(503);
    expect((await ready.json()).database).toBe("unreachable");
    expect((await fetch(new URL("/healthz", url))).status).toBe(200);

    database = await start();
    const recovered = await waitFor(
      async () => {
        const response = await ask();
        return response.status === 200 && response.body.data?.operations.totalCount === dataset.operations.length;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: "a full answer after PostgreSQL restarted" },
    ).finally(async () => {
      stopLoad = true;
      await load;
    });
    expect(recovered).toBe(true);
    expect((await fetch(new URL("/readyz", url))).status).toBe(200);
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(statuses).toContain(503);
  });
});

describe("graceful shutdown", () => {
  it("finishes requests in flight, refuses new ones, and closes the pool", async () => {
    const second = await createApp(
      loadConfig({ DATABASE_URL: database!.url, PORT: "0", LOG_LEVEL: "silent", NODE_ENV: "test", DATA_DIR, DB_POOL_SIZE: "2" }, ROOT),
    );
    const secondUrl = await second.listen();
    // Hold a lock so the request below is still running when shutdown starts.
    const pg = await import("pg");
    const blocker = new pg.default.Client({ connectionString: database!.url });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE report IN ACCESS EXCLUSIVE MODE");
    const inFlight = fetch(secondUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ reports { totalCount } }" }),
    });
    // Shutdown starts only once that request's statement is waiting for the lock on the server.
    await waitFor(
      async () => {
        const { rows } = await blocker.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
        return rows[0].n > 0;
      },
      { timeoutMs: 10_000, what: "the request's statement waiting for the lock" },
    );
    const closing = second.close();
    const askSecond = () => fetch(secondUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: COUNT }) });
    await waitFor(
      () =>
        askSecond().then(
          () => false,
          () => true,
        ),
      { timeoutMs: 5_000, what: "the closing server refusing connections" },
    );
    await expect(askSecond()).rejects.toThrow();
    await blocker.query("COMMIT");
    await blocker.end();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.reports.totalCount).toBe(dataset.reports.length);
    await closing;
    expect(second.dataSource.isInitialized).toBe(false);
  });
});
