import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";
import { importBundle, readBundle } from "../../src/import";
import { createApiKey, Role } from "../../src/modules/auth";
import { DATA_DIR, ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { REDIS_TEST_URL, needs, redis as redisEngine } from "../helpers/engines";

// Two instances of the service on one database and one Redis, as two replicas behind a proxy.
const run = needs("the shared answer cache suite", redisEngine());
const prefix = `mg-test-${randomBytes(6).toString("hex")}:`;
let a: TestApp;
let b: { app: App; url: string };
let down: { app: App; url: string };
let local: TestApp;
let redis: Redis;
let scratch: string;

/** Another instance of the service on `databaseUrl` (no dataset load: it is already there). */
async function instance(databaseUrl: string, redisUrl: string): Promise<{ app: App; url: string }> {
  const config = loadConfig(
    {
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      PORT: "0",
      LOG_LEVEL: "silent",
      LOAD_DATASET: "false",
      DATA_DIR,
      EXPOSE_SQL_STATEMENT_COUNT: "true",
      DB_POOL_SIZE: "2",
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      RATE_LIMIT_POINTS: "1000000",
      RATE_LIMIT_KEY_POINTS: "1000000",
      FAILED_REQUESTS_PER_MINUTE: "1000000",
    },
    ROOT,
  );
  const app = await createApp(config);
  return { app, url: await app.listen() };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  if (!run) return;
  redis = new Redis(REDIS_TEST_URL);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mg-answer-cache-"));
  a = await startTestApp({ env: { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: prefix } });
  b = await instance(a.databaseUrl, REDIS_TEST_URL);
  down = await instance(a.databaseUrl, `redis://127.0.0.1:${await closedPort()}`);
  // Without Redis the cache is the process's own; a budget of 3 points shows a hit charged.
  local = await startTestApp({ env: { RATE_LIMIT_POINTS: "3", RATE_LIMIT_WINDOW_SECONDS: "3600" } });
});
afterAll(async () => {
  await Promise.all([b?.app.close(), down?.app.close()]);
  await Promise.all([a?.close(), local?.close()]);
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const QUERY = `{ operations(first: 3, orderBy: { field: NAME, direction: ASC }) { nodes { key name } } }`;
const get = (url: string, headers: Record<string, string> = {}) => fetch(`${url}?query=${encodeURIComponent(QUERY)}`, { headers });
const post = async (url: string, query: string) =>
  (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) })).json();

describe.skipIf(!run)("the shared GET answer cache", () => {
  it("answers a GET on the second instance from the first's entry, charged to the client's budget", async () => {
    const first = await get(a.url);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(Number(first.headers.get("x-sql-statements"))).toBeGreaterThan(0);
    const body = await first.text();
    expect(await redis.keys(`${prefix}answer:*`)).toHaveLength(1);

    const second = await get(b.url);
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.headers.get("x-sql-statements")).toBe("0");
    expect(await second.text()).toBe(body);
    // The same query executed (POST is never cached) on the second instance gives the same data.
    expect((await post(b.url, QUERY)).data).toEqual(JSON.parse(body).data);
    // A hit is charged like an execution: the budget shrinks by the same points.
    const third = await get(b.url);
    expect(third.headers.get("x-cache")).toBe("HIT");
    expect(Number(second.headers.get("x-ratelimit-remaining")) - Number(third.headers.get("x-ratelimit-remaining"))).toBeGreaterThan(0);
  });

  it("is not served to a request with an API key", async () => {
    const { key } = await createApiKey(a.app.dataSource, "answer cache test", Role.EDITOR);
    const keyed = await get(b.url, { authorization: `Bearer ${key}` });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get("x-cache")).toBeNull();
    expect(Number(keyed.headers.get("x-sql-statements"))).toBeGreaterThan(0);
  });

  it("falls through to execution when Redis is down", async () => {
    for (let i = 0; i < 2; i++) {
      const response = await get(down.url);
      expect(response.status).toBe(200);
      expect(response.headers.get("x-cache")).not.toBe("HIT");
      expect(Number(response.headers.get("x-sql-statements"))).toBeGreaterThan(0);
    }
  });

  it("never serves an entry after a write changed the revision", async () => {
    const before = JSON.parse(await (await get(b.url)).text());
    const renamed = before.data.operations.nodes[0];
    const hashBefore = (await post(b.url, "{ __typename }")).extensions.dataset.contentHash;
    const file = path.join(scratch, "rename.json");
    fs.writeFileSync(file, JSON.stringify({ batch: "answer-cache", operations: [{ key: renamed.key, name: `${renamed.name} (renamed)` }] }));
    expect((await importBundle(a.app.dataSource, await readBundle(file))).ok).toBe(true);
    // The second instance learns of the write from the database's notification: wait for that, not for a time.
    let hash = hashBefore;
    while (hash === hashBefore) hash = (await post(b.url, "{ __typename }")).extensions.dataset.contentHash;
    const after = await get(b.url);
    expect(after.headers.get("x-cache")).toBe("MISS");
    const nodes = JSON.parse(await after.text()).data.operations.nodes;
    expect(nodes.find((n: { key: string }) => n.key === renamed.key)?.name ?? `${renamed.name} (renamed)`).toBe(`${renamed.name} (renamed)`);
    expect(nodes).not.toEqual(before.data.operations.nodes);
  });

  it("without Redis answers from the process's own cache, and never past a spent budget", async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await get(local.url);
      statuses.push(`${response.status} ${response.headers.get("x-cache")} ${response.headers.get("x-ratelimit-remaining")}`);
    }
    // Each query costs 1 point (1 + 1 per 100 records it may return): two hits, then the refusal execution gives.
    expect(statuses).toEqual(["200 MISS 2", "200 HIT 1", "200 HIT 0", "429 null 0"]);
  });
});
