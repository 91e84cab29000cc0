import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";
import { createApiKey, Role } from "../../src/modules/auth";
import { DATA_DIR, ROOT } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { needs, postgresServer } from "../helpers/engines";
import { startReplicatedPair } from "../helpers/pg-cluster";
import type { ReplicatedPair } from "../helpers/pg-cluster";
import { waitFor } from "../helpers/wait";

// The service against a real primary and a real streaming replica (PostgreSQL binaries, clusters
// of their own in a temp folder): replay paused, the replica stopped, the primary stopped. Two
// instances share the databases: one fails reads over to the primary (the default), one does not
// (READ_FAILOVER=off).
const dataset = readDataset();
const company = dataset.companies[0];
/** Every list export (/export/<list>.csv) and the table it lists, for counting its rows independently of the export's own SQL. */
const TABLES: Record<string, string> = { operations: "operation", reports: "report", statements: "statement", companies: "company", countries: "country" };
const LIST_EXPORTS = Object.keys(TABLES).map((name) => `/export/${name}.csv`);

let pair: ReplicatedPair;
let app: App;
let strict: App;
let url: string;
let strictUrl: string;
let editorKey: string;
const logged: string[] = [];

function instance(env: Record<string, string>, log?: (message: string) => void): Promise<App> {
  return createApp(
    loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: pair.primaryUrl(),
        DATABASE_READ_URL: pair.replicaUrl(),
        PORT: "0",
        LOG_LEVEL: "silent",
        DATA_DIR,
        DB_POOL_SIZE: "4",
        RATE_LIMIT_POINTS: "1000000000",
        FAILED_REQUESTS_PER_MINUTE: "1000000000",
        ...env,
      },
      ROOT,
    ),
    log,
  );
}

const suite = describe.skipIf(!needs("replica.test.ts (a primary and a streaming replica)", postgresServer()));

beforeAll(async () => {
  if (!postgresServer().available) return;
  pair = await startReplicatedPair("misuse_graph");
  // The first instance migrates and loads the dataset on the primary; the replica replays it.
  app = await instance({ LOAD_DATASET: "true" }, (message) => logged.push(message));
  url = await app.listen();
  strict = await instance({ LOAD_DATASET: "false", READ_FAILOVER: "off" });
  strictUrl = await strict.listen();
  editorKey = (await createApiKey(app.dataSource, "replica test editor", Role.EDITOR)).key;
  await pair.caughtUp();
}, 120_000);

afterAll(async () => {
  await strict?.close().catch(() => undefined);
  await app?.close().catch(() => undefined);
  await pair?.close();
});

async function get(base: string, query: string, headers: Record<string, string> = {}) {
  const target = new URL(base);
  target.searchParams.set("query", query);
  const response = await fetch(target, { headers });
  const text = await response.text();
  return {
    status: response.status,
    etag: response.headers.get("etag"),
    revision: response.headers.get("x-dataset-revision"),
    cache: response.headers.get("x-cache"),
    text,
    body: JSON.parse(text),
  };
}

