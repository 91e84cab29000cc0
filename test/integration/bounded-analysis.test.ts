import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

// Documents whose analysis would grow faster than their size: refused after work linear in the
// document, and counted against the sender. The query-limits unit test counts that work.
let t: TestApp;

beforeAll(async () => {
  // Behind a (simulated) proxy, so each test speaks from its own address via X-Forwarded-For; a
  // token cap high enough for N=200; three failures a minute before an address is throttled.
  t = await startTestApp({ loadDataset: false, env: { TRUST_PROXY: "true", MAX_QUERY_TOKENS: "100000", FAILED_REQUESTS_PER_MINUTE: "3" } });
});
afterAll(async () => {
  await t?.close();
});

/** `query { ...F0 }`, fragments F0..F(n-1) each spreading the next twice, F(n) selecting `__typename`: 2^(n+1) selections once spread. */
function doublingFragments(n: number): string {
  let query = "query { ...F0 } ";
  for (let i = 0; i < n; i++) query += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
  return `${query}fragment F${n} on Query { __typename }`;
}

async function post(body: unknown, from: string) {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

describe("fragments that each spread the next twice", () => {
  it("are refused with 400 QUERY_TOO_COMPLEX at N=24 and N=200, naming the expanded size and its limit, while /healthz answers", async () => {
    const [n24, n200, health] = await Promise.all([
      post({ query: doublingFragments(24) }, "10.9.0.1"),
      post({ query: doublingFragments(200) }, "10.9.0.2"),
      fetch(new URL("/healthz", t.url)),
    ]);
    // 1 + 2(1 + 2(1 + ... 2(1 + 1))): the operation's spread, then two spreads per level, then __typename.
    let expanded = 1;
    for (let i = 0; i < 24; i++) expanded = 2 * (1 + expanded);
    expanded += 1;
    expect(n24.status).toBe(400);
    expect(n24.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(n24.body.errors[0].message).toBe(
      `The query expands to ${expanded} selections once its fragments are spread (a fragment counts again at every spread); the limit is 10000`,
    );
    expect(n24.body.data).toBeUndefined();
    expect(n200.status).toBe(400);
    expect(n200.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(n200.body.errors[0].message).toMatch(/expands to .* selections .* the limit is 10000/);
    expect(health.status).toBe(200);
  });

  it("a chain whose expansion stays within the limit is answered", async () => {
    // N=10: 2^11 + ... = 3071 selections, under 10000.
    const response = await post({ query: doublingFragments(10) }, "10.9.0.3");
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ __typename: "Query" });
  });

  it("repeating the refusal gets the sender throttled (429), and only the sender", async () => {
    // FAILED_REQUESTS_PER_MINUTE is 3: past 3 failures the address is refused.
    for (let i = 0; i < 4; i++) expect((await post({ query: doublingFragments(24) }, "10.9.1.1")).status).toBe(400);
    const blocked = await post({ query: doublingFragments(24) }, "10.9.1.1");
    expect(blocked.status).toBe(429);
    expect(blocked.body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post({ query: "{ __typename }" }, "10.9.1.1")).status).toBe(429);
    expect((await post({ query: "{ __typename }" }, "10.9.1.2")).status).toBe(200);
  });

  it("other limits refused before execution count against the sender too (depth)", async () => {
    let selection = "key";
    for (let i = 0; i < 12; i++) selection = `reports(first: 1) { nodes { operations(first: 1) { nodes { ${selection} } } } }`;
    const deep = `{ operations(first: 1) { nodes { ${selection} } } }`;
    for (let i = 0; i < 4; i++) {
      const response = await post({ query: deep }, "10.9.2.1");
      expect(response.status).toBe(400);
      expect(response.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    }
    expect((await post({ query: "{ __typename }" }, "10.9.2.1")).status).toBe(429);
  });
});

describe("deeply nested variables", () => {
  // 1 MB of body: variables nested 100,000 levels deep, a NUL at the bottom or not.
  const nested = (inner: string) => `${"[".repeat(100_000)}${inner}${"]".repeat(100_000)}`;

  it("are refused without overflowing the stack, the place named in a bounded message", async () => {
    const response = await post(`{"query":"query ($v: [String]) { __typename }","variables":{"v":${nested('"a\\u0000b"')}}}`, "10.9.3.1");
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    // Nesting beyond the schema's inputs is refused before any string is looked at.
    expect(response.body.errors[0].message).toMatch(/^variables\.v is nested deeper than \d+ levels/);
    expect(response.body.errors[0].message.length).toBeLessThan(500);
  });

  it("without a bad character get a 4xx, not a server error", async () => {
    const response = await post(`{"query":"query ($v: [String]) { __typename }","variables":{"v":${nested('"ab"')}}}`, "10.9.3.2");
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
