import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { waitFor } from "../helpers/wait";
import { readPoolOf } from "../../src/db/request-db";
import { createApiKey, Role } from "../../src/modules/auth";

/**
 * Exports under the same discipline as GraphQL requests: a bounded number at once (503 OVERLOADED
 * beyond it, or when the pool is exhausted), a whole-export time limit that cuts off slow readers
 * and gives their connection back, the rate limit charged to the client TRUST_PROXY names, and the
 * release version on every file.
 */

const manifest = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "manifest.json"), "utf8"));
const origin = (t: TestApp) => new URL(t.url).origin;

/** Synthetic operations (about 12 MB of CSV), so an export cannot fit in the sockets' buffers and a reader that reads nothing holds it. */
const BULK_OPERATIONS = 20_000;
async function addBulkOperations(t: TestApp): Promise<void> {
  await t.sql(
    `INSERT INTO operation (key, name, categories, actor_type, summary, sources)
     SELECT 'bulk-op-' || i, 'Bulk operation ' || i, ARRAY['SCAM'], 'CRIMINAL', repeat('A summary long enough to fill buffers. ', 16),
            jsonb_build_array(jsonb_build_object('url', 'https://example.invalid/bulk/' || i, 'kind', 'PUBLISHER'))
     FROM generate_series(1, $1::int) i`,
    [BULK_OPERATIONS],
  );
}

/** An export request whose response is paused as soon as its head arrives: a client that reads nothing. */
interface SlowReader {
  request: http.ClientRequest;
  response: Promise<http.IncomingMessage>;
}
function slowReader(url: string, headers: Record<string, string> = {}): SlowReader {
  const request = http.get(url, { headers, agent: false });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.on("response", (res) => {
      res.pause();
      res.on("error", () => undefined);
      resolve(res);
    });
    request.on("error", reject);
  });
  return { request, response };
}

/** Reads the rest of a response: its text and whether it arrived whole. */
function readRest(res: http.IncomingMessage): Promise<{ text: string; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = () => resolve({ text: Buffer.concat(chunks).toString("utf8"), complete: res.complete });
    res.on("data", (chunk: Buffer) => chunks.push(chunk));
    res.on("end", done);
    res.on("close", done);
    res.resume();
  });
}

/** Connections of the service's read pool that are checked out right now. */
const busy = (t: TestApp) => {
  const pool = readPoolOf(t.app.dataSource);
  return pool.totalCount - pool.idleCount;
};

