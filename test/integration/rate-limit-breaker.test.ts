import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";
import { DATA_DIR, ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { REDIS_SERVER, needs, redisServer } from "../helpers/engines";
import { waitFor } from "../helpers/wait";

// A Redis of this test's own, frozen with SIGSTOP under two instances of the service: a frozen
// Redis accepts the connection and never answers, the case a plain "Redis is down" does not cover.
const run = needs("the Redis breaker suite", redisServer());
const TIMEOUT_MS = 500;
const POINTS = 1_000_000;
let server: ChildProcess | null = null;
let redisUrl: string;
let prefix: string;
let t: TestApp;
const instances: { app: App; url: string; logs: string[] }[] = [];

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  if (!run) return;
  const port = await freePort();
  server = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  redisUrl = `redis://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on("error", () => undefined);
      try {
        await client.connect();
        return (await client.ping()) === "PONG";
      } finally {
        client.disconnect();
      }
    },
    { timeoutMs: 10_000, what: "the test's redis-server answering PING" },
  );
  t = await startTestApp({ loadDataset: false });
  prefix = `mg-breaker-${randomBytes(6).toString("hex")}:`;
  for (let i = 0; i < 2; i++) {
    const logs: string[] = [];
    const config = loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: t.databaseUrl,
        PORT: "0",
        LOG_LEVEL: "silent",
        LOAD_DATASET: "false",
        DATA_DIR,
        DB_POOL_SIZE: "2",
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: prefix,
        REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
        REDIS_BREAKER_SECONDS: "1",
        RATE_LIMIT_POINTS: String(POINTS),
        FAILED_REQUESTS_PER_MINUTE: "1000000000",
      },
      ROOT,
    );
    const app = await createApp(config, (message) => logs.push(message));
    instances.push({ app, url: await app.listen(), logs });
  }
});

afterAll(async () => {
  server?.kill("SIGCONT");
  await Promise.all(instances.map(({ app }) => app.close()));
  await t?.close();
  server?.kill("SIGKILL");
});

/** One cheap request; its duration and the budget it reports. */
async function ask(url: string) {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, remaining: Number(response.headers.get("x-ratelimit-remaining")) };
}

const outages = (logs: string[]) => logs.filter((line) => /Redis unavailable/.test(line));
const recoveries = (logs: string[]) => logs.filter((line) => /Redis is back/.test(line));

describe.skipIf(!run)("a frozen Redis under the rate limits", () => {
  it("costs one request one timeout, logs the outage once, and shares the budget again after it thaws", async () => {
    const [a, b] = instances;
    // Shared: the second instance sees what the first spent.
    const warm = [(await ask(a.url)).remaining, (await ask(b.url)).remaining];
    expect(warm).toEqual([POINTS - 1, POINTS - 2]);

    server!.kill("SIGSTOP");
    const frozen = [];
    for (let i = 0; i < 20; i++) frozen.push(await ask(a.url));
    expect(frozen.map((r) => r.status)).toEqual(frozen.map(() => 200));
    // Only the request that found Redis frozen waited for it; the rest were counted in the process.
    expect(frozen.filter((r) => r.ms >= TIMEOUT_MS).length).toBeLessThanOrEqual(1);
    const counted = frozen.map((r) => r.remaining);
    expect(counted).toEqual(counted.map((_, i) => counted[0] - i));
    expect(outages(a.logs)).toHaveLength(1);
    expect(recoveries(a.logs)).toEqual([]);

    server!.kill("SIGCONT");
    await waitFor(() => recoveries(a.logs).length === 1, { timeoutMs: 15_000, what: "the first instance logging Redis back" });
    // One budget again: alternating instances count down the one counter in Redis. It holds the 2
    // points spent before the freeze, and the point of the request that timed out if Redis ran
    // that command once it thawed.
    const direct = new Redis(redisUrl);
    const keys = await direct.keys(`${prefix}anon*`);
    expect(keys).toHaveLength(1);
    const spent = Number(await direct.get(keys[0]));
    direct.disconnect();
    expect([2, 3]).toContain(spent);
    const shared = [];
    for (let i = 0; i < 4; i++) shared.push((await ask(i % 2 === 0 ? a.url : b.url)).remaining);
    expect(shared).toEqual([1, 2, 3, 4].map((n) => POINTS - spent - n));
    expect(outages(a.logs)).toHaveLength(1);
    expect(recoveries(a.logs)).toHaveLength(1);
    expect([...outages(b.logs), ...recoveries(b.logs)]).toEqual([]);
  });
});
