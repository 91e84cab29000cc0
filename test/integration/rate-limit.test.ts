import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createApiKey } from "../../src/modules/auth/auth.service";
import { Role } from "../../src/modules/auth/api-key.entity";
import { RateLimiter, pointsFor } from "../../src/http/rate-limit";

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await startTestApp({ env: { RATE_LIMIT_POINTS: "30", RATE_LIMIT_KEY_POINTS: "100", RATE_LIMIT_WINDOW_SECONDS: "3600" } });
  key = (await createApiKey(t.app.dataSource, "budget", Role.EDITOR)).key;
});
afterAll(async () => {
  await t?.close();
});

const ask = (query: string, bearer?: string) =>
  fetch(t.url, { method: "POST", headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, body: JSON.stringify({ query }) });

describe("rate limits", () => {
  it("charge points per query, report them in headers and the rateLimit field, and answer 429 when spent", async () => {
    // 1 point, plus 1 per 100 records: operations(first: 100) { reports(first: 10) } may return 1100 records.
    const first = await ask(`{ rateLimit { limit remaining cost resetAt } operations(first: 100) { nodes { reports(first: 10) { totalCount } } } }`);
    expect(first.status).toBe(200);
    const body = (await first.json()) as any;
    expect(body.data.rateLimit).toMatchObject({ limit: 30, cost: pointsFor(1100), remaining: 30 - pointsFor(1100) });
    expect(first.headers.get("x-ratelimit-limit")).toBe("30");
    expect(first.headers.get("x-ratelimit-remaining")).toBe(String(30 - pointsFor(1100)));
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(new Date(body.data.rateLimit.resetAt).getTime()).toBe(reset * 1000);

    // A one-record query costs 1 point.
    let remaining = 30 - pointsFor(1100);
    while (remaining > 0) {
      const response = await ask(`{ reports(first: 1) { totalCount } }`);
      expect(response.status).toBe(200);
      remaining -= 1;
      expect(Number(response.headers.get("x-ratelimit-remaining"))).toBe(remaining);
    }
    const refused = await ask(`{ reports(first: 1) { totalCount } }`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const error = ((await refused.json()) as any).errors[0];
    expect(error.extensions.code).toBe("RATE_LIMITED");
    expect(error.message).toMatch(/costs 1 point and 0 of 30 remain/);
  });

  it("keeps a separate, larger budget for an API key", async () => {
    const response = await ask(`{ rateLimit { limit remaining } }`, key);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.rateLimit).toEqual({ limit: 100, remaining: 99 });
  });

  it("refills when the window ends", () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ anonymousPoints: 3, keyPoints: 10, windowSeconds: 60 }, () => now);
    limiter.charge("ip:a", false, 3);
    expect(() => limiter.charge("ip:a", false, 1)).toThrow(/Rate limit exceeded/);
    expect(limiter.charge("ip:b", false, 1).remaining).toBe(2);
    now += 60_000;
    expect(limiter.charge("ip:a", false, 1).remaining).toBe(2);
  });
});
