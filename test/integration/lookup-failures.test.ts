import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";
import { createApiKey, Role } from "../../src/modules/auth";
import { DATA_DIR, ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createLoginRole } from "../helpers/db";
import { waitFor } from "../helpers/wait";

// A filter names keys and codes the service looks up before it lists anything. When that lookup
// fails because the database cannot be reached, the answer is the database's failure (503), never
// a 400 that blames the client's keys. The service under test connects as a role of its own; the
// test then caps that role at zero connections and ends its sessions, so every connection the
// service opens afterwards is refused by PostgreSQL (53300), deterministically and at once.
let t: TestApp;
let app: App;
let url: string;
const role = `mg_lookup_${randomBytes(4).toString("hex")}`;

beforeAll(async () => {
  t = await startTestApp();
  await createLoginRole(t, role);
  await t.sql(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await t.sql(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
  await t.sql(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
  const roleUrl = new URL(t.databaseUrl);
  roleUrl.username = role;
  app = await createApp(
    loadConfig(
      {
        NODE_ENV: "test",
        DATABASE_URL: roleUrl.toString(),
        PORT: "0",
        LOG_LEVEL: "silent",
        LOAD_DATASET: "false",
        DATA_DIR,
        DB_POOL_SIZE: "2",
        RATE_LIMIT_POINTS: "1000000000",
        FAILED_REQUESTS_PER_MINUTE: "1000000000",
      },
      ROOT,
    ),
  );
  url = await app.listen();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await t?.close();
  const admin = new (await import("pg")).default.Client({ connectionString: new URL("/postgres", t.databaseUrl).toString() });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

async function ask(query: string) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as any };
}

const LOOKUPS: [string, string][] = [
  ["operations by origin country", `{ operations(filter: { originCountry: ["CN"] }) { totalCount } }`],
  ["operations by publisher", `{ operations(filter: { publisher: ["openai"] }) { totalCount } }`],
  ["operations by report", `{ operations(filter: { report: ["no-such-report"] }) { totalCount } }`],
  ["operations by AI tool", `{ operations(filter: { aiTool: ["openai"] }) { totalCount } }`],
  ["reports by publisher", `{ reports(filter: { publisher: ["openai"] }) { totalCount } }`],
  ["companies by headquarters country", `{ companies(filter: { hqCountry: ["US"] }) { totalCount } }`],
  ["statements by organization", `{ statements(filter: { organization: ["openai"] }) { totalCount } }`],
  ["a node by global ID", `{ node(id: "${Buffer.from("Country:CN").toString("base64url")}") { id } }`],
];

describe("a curation write whose connection is lost", () => {
  it("is the database's failure (503), not a userError about the record", async () => {
    const editor = (await createApiKey(app.dataSource, "lookup-failures editor", Role.EDITOR)).key;
    // Another session holds the company table against writes (reads go on), so the write waits
    // where the test can see it; the test then ends that session under it.
    const blocker = new (await import("pg")).default.Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE company IN EXCLUSIVE MODE");
    const answer = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: `mutation ($input: CompanyInput!) { companyUpsert(input: $input) { result userErrors { path message } } }`,
        variables: { input: { key: "lookup-failures-co", name: "Lookup Failures", kind: "OTHER" } },
      }),
    });
    const pid = await waitFor(
      async () => {
        const rows = await blocker.query(`SELECT pid FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'`, [role]);
        return rows.rows[0]?.pid as number | undefined;
      },
      { timeoutMs: 10_000, what: "the write waiting for the lock" },
    );
    await blocker.query("SELECT pg_terminate_backend($1)", [pid]);
    await blocker.query("COMMIT");
    await blocker.end();
    const response = await answer;
    const body = (await response.json()) as any;
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code, data: body.data?.companyUpsert ?? null }).toEqual({
      status: 503,
      code: "DATABASE_UNAVAILABLE",
      data: null,
    });
    expect(await t.sql(`SELECT key FROM company WHERE key = 'lookup-failures-co'`)).toEqual([]);
  });
});

describe("a key lookup when the database refuses connections", () => {
  it("answers every filter and the export with 503, not with an unknown-key 400", async () => {
    // While the database is there, the same lookups answer (an unknown report key is a 400 then).
    expect((await ask(LOOKUPS[0][1])).status).toBe(200);
    expect((await ask(LOOKUPS[7][1])).body.data.node.id).toBeTruthy();
    expect((await ask(LOOKUPS[2][1])).body.errors[0].extensions.code).toBe("BAD_USER_INPUT");

    await t.sql(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
    await waitFor(
      async () => {
        const sessions = await t.sql(`SELECT pid FROM pg_stat_activity WHERE usename = $1`, [role]);
        for (const { pid } of sessions) await t.sql(`SELECT pg_terminate_backend($1)`, [pid]);
        const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1`, [role]);
        return n === 0;
      },
      { timeoutMs: 10_000, what: "no session of the service's role left" },
    );

    for (const [what, query] of LOOKUPS) {
      const answer = await ask(query);
      // A nullable root field (node) answers data: { node: null } with the error, and a response
      // carrying data is HTTP 200 (GraphQL over HTTP); the others have no data and answer 503.
      const nullable = query.startsWith("{ node(");
      expect({ what, status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({
        what,
        status: nullable ? 200 : 503,
        code: "DATABASE_UNAVAILABLE",
      });
      if (nullable) expect(answer.body.data).toEqual({ node: null });
    }
    for (const path of ["/export/operations.csv?originCountry=CN", "/export/operations.csv?publisher=openai", "/export/reports.csv?publisher=openai"]) {
      const response = await fetch(new URL(path, url));
      const body = (await response.json()) as any;
      expect({ path, status: response.status, code: body.error?.code ?? body.code }).toEqual({ path, status: 503, code: "DATABASE_UNAVAILABLE" });
    }
  });
});
