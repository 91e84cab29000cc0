import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { DATA_DIR } from "../helpers/app";
import { readDataset, sorted } from "../helpers/dataset";
import { createApiKey, Role } from "../../src/modules/auth";
import { importBundle, readBundle } from "../../src/import";

const dataset = readDataset();
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = (await createApiKey(t.app.dataSource, "sync test admin", Role.ADMIN)).key;
});
afterAll(async () => {
  await t?.close();
});

async function mutate(query: string, variables: object) {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as any;
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

const watermark = async (): Promise<string> => (await t.data(`{ syncWatermark }`)).syncWatermark;

/** Keys of every record of each kind changed at or after `since`, and the tombstones since then. */
async function changesSince(since: string) {
  const data = await t.data(
    `query ($since: DateTimeISO!) {
      companies(first: 100, filter: { updatedSince: $since }) { totalCount nodes { key } }
      reports(first: 100, filter: { updatedSince: $since }) { totalCount nodes { key } }
      operations(first: 100, filter: { updatedSince: $since }) { totalCount nodes { key } }
      statements(first: 100, filter: { updatedSince: $since }) { totalCount nodes { key } }
      deletions(first: 100, since: $since) { totalCount nodes { kind key deletedAt } }
    }`,
    { since },
  );
  const keys = (kind: string) => sorted(data[kind].nodes.map((n: { key: string }) => n.key));
  return {
    companies: keys("companies"),
    reports: keys("reports"),
    operations: keys("operations"),
    statements: keys("statements"),
    deletions: data.deletions.nodes.map((d: { kind: string; key: string }) => ({ kind: d.kind, key: d.key })),
  };
}

describe("incremental sync", () => {
  it("after one upsert and one delete, lists exactly the upserted record and the deleted one", async () => {
    const since = await watermark();
    const [{ now }] = await t.sql(`SELECT now() AS now`);
    expect(new Date(since).getTime()).toBeLessThanOrEqual(new Date(now).getTime());
    const company = { key: "sync-test-co", name: "Sync Test Co", kind: "OTHER", hqCountry: "FR" };
    const upserted = await mutate(`mutation ($input: CompanyInput!) { companyUpsert(input: $input) { result } }`, { input: company });
    expect(upserted.companyUpsert.result).toBe("CREATED");
    const gone = dataset.statements[0].key as string;
    const deleted = await mutate(`mutation ($input: DeleteInput!) { statementDelete(input: $input) { deletedKey userErrors { message } } }`, {
      input: { key: gone },
    });
    expect(deleted.statementDelete).toEqual({ deletedKey: gone, userErrors: [] });

    expect(await changesSince(since)).toEqual({
      companies: [company.key],
      reports: [],
      operations: [],
      statements: [],
      deletions: [{ kind: "STATEMENT", key: gone }],
    });
    // A later watermark no longer sees them.
    const later = await watermark();
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM company WHERE updated_at >= $1`, [later]);
    expect(n).toBe(0);
    expect((await changesSince(later)).deletions).toEqual([]);
  });

  it("stamps a record whose edges change, and only that record", async () => {
    const operation = dataset.operations.find((o) => !(o.targets ?? []).includes("NZ"))!;
    const since = await watermark();
    await t.sql(`INSERT INTO operation_target (operation_id, country_code, position) SELECT id, 'NZ', 99 FROM operation WHERE key = $1`, [operation.key]);
    const changes = await changesSince(since);
    expect(changes.operations).toEqual([operation.key]);
    expect([...changes.companies, ...changes.reports, ...changes.statements]).toEqual([]);
  });

  it("keeps every stamp when the shipped data is imported again unchanged", async () => {
    const stamps = async () =>
      t.sql(`SELECT 'operation' AS kind, key, updated_at::text AS at FROM operation UNION ALL SELECT 'report', key, updated_at::text FROM report
      UNION ALL SELECT 'company', key, updated_at::text FROM company UNION ALL SELECT 'statement', key, updated_at::text FROM statement ORDER BY 1, 2`);
    // Back to the shipped data first, whatever other tests of this file changed; then a delete and
    // an added edge of this test's own (records no other test touches).
    expect((await importBundle(t.app.dataSource, await readBundle(DATA_DIR), {})).ok).toBe(true);
    const statement = dataset.statements[1].key as string;
    const operation = [...dataset.operations].reverse().find((o) => !(o.targets ?? []).includes("NZ"))!.key as string;
    await mutate(`mutation ($input: DeleteInput!) { statementDelete(input: $input) { deletedKey } }`, { input: { key: statement } });
    await t.sql(`INSERT INTO operation_target (operation_id, country_code, position) SELECT id, 'NZ', 99 FROM operation WHERE key = $1`, [operation]);

    const since = await watermark();
    const result = await importBundle(t.app.dataSource, await readBundle(DATA_DIR), {});
    expect(result.ok).toBe(true);
    // The import creates the deleted statement again and stamps only it (the added target stays:
    // an import adds to an operation's lists, it does not replace them).
    expect(await changesSince(since)).toEqual({ companies: [], reports: [], operations: [], statements: [statement], deletions: [] });
    const [{ n }] = await t.sql(
      `SELECT count(*)::int AS n FROM operation_target x JOIN operation o ON o.id = x.operation_id WHERE o.key = $1 AND x.country_code = 'NZ'`,
      [operation],
    );
    expect(n).toBe(1);
    const again = await stamps();
    expect(again.length).toBeGreaterThanOrEqual(dataset.companies.length + dataset.reports.length + dataset.operations.length + dataset.statements.length);
    const since2 = await watermark();
    expect((await importBundle(t.app.dataSource, await readBundle(DATA_DIR), {})).ok).toBe(true);
    expect(await stamps()).toEqual(again);
    expect(await changesSince(since2)).toEqual({ companies: [], reports: [], operations: [], statements: [], deletions: [] });
  });

  it("misses no write that started before the watermark was read and committed after", async () => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const company = dataset.companies[1].key as string;
      await client.query("BEGIN");
      await client.query(`UPDATE company SET name = name || ' (renamed)' WHERE key = $1`, [company]);
      const [{ stamp }] = (await client.query(`SELECT updated_at AS stamp FROM company WHERE key = $1`, [company])).rows;
      const since = await watermark();
      expect(new Date(since).getTime()).toBeLessThanOrEqual(new Date(stamp).getTime());
      await client.query("COMMIT");
      expect((await changesSince(since)).companies).toContain(company);
    } finally {
      await client.end();
    }
  });

  it("applies updatedSince to exports too", async () => {
    const since = await watermark();
    await t.sql(`UPDATE report SET summary = summary || ' (revised)' WHERE key = $1`, [dataset.reports[0].key]);
    const root = t.url.replace(/\/graphql$/, "");
    const response = await fetch(`${root}/export/reports.csv?fields=key&filter=${encodeURIComponent(JSON.stringify({ updatedSince: since }))}`);
    expect(response.status).toBe(200);
    expect((await response.text()).trim().split("\n")).toEqual(["key", dataset.reports[0].key]);
  });

  it("refuses a since that is not a date-time, naming it", async () => {
    const response = await t.gql(`query ($since: DateTimeISO!) { deletions(since: $since) { totalCount } }`, { since: "yesterday" });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0].message).toMatch(/\$since/);
  });
});

describe("reproducible samples", () => {
  const SAMPLE = `query ($sample: OperationSample!, $origin: [String!]) {
    operations(first: 100, filter: { sample: $sample, originCountry: $origin }) { totalCount nodes { key } }
  }`;
  const sampleKeys = async (size: number, seed: string, origin?: string[]) =>
    sorted((await t.data(SAMPLE, { sample: { size, seed }, origin })).operations.nodes.map((n: { key: string }) => n.key));

  it("gives the same operations for the same seed and others for another, as plain SQL ranks them", async () => {
    const [count] = await t.sql(`SELECT count(*)::int AS n FROM operation`);
    expect(count.n).toBe(dataset.operations.length);
    const first = await sampleKeys(20, "alpha");
    expect(first).toHaveLength(20);
    expect(await sampleKeys(20, "alpha")).toEqual(first);
    const other = await sampleKeys(20, "beta");
    expect(other).toHaveLength(20);
    expect(other).not.toEqual(first);
    const oracle = await t.sql(`SELECT key FROM operation ORDER BY md5('alpha:' || key), id LIMIT 20`);
    expect(first).toEqual(sorted(oracle.map((r) => r.key)));
  });

  it("samples within the rest of the filter, and statistics count the same sample", async () => {
    const chinese = new Set(dataset.operations.filter((o) => (o.origin ?? []).some((x: { country: string }) => x.country === "CN")).map((o) => o.key));
    const keys = await sampleKeys(5, "gamma", ["CN"]);
    expect(keys).toHaveLength(Math.min(5, chinese.size));
    for (const key of keys) expect(chinese.has(key)).toBe(true);
    const all = await sampleKeys(10_000, "gamma", ["CN"]);
    expect(all).toEqual(sorted(chinese));
    const { operationStats } = await t.data(
      `{ operationStats(filter: { sample: { size: 7, seed: "delta" } }) { by(dimension: ACTOR_TYPE, limit: 10) { denominator buckets { key count } } } }`,
    );
    expect(operationStats.by.denominator).toBe(7);
    const sampled = new Set(await sampleKeys(7, "delta"));
    const byActor = new Map<string, number>();
    for (const o of dataset.operations.filter((o) => sampled.has(o.key))) byActor.set(o.actorType, (byActor.get(o.actorType) ?? 0) + 1);
    const counted = Object.fromEntries(
      operationStats.by.buckets.filter((b: { count: number }) => b.count > 0).map((b: { key: string; count: number }) => [b.key, b.count]),
    );
    expect(counted).toEqual(Object.fromEntries(byActor));
  });

  it("refuses sizes outside 1 to 10000 with 400 naming the field", async () => {
    for (const size of [0, 10_001]) {
      const response = await t.gql(SAMPLE, { sample: { size, seed: "x" } });
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0].message).toContain("filter.sample.size");
    }
  });
});