/** Transactions left open on this test database (an export's snapshot not ended). */
const openTransactions = async (t: TestApp) =>
  (await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`))[0].n;

describe("slow export readers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DB_POOL_SIZE: "4", MAX_CONCURRENT_EXPORTS: "2", EXPORT_TIME_LIMIT_MS: "600000" } });
    await addBulkOperations(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("ten readers that read nothing take at most MAX_CONCURRENT_EXPORTS connections; the rest get 503 OVERLOADED and GraphQL still answers", async () => {
    const readers = Array.from({ length: 10 }, () => slowReader(`${origin(t)}/export/operations.csv`));
    try {
      const responses = await Promise.all(readers.map((r) => r.response));
      const statuses = responses.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 200)).toHaveLength(2);
      expect(statuses.filter((s) => s === 503)).toHaveLength(8);
      for (const res of responses.filter((r) => r.statusCode === 503)) {
        expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
        const { text } = await readRest(res);
        expect(JSON.parse(text).error.code).toBe("OVERLOADED");
      }
      // The two exports hold their cursors' connections, and no more than those two.
      await waitFor(() => busy(t) === 2, { timeoutMs: 10_000, what: "two connections held by the slow exports" });
      const held = responses.filter((r) => r.statusCode === 200);
      const answer = await t.gql(`{ operations(first: 5) { totalCount nodes { key } } }`);
      expect(answer.status).toBe(200);
      expect(answer.body.data.operations.nodes).toHaveLength(5);
      // The readers were still holding their exports while GraphQL answered.
      for (const res of held) expect(res.complete).toBe(false);
      expect(busy(t)).toBe(2);
    } finally {
      for (const reader of readers) reader.request.destroy();
    }
    // Readers gone: their connections come back (closed, as they sat inside a cursor) and no snapshot stays open.
    await waitFor(() => busy(t) === 0, { timeoutMs: 10_000, what: "every export connection back" });
    await waitFor(async () => (await openTransactions(t)) === 0, { timeoutMs: 10_000, what: "no open export transaction" });
    const again = await fetch(`${origin(t)}/export/countries.csv?fields=code`);
    expect(again.status).toBe(200);
    await again.text();
  });

  it("answers 503 OVERLOADED with Retry-After, never 500, for every export while the pool is exhausted", async () => {
    const pool = readPoolOf(t.app.dataSource);
    const held = [];
    for (let i = 0; i < (pool.options.max ?? 4); i += 1) held.push(await pool.connect());
    try {
      for (const route of [
        "/export/countries.csv",
        "/export/operations.ndjson?originCountry=CN",
        "/export/stats/operations/by/CATEGORY.csv",
        "/export/stix?originCountry=CN",
      ]) {
        const response = await fetch(`${origin(t)}${route}`);
        expect(response.status, route).toBe(503);
        expect(response.headers.get("retry-after"), route).toBe("1");
        const body = await response.json();
        expect(body.error?.code ?? body.errors?.[0]?.extensions?.code, route).toBe("OVERLOADED");
      }
    } finally {
      for (const client of held) client.release();
    }
    const after = await fetch(`${origin(t)}/export/countries.csv?fields=code`);
    expect(after.status).toBe(200);
    await after.text();
  });
});

describe("the export time limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { DB_POOL_SIZE: "4", EXPORT_TIME_LIMIT_MS: "2000" } });
    await addBulkOperations(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("cuts off an export whose reader is too slow, and its connection comes back to the pool", async () => {
    const reader = slowReader(`${origin(t)}/export/operations.csv`);
    try {
      const res = await reader.response;
      expect(res.statusCode).toBe(200);
      const total = Number(res.headers["x-total-count"]);
      expect(total).toBeGreaterThan(BULK_OPERATIONS);
      // Cut off at the limit: the connection is given back and the snapshot ends, while the reader never read.
      await waitFor(() => busy(t) === 0, { timeoutMs: 20_000, what: "the export's connection back in the pool" });
      await waitFor(async () => (await openTransactions(t)) === 0, { timeoutMs: 10_000, what: "the export's transaction ended" });
      const { text, complete } = await readRest(res);
      expect(complete).toBe(false);
      // Header plus one line per record would be a whole file; the reader got less.
      expect(text.split("\n").length).toBeLessThan(total + 1);
    } finally {
      reader.request.destroy();
    }
    const answer = await t.gql(`{ operations(first: 1) { nodes { key } } }`);
    expect(answer.status).toBe(200);
  });

  it("answers an export whose budget ran out waiting on a lock with 503 OVERLOADED, not 500, and takes its connection back", async () => {
    // A writer's lock holds every read of operation until the exports' budgets run out: the server
    // is busy, not the request too large, so the answer says to retry (as GraphQL's does).
    const locker = new pg.Client({ connectionString: t.databaseUrl });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE operation IN ACCESS EXCLUSIVE MODE");
      for (const route of ["/export/operations.csv", "/export/stix"]) {
        const response = await fetch(`${origin(t)}${route}`);
        expect(response.status, route).toBe(503);
        expect(Number(response.headers.get("retry-after")), route).toBeGreaterThan(0);
        const body = await response.json();
        expect(body.error?.code ?? body.errors?.[0]?.extensions?.code, route).toBe("OVERLOADED");
      }
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }
    await waitFor(() => busy(t) === 0, { timeoutMs: 10_000, what: "the cancelled exports' connections back" });
    const after = await fetch(`${origin(t)}/export/countries.csv?fields=code`);
    expect(after.status).toBe(200);
    await after.text();
  });
});

describe("exports behind TRUST_PROXY", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: "true", RATE_LIMIT_POINTS: "5" } });
  });
  afterAll(async () => {
    await t?.close();
  });

  const countries = "/export/countries.csv?fields=code";
  const as = (address: string, route: string) => fetch(`${origin(t)}${route}`, { headers: { "x-forwarded-for": address } });

  it("charge each forwarded client its own budget", async () => {
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM country`);
    const points = 1 + Math.floor(n / 100);
    expect(points * 2).toBeGreaterThan(5);
    const first = await as("203.0.113.1", countries);
    expect(first.status).toBe(200);
    await first.text();
    expect(Number(first.headers.get("x-ratelimit-remaining"))).toBe(5 - points);
    const spent = await as("203.0.113.1", countries);
    expect(spent.status).toBe(429);
    expect((await spent.json()).error.code).toBe("RATE_LIMITED");
    // Another client behind the same proxy (the same socket address) has its own, untouched budget.
    const other = await as("203.0.113.2", countries);
    expect(other.status).toBe(200);
    await other.text();
    expect(Number(other.headers.get("x-ratelimit-remaining"))).toBe(5 - points);
  });

  it("rate-charge /export/stix (X-RateLimit headers) and refuse it with 429 when the budget is spent", async () => {
    const cn = readDataset().operations.filter((o) => o.origin.some((x: { country: string }) => x.country === "CN")).length;
    expect(cn).toBeGreaterThan(0);
    const points = 1 + Math.floor(cn / 100);
    let remaining = 5;
    while (remaining >= points) {
      const response = await as("203.0.113.3", "/export/stix?originCountry=CN");
      expect(response.status).toBe(200);
      await response.text();
      remaining -= points;
      expect(response.headers.get("x-ratelimit-limit")).toBe("5");
      expect(Number(response.headers.get("x-ratelimit-remaining"))).toBe(remaining);
      expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
    }
    const refused = await as("203.0.113.3", "/export/stix?originCountry=CN");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).errors[0].extensions.code).toBe("RATE_LIMITED");
  });
});

