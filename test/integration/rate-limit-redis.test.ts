import { randomBytes } from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { REDIS_TEST_URL, needs, redis as redisEngine } from "../helpers/engines";

// Two instances of the service sharing the machine's Redis, as two replicas behind a proxy would.
const REDIS_URL = REDIS_TEST_URL;
const run = needs("the Redis rate-limit suite", redisEngine());
const prefix = `mg-test-${randomBytes(6).toString("hex")}:`;
let a: TestApp;
let b: TestApp;
let down: TestApp;
let redis: Redis;

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
  redis = new Redis(REDIS_URL);
  const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_POINTS: "10", RATE_LIMIT_WINDOW_SECONDS: "3600" };
  [a, b] = await Promise.all([startTestApp({ loadDataset: false, env }), startTestApp({ loadDataset: false, env })]);
  down = await startTestApp({
    loadDataset: false,
    env: { REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_POINTS: "3" },
  });
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), down?.close()]);
  if (!redis) return;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const ask = (t: TestApp) =>
  fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });

describe.skipIf(!run)("rate limits shared in Redis", () => {
  it("give two instances one budget: with 10 points, the 11th request is refused by either", async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await ask(i % 2 === 0 ? a : b);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get("x-ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"]);
    for (const t of [a, b]) {
      const refused = await ask(t);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await refused.json()) as any).errors[0].extensions.code).toBe("RATE_LIMITED");
    }
    // The counter is in Redis under this test's prefix, not in either process.
    const keys = await redis.keys(`${prefix}anon*`);
    expect(keys).toHaveLength(1);
    expect(Number(await redis.get(keys[0]))).toBe(10);
  });

  it("fail open to per-process limits when Redis is down: answers at once, and still limits", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const started = Date.now();
      const response = await ask(down);
      expect(Date.now() - started).toBeLessThan(2000);
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
