import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createApiKey, Role } from "../../src/modules/auth";
import { RateLimiter } from "../../src/common/rate-limiter";
import { waitFor } from "../helpers/wait";

// The price rule as the README states it: 1 point, plus 1 per 100 records a query may return.
// operations(first: 100) { nodes { reports(first: 10) } } may return 100 + 100 × 10 = 1100 records.
const BIG_QUERY_POINTS = 1 + 11;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ env: { RATE_LIMIT_POINTS: "30", RATE_LIMIT_KEY_POINTS: "100", RATE_LIMIT_WINDOW_SECONDS: "3600", MAX_QUERY_COST: "5000" } });
});
afterAll(async () => {
  await t?.close();
});

/** A key of its own for each test, so no test's budget depends on what another test spent. */
const freshKey = async (name: string) => (await createApiKey(t.app.dataSource, name, Role.EDITOR)).key;

const ask = (query: string, bearer?: string) =>
  fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query }),
  });

describe("rate limits", () => {
  it("charge points per query, report them in headers and the rateLimit field, and answer 429 when spent", async () => {
    const first = await ask(`{ rateLimit { limit remaining cost resetAt } operations(first: 100) { nodes { reports(first: 10) { totalCount } } } }`);
    expect(first.status).toBe(200);
    const body = (await first.json()) as any;
    expect(body.data.rateLimit).toMatchObject({ limit: 30, cost: BIG_QUERY_POINTS, remaining: 30 - BIG_QUERY_POINTS });
    expect(first.headers.get("x-ratelimit-limit")).toBe("30");
    expect(first.headers.get("x-ratelimit-remaining")).toBe(String(30 - BIG_QUERY_POINTS));
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(new Date(body.data.rateLimit.resetAt).getTime()).toBe(reset * 1000);

    // A one-record query costs 1 point.
    let remaining = 30 - BIG_QUERY_POINTS;
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
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("keeps a separate, larger budget for an API key", async () => {
    const key = await freshKey("separate-budget");
    const response = await ask(`{ rateLimit { limit remaining } }`, key);
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.rateLimit).toEqual({ limit: 100, remaining: 99 });
  });

  it("charges nothing for a query refused before it runs (too complex, invalid)", async () => {
    const key = await freshKey("refused-queries");
    // 100 operations × 100 reports = 10,100 records, over MAX_QUERY_COST=5000.
    const tooBig = await ask(`{ operations(first: 100) { nodes { reports(first: 100) { totalCount } } } }`, key);
    expect(tooBig.status).toBe(400);
    expect(((await tooBig.json()) as any).errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    const invalid = await ask(`{ noSuchField }`, key);
    expect(invalid.status).toBe(400);
    const after = await ask(`{ rateLimit { remaining } }`, key);
    // This one-point query is the first the key pays for; the refused ones cost nothing.
    expect(((await after.json()) as any).data.rateLimit).toEqual({ remaining: 99 });
  });

  it("refills when the window ends", async () => {
    const limiter = new RateLimiter({ anonymousPoints: 3, keyPoints: 10, windowSeconds: 1 });
    await limiter.charge("ip:a", false, 3);
    await expect(limiter.charge("ip:a", false, 1)).rejects.toThrow(/Rate limit exceeded/);
    expect((await limiter.charge("ip:b", false, 1)).remaining).toBe(2);
    const refilled = await waitFor(() => limiter.charge("ip:a", false, 1).then((state) => state.remaining), {
      timeoutMs: 3000,
      what: "the one-second window to refill",
    });
    expect(refilled).toBe(2);
  });
});
