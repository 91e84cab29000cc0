import "reflect-metadata";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";
import type { App } from "../../src/app";

export const ROOT = path.resolve(__dirname, "../..");
export const DATA_DIR = path.join(ROOT, "data");

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; path?: string[]; extensions?: { code?: string } }[] };
  /** SQL statements the request ran (from the X-SQL-Statements header). */
  statements: number;
  headers: Headers;
}

export interface TestApp {
  app: App;
  url: string;
  databaseUrl: string;
  /** POSTs a GraphQL document (with variables) to the running server. */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Like gql, but fails the test on any GraphQL error and returns `data`. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs SQL directly against the test database (for oracles and setup). */
  sql<T = any>(text: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Starts the real service on port 0 against a database of its own, created for this test file and
 * dropped on close: migrations run, and the shipped dataset is loaded unless `loadDataset` is false.
 * With `sharing`, it serves that app's database instead (a second instance), and leaves it be on close.
 */
export async function startTestApp(
  options: { loadDataset?: boolean; dataDir?: string; env?: Record<string, string>; sharing?: TestApp; onStatement?: (text: string) => void } = {},
): Promise<TestApp> {
  const adminUrl = inject("adminDatabaseUrl");
  const owned = !options.sharing;
  const database = owned ? `mg_test_${randomBytes(5).toString("hex")}` : new URL(options.sharing!.databaseUrl).pathname.slice(1);
  if (owned) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
  }
  const databaseUrl = withDatabase(adminUrl, database);

  const config = loadConfig(
    {
      NODE_ENV: "test",
      DATABASE_URL: databaseUrl,
      PORT: "0",
      LOG_LEVEL: "silent",
      LOAD_DATASET: options.loadDataset === false ? "false" : "true",
      DATA_DIR: options.dataDir ?? DATA_DIR,
      EXPOSE_SQL_STATEMENT_COUNT: "true",
      DB_POOL_SIZE: "4",
      // Suites send thousands of requests from one address; rate-limit.test.ts tests the budgets.
      RATE_LIMIT_POINTS: "1000000000",
      RATE_LIMIT_KEY_POINTS: "1000000000",
      FAILED_REQUESTS_PER_MINUTE: "1000000000",
      ...options.env,
    },
    ROOT,
  );
  const app = await createApp(config, undefined, { onStatement: options.onStatement });
  const url = await app.listen();
  const direct = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // Dropping the database at close ends this pool's connections from the server side; errors of
  // its own queries still reach the test through their promises.
  direct.on("error", () => undefined);

  const gql = async (query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
    return { status: response.status, body: await response.json(), statements: Number(response.headers.get("x-sql-statements")), headers: response.headers };
  };

  return {
    app,
    url,
    databaseUrl,
    gql,
    async data(query, variables) {
      const response = await gql(query, variables);
      if (response.body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors)}`);
      return response.body.data;
    },
    async sql(text, values) {
      return (await direct.query(text, values)).rows;
    },
    async close() {
      await direct.end();
      await app.close();
      if (!owned) return;
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