async function post(base: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(base, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

async function ready(base: string, path = "/readyz") {
  const response = await fetch(new URL(path, base));
  return { status: response.status, body: (await response.json()) as any };
}

const NAME = `{ company(key: "${company.key}") { name } }`;
const COUNTRY_FILTER = `{ operations(filter: { originCountry: ["CN"] }) { totalCount } }`;

suite("tags that match the data, with replay paused on the replica", () => {
  it("never serves one ETag with two bodies, and a revalidation after replay gets the new data", async () => {
    const bodies = new Map<string, string>();
    const record = <T extends { status: number; etag: string | null; text: string }>(answer: T): T => {
      expect(answer.status).toBe(200);
      expect(answer.etag).not.toBeNull();
      const seen = bodies.get(answer.etag!);
      if (seen !== undefined) expect(answer.text).toBe(seen);
      bodies.set(answer.etag!, answer.text);
      return answer;
    };
    const before = record(await get(url, NAME));
    const released = before.body.extensions.dataset;
    expect(released.version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
    expect(before.body.data.company.name).toBe(company.name);

    await pair.sql("replica", "SELECT pg_wal_replay_pause()");
    await waitFor(async () => (await pair.sql("replica", "SELECT pg_get_wal_replay_pause_state() AS s"))[0].s === "paused", {
      timeoutMs: 10_000,
      what: "replay paused",
    });
    try {
      const renamed = `${company.name} (renamed on the primary)`;
      const write = await post(
        url,
        `mutation ($input: CompanyInput!) { companyUpsert(input: $input) { result userErrors { message } } }`,
        { input: { key: company.key, name: renamed } },
        {
          authorization: `Bearer ${editorKey}`,
        },
      );
      expect(write.status).toBe(200);
      expect(write.body.data.companyUpsert.userErrors).toEqual([]);
      // The mutation names the revision it created, as the primary states it.
      const [{ revision: primaryRevision }] = await pair.sql(
        "primary",
        "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM dataset_import) || '/' || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM audit_entry) AS revision",
      );
      expect(write.body.extensions.dataset.revision).toBe(primaryRevision);
      expect(write.headers.get("x-dataset-revision")).toBe(primaryRevision);

      // The replica has not replayed the write: every answer, from either instance, is the old body under the old tag.
      for (let i = 0; i < 6; i += 1) {
        const answer = record(await get(i % 2 ? strictUrl : url, NAME));
        expect(answer.body.data.company.name).toBe(company.name);
        expect(answer.etag).toBe(before.etag);
        expect(answer.revision).not.toBe(primaryRevision);
        // The instance that served `before` answers from its answer cache, under the replica's revision.
        if (i % 2 === 0) expect(answer.cache).toBe("HIT");
      }
      // Read-your-writes: the author reads from the primary and sees its write, under a tag of its revision.
      const own = record(await get(url, NAME, { "x-read-from": "primary" }));
      expect(own.body.data.company.name).toBe(renamed);
      expect(own.revision).toBe(primaryRevision);
      expect(own.etag).not.toBe(before.etag);
      // The primary's answer is cached under the primary's revision: readers of the paused replica still get the replica's.
      const stillOld = record(await get(url, NAME));
      expect(stillOld.body.data.company.name).toBe(company.name);
      expect(stillOld.etag).toBe(before.etag);
      const [{ name: onReplica }] = await pair.sql("replica", "SELECT name FROM company WHERE key = $1", [company.key]);
      expect(onReplica).toBe(company.name);
      // Versions name the replica's data too: the dataset field, a list export, a statistics table.
      expect((await post(url, `{ dataset { version } }`)).body.data.dataset.version).toBe(released.version);
      for (const path of ["/export/companies.csv", "/export/stats/operations/by/CATEGORY.csv"]) {
        const response = await fetch(new URL(path, url));
        expect(response.status, path).toBe(200);
        expect(response.headers.get("x-dataset-version"), path).toBe(released.version);
        expect(response.headers.get("x-dataset-content-hash"), path).toBe(released.contentHash);
        await response.text();
      }
    } finally {
      await pair.sql("replica", "SELECT pg_wal_replay_resume()");
    }
    await pair.caughtUp();
    const target = new URL(url);
    target.searchParams.set("query", NAME);
    const revalidated = await fetch(target, { headers: { "if-none-match": before.etag! } });
    expect(revalidated.status).toBe(200);
    const after = record({ status: revalidated.status, etag: revalidated.headers.get("etag"), text: await revalidated.text() });
    expect(JSON.parse(after.text).data.company.name).toBe(`${company.name} (renamed on the primary)`);
    expect(after.etag).not.toBe(before.etag);
    expect(JSON.parse(after.text).extensions.dataset.version).toBe(`${released.version}+modified`);
    // The same tag now answers 304: it names the new body.
    expect((await fetch(target, { headers: { "if-none-match": after.etag! } })).status).toBe(304);
  });

  it("refuses an X-Read-From value it does not know with a 400", async () => {
    const answer = await post(url, "{ __typename }", {}, { "x-read-from": "nearest" });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });
});

suite("the replica down", () => {
  it("reads answer from the primary and /readyz says they fail over; READ_FAILOVER=off answers 503; reads go back when it returns", async () => {
    const [{ n: operations }] = await pair.sql("primary", "SELECT count(*)::int AS n FROM operation");
    const [{ n: fromChina }] = await pair.sql("primary", "SELECT count(DISTINCT o.operation_id)::int AS n FROM operation_origin o WHERE o.country_code = 'CN'");
    await pair.stop("replica");
    try {
      for (let i = 0; i < 5; i += 1) {
        const answer = await post(url, `{ operations { totalCount } }`);
        expect(answer.status).toBe(200);
        expect(answer.body.data.operations.totalCount).toBe(operations);
      }
      expect((await post(url, COUNTRY_FILTER)).body.data.operations.totalCount).toBe(fromChina);
      const reads = await ready(url);
      expect(reads.status).toBe(200);
      expect(reads.body).toMatchObject({
        status: "ready",
        replica: { database: "unreachable" },
        read: { status: "available", database: "primary", failover: true },
        write: { status: "available", database: "primary" },
      });
      for (const path of LIST_EXPORTS) expect((await fetch(new URL(path, url))).status, path).toBe(200);
      expect(logged.filter((line) => /replica is unreachable/.test(line))).toHaveLength(1);

      // Without failover: the lookup behind a country filter fails, and that is a 503, not a 400.
      const filtered = await post(strictUrl, COUNTRY_FILTER);
      expect(filtered.status).toBe(503);
      expect(filtered.body.errors[0].extensions.code).toBe("DATABASE_UNAVAILABLE");
      const exported = await fetch(new URL("/export/operations.csv?originCountry=CN", strictUrl));
      expect(exported.status).toBe(503);
      expect(((await exported.json()) as any).error.code).toBe("DATABASE_UNAVAILABLE");
      expect((await ready(strictUrl)).status).toBe(503);
    } finally {
      await pair.start("replica");
    }
    await waitFor(async () => (await ready(url)).body.read?.database === "replica", { timeoutMs: 15_000, what: "reads back on the replica" });
    expect(logged.filter((line) => /replica answers again/.test(line))).toHaveLength(1);
    expect((await post(strictUrl, COUNTRY_FILTER)).body.data.operations.totalCount).toBe(fromChina);
  });
});

suite("the primary down", () => {
  it("reads and every list export answer from the replica; /readyz is 200 with writes unavailable", async () => {
    await pair.caughtUp();
    const counts = new Map<string, number>();
    for (const name of Object.keys(TABLES)) {
      const [{ n }] = await pair.sql("replica", `SELECT count(*)::int AS n FROM ${TABLES[name]}`);
      counts.set(name, n);
    }
    await pair.stop("primary");
    try {
      const answer = await post(url, `{ operations { totalCount } }`);
      expect(answer.status).toBe(200);
      expect(answer.body.data.operations.totalCount).toBe(counts.get("operations"));
      // Every list export reads DATABASE_READ_URL: with the primary stopped, only the replica can answer them.
      for (const name of counts.keys()) {
        const response = await fetch(new URL(`/export/${name}.csv`, url));
        expect(response.status, name).toBe(200);
        expect(Number(response.headers.get("x-total-count")), name).toBe(counts.get(name));
        await response.text();
      }
      const reads = await ready(url);
      expect(reads.status).toBe(200);
      expect(reads.body).toMatchObject({
        status: "ready",
        database: "unreachable",
        read: { status: "available", database: "replica" },
        write: { status: "unavailable" },
      });
      expect((await ready(url, "/readyz/write")).status).toBe(503);
      expect(logged.filter((line) => /primary is unreachable/.test(line))).toHaveLength(1);
    } finally {
      await pair.start("primary");
    }
    await waitFor(async () => (await ready(url, "/readyz/write")).status === 200, { timeoutMs: 15_000, what: "writes ready again" });
    await waitFor(() => logged.some((line) => /primary answers again/.test(line)), { timeoutMs: 5000, what: "the primary's recovery logged" });
    expect(logged.filter((line) => /primary answers again/.test(line))).toHaveLength(1);
  });
});
