import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

// Bad input at the HTTP edge, sent from outside over raw sockets where fetch would hide it.
let t: TestApp;
let capped: TestApp;
let port: number;

beforeAll(async () => {
  // Behind a (simulated) proxy, so each test can speak from its own address via X-Forwarded-For.
  t = await startTestApp({
    loadDataset: false,
    env: { TRUST_PROXY: "true", MAX_BODY_BYTES: "1000", REQUEST_TIMEOUT_MS: "2000", FAILED_REQUESTS_PER_MINUTE: "5" },
  });
  port = new URL(t.url).port as unknown as number;
  capped = await startTestApp({ loadDataset: false, env: { MAX_CONNECTIONS_PER_ADDRESS: "3" } });
});
afterAll(async () => {
  await Promise.all([t?.close(), capped?.close()]);
});

interface RawResult {
  text: string;
  status: number;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfter: number;
}

/** Opens a socket, lets `talk` write to it, and collects everything the server sends until it closes. */
function raw(toPort: number | string, talk: (socket: net.Socket) => Promise<void> | void, timeoutMs = 10_000): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(toPort), "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms; got: ${text.slice(0, 200)}`));
    }, timeoutMs);
    socket.on("data", (chunk) => (text += chunk.toString("utf8")));
    socket.on("error", () => undefined); // a reset after the answer is fine; the answer is what counts
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), closedAfter: Date.now() - started });
    });
    socket.on("connect", () => void Promise.resolve(talk(socket)).catch(() => undefined));
  });
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jsonBody = (text: string) =>
  JSON.parse(
    text
      .slice(text.indexOf("\r\n\r\n") + 4)
      .replace(/^[0-9a-f]+\r\n/, "")
      .replace(/\r\n0\r\n\r\n$/, ""),
  );

async function post(body: unknown, from: string, extra: Record<string, string> = {}) {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": from, ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

describe("oversized chunked bodies", () => {
  it("get 413 (not a reset) when the body ends within twice the limit", async () => {
    const result = await raw(port, async (socket) => {
      socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
      for (let i = 0; i < 3; i++) socket.write(`258\r\n${"x".repeat(600)}\r\n`); // 1800 bytes against a 1000-byte limit
      socket.write("0\r\n\r\n");
    });
    expect(result.status).toBe(413);
    expect(jsonBody(result.text).errors[0]).toMatchObject({ message: "The request body is larger than 1000 bytes", extensions: { code: "BAD_REQUEST" } });
  });

  it("get 413 and a closed connection when the body goes on and on", async () => {
    const result = await raw(port, async (socket) => {
      socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (let i = 0; i < 50 && !socket.destroyed; i++) {
        socket.write(`3e8\r\n${"y".repeat(1000)}\r\n`);
        await tick(5);
      }
    });
    expect(result.status).toBe(413);
    expect(result.text.toLowerCase()).toContain("connection: close");
  });
});

describe("operations and characters the service cannot process", () => {
  it("answers a subscription with 400 BAD_REQUEST", async () => {
    const { status, body } = await post({ query: "subscription { __typename }" }, "10.1.0.1");
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0].message).toMatch(/Subscriptions are not supported/);
  });

  it.each([
    ["a NUL in the query text", { query: '{ operation(key: "a\u0000b") { key } }' }, /^query contains a NUL character \(U\+0000\) at index 19$/],
    [
      "a NUL in a variable",
      { query: "query ($k: String!) { operation(key: $k) { key } }", variables: { k: "\u0000" } },
      /^variables\.k contains a NUL character/,
    ],
    [
      "a lone surrogate deep in variables",
      {
        query: "mutation ($i: BundleInput!) { bundleImport(input: $i) { dryRun } }",
        variables: { i: { bundle: { companies: [{ name: "bad \ud800 name" }] } } },
      },
      /^variables\.i\.bundle\.companies\[0\]\.name contains a lone UTF-16 surrogate \(U\+D800\) at index 4$/,
    ],
    [
      "a lone low surrogate in the operation name",
      { query: "{ __typename }", operationName: "\udc00" },
      /^operationName contains a lone UTF-16 surrogate \(U\+DC00\)/,
    ],
  ])("refuses %s with 400 BAD_USER_INPUT naming where", async (_name, body, message) => {
    const response = await post(body, "10.1.0.2");
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(response.body.errors[0].message).toMatch(message);
  });

  it("refuses a NUL in a GET query parameter the same way", async () => {
    const url = new URL(t.url);
    url.searchParams.set("query", '{ country(code: "U\u0000S") { name } }');
    const response = await fetch(url, { headers: { "x-forwarded-for": "10.1.0.3" } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.errors[0]).toMatchObject({ message: "query contains a NUL character (U+0000) at index 18", extensions: { code: "BAD_USER_INPUT" } });
  });
});

describe("throttling failures per address", () => {
  it("refuses an address with 429 after 5 unknown API keys a minute, before any lookup, and only that address", async () => {
    for (let i = 0; i < 6; i++) expect((await post({ query: "{ __typename }" }, "10.2.0.1", { authorization: `Bearer mg_guess${i}` })).status).toBe(401);
    const blocked = await post({ query: "{ __typename }" }, "10.2.0.1");
    expect(blocked.status).toBe(429);
    expect(blocked.body.errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await post({ query: "{ __typename }" }, "10.2.0.2")).status).toBe(200);
  });

  it("counts documents that do not parse or validate, and malformed JSON, the same way", async () => {
    const bad = [{ query: "{ nope" }, { query: "{ noSuchField }" }, "{not json", { query: "{ nope" }, { query: "{ __typo }" }, { query: "{" }];
    for (const body of bad) expect((await post(body, "10.2.0.3")).status).toBe(400);
    expect((await post({ query: "{ __typename }" }, "10.2.0.3")).status).toBe(429);
  });
});

describe("slow clients", () => {
  it("are cut off when the headers take longer than the header timeout (2 s here), to the second", async () => {
    const result = await raw(port, async (socket) => {
      socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\n");
      for (let i = 0; i < 40 && !socket.destroyed; i++) {
        socket.write(`X-Slow-${i}: y\r\n`);
        await tick(200);
      }
    });
    expect(result.status).toBe(408);
    expect(result.closedAfter).toBeGreaterThanOrEqual(1900);
    expect(result.closedAfter).toBeLessThan(3500);
  });

  it("are cut off when the body takes longer than the request timeout (2 s here), to the second", async () => {
    const result = await raw(port, async (socket) => {
      socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{");
      for (let i = 0; i < 40 && !socket.destroyed; i++) {
        socket.write(" ");
        await tick(200);
      }
    });
    expect(result.status).toBe(408);
    expect(result.closedAfter).toBeGreaterThanOrEqual(1900);
    expect(result.closedAfter).toBeLessThan(3500);
  });
});

describe("connections per address", () => {
  it("answers a connection over the cap with 429 and closes it; one below the cap is served", async () => {
    const cappedPort = new URL(capped.url).port;
    const held = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(Number(cappedPort), "127.0.0.1", () => resolve(socket));
          }),
      ),
    );
    const request = (socket: net.Socket) => void socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const over = await raw(cappedPort, request);
    expect(over.status).toBe(429);
    expect(jsonBody(over.text).errors[0]).toMatchObject({
      message: "Too many open connections from this address (at most 3)",
      extensions: { code: "RATE_LIMITED" },
    });
    held[0].destroy();
    const deadline = Date.now() + 5000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) status = (await raw(cappedPort, request)).status;
    expect(status).toBe(200);
    for (const socket of held) socket.destroy();
  });
});
