import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createDataSource } from "../../src/db/data-source";
import { migrate } from "../../src/migrate";
import { ENTITIES } from "../../src/entities";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("health", () => {
  it("GET /healthz answers while the process is up", async () => {
    const response = await fetch(new URL("/healthz", t.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz reports the database reachable and migrated", async () => {
    const response = await fetch(new URL("/readyz", t.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready", database: "up", migrations: "applied", pool: { saturated: false } });
  });

  it("GET /readyz answers 503 while a migration is pending", async () => {
    const applied = await t.sql("SELECT timestamp, name FROM migrations");
    await t.sql("DELETE FROM migrations");
    try {
      const response = await fetch(new URL("/readyz", t.url));
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "not ready", migrations: "pending" });
    } finally {
      for (const row of applied) await t.sql("INSERT INTO migrations (timestamp, name) VALUES ($1, $2)", [row.timestamp, row.name]);
    }
  });
});

describe("GraphQL over HTTP", () => {
  it("serves queries by GET", async () => {
    const url = new URL(t.url);
    url.searchParams.set("query", "{ reports(first: 1) { totalCount } }");
    const response = await fetch(url, { headers: { accept: "application/json" } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data.reports.totalCount).toBeGreaterThan(0);
  });

  it("answers invalid JSON with 400 and BAD_REQUEST", async () => {
    const response = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{ not json" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0].message).toMatch(/not valid JSON/);
  });

  it("answers an oversized body with 413", async () => {
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ reports { totalCount } } #${"x".repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it("masks unexpected errors without leaking SQL or stacks", async () => {
    // A query against a dropped column reaches the database and fails there. On a service and
    // database of its own: statements the service keeps prepared outlive renaming the column back.
    const own = await startTestApp();
    try {
      await own.sql("ALTER TABLE report RENAME COLUMN summary TO summary_hidden");
      const response = await own.gql(`{ reports(first: 1) { nodes { summary } } }`);
      const error = response.body.errors![0];
      expect(error.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
      expect(error.message).toBe("Internal server error");
      expect(JSON.stringify(response.body)).not.toMatch(/summary_hidden|SELECT|stacktrace|at /);
    } finally {
      await own.close();
    }
  });
});

describe("migrations", () => {
  it("match the entities exactly: the schema builder finds nothing to change", async () => {
    const dataSource = createDataSource({ url: t.databaseUrl, entities: ENTITIES, poolSize: 1, log: () => undefined });
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(await migrate(dataSource)).toEqual({ applied: [] });
    } finally {
      await dataSource.destroy();
    }
  });

  it("make the database enforce the model", async () => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const refused = async (sql: string) => {
        await client.query("SAVEPOINT s");
        await expect(client.query(sql)).rejects.toThrow();
        await client.query("ROLLBACK TO SAVEPOINT s");
      };
      await client.query("BEGIN");
      await refused("UPDATE operation SET breakout_scale = 7 WHERE id = (SELECT min(id) FROM operation)");
      await refused("UPDATE operation SET categories = '{NOT_A_CATEGORY}' WHERE id = (SELECT min(id) FROM operation)");
      await refused("UPDATE operation SET sources = '{}' WHERE id = (SELECT min(id) FROM operation)");
      await refused("UPDATE company SET kind = 'BANK' WHERE id = (SELECT min(id) FROM company)");
      await refused("UPDATE company SET hq_country_code = 'QQ' WHERE id = (SELECT min(id) FROM company)");
      await refused("UPDATE report SET key = 'Not A Slug' WHERE id = (SELECT min(id) FROM report)");
      await refused("INSERT INTO operation_origin (operation_id, country_code, confidence) VALUES ((SELECT min(id) FROM operation), 'US', 'SURE')");
      await refused("INSERT INTO operation_report (operation_id, report_id) VALUES ((SELECT min(id) FROM operation), -1)");
      await refused("UPDATE statement SET stance = 'SHRUG' WHERE id = (SELECT min(id) FROM statement)");
      await client.query("ROLLBACK");
    } finally {
      await client.end();
    }
  });
});