describe("the version every export names", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const EXPORTS = [
    "/export/operations.csv?originCountry=CN",
    "/export/countries.ndjson",
    "/export/stats/operations/by/CATEGORY.csv",
    "/export/stats/operations/overTime/QUARTER.ndjson",
    "/export/stix?originCountry=CN",
  ];

  /** Each export's version headers, and its NDJSON `_meta.dataset` where it has one. */
  async function versions(): Promise<{ route: string; version: string | null; contentHash: string | null; meta: any }[]> {
    const result = [];
    for (const route of EXPORTS) {
      const response = await fetch(`${origin(t)}${route}`);
      expect(response.status, route).toBe(200);
      const text = await response.text();
      const meta = route.includes(".ndjson") ? JSON.parse(text.split("\n")[0])._meta.dataset : null;
      result.push({ route, version: response.headers.get("x-dataset-version"), contentHash: response.headers.get("x-dataset-content-hash"), meta });
    }
    return result;
  }

  it("is the release version in X-Dataset-Version and _meta, with the content hash in X-Dataset-Content-Hash", async () => {
    for (const { route, version, contentHash, meta } of await versions()) {
      expect(version, route).toBe(manifest.version);
      expect(contentHash, route).toBe(manifest.contentHash);
      if (meta) expect(meta, route).toMatchObject({ version: manifest.version, contentHash: manifest.contentHash });
    }
  });

  it("ends in +modified once the data differ from the release, with the hash of the data as they are", async () => {
    const editor = (await createApiKey(t.app.dataSource, "export version editor", Role.EDITOR)).key;
    const key = readDataset().operations[0].key;
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: `mutation ($input: OperationInput!) { operationUpsert(input: $input) { result } }`,
        variables: { input: { key, summary: "A summary changed to test the export version." } },
      }),
    });
    expect(((await response.json()) as any).data.operationUpsert.result).toBe("UPDATED");
    const { dataset } = await t.data(`{ dataset { contentHash } }`);
    expect(dataset.contentHash).not.toBe(manifest.contentHash);
    for (const { route, version, contentHash, meta } of await versions()) {
      expect(version, route).toBe(`${manifest.version}+modified`);
      expect(contentHash, route).toBe(dataset.contentHash);
      if (meta) expect(meta, route).toMatchObject({ version: `${manifest.version}+modified`, contentHash: dataset.contentHash });
    }
  });

  it("is never worked out by hashing the dataset per export: with a table the hash reads locked, exports still answer", async () => {
    const { dataset } = await t.data(`{ dataset { version contentHash } }`);
    expect(dataset.version).toBe(`${manifest.version}+modified`);
    // Hashing reads every record, statements included; these exports read none of them.
    const locker = new pg.Client({ connectionString: t.databaseUrl });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE statement IN ACCESS EXCLUSIVE MODE");
      for (const route of ["/export/countries.csv?fields=code", "/export/countries.ndjson?fields=code"]) {
        const response = await fetch(`${origin(t)}${route}`);
        expect(response.status, route).toBe(200);
        await response.text();
        expect(response.headers.get("x-dataset-version"), route).toBe(dataset.version);
        expect(response.headers.get("x-dataset-content-hash"), route).toBe(dataset.contentHash);
      }
    } finally {
      await locker.query("ROLLBACK").catch(() => undefined);
      await locker.end();
    }
  });
});
