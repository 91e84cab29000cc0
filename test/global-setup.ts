import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/db/embedded";
import type { EmbeddedDatabase } from "../src/db/embedded";

let embedded: EmbeddedDatabase | null = null;

/**
 * Gives every test file a PostgreSQL server to create its own database on: the one DATABASE_URL
 * names, or else an embedded server started here once for the whole run.
 */
export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.resolve(process.env.TEST_EMBEDDED_PG_DIR || ".data/test-postgres"),
      // A Unix socket in the data folder unless a TCP port is asked for: runs in other checkouts never meet.
      port: process.env.TEST_EMBEDDED_PG_PORT ? Number(process.env.TEST_EMBEDDED_PG_PORT) : null,
      database: "postgres",
      log: () => undefined,
    });
    adminUrl = embedded.url;
  }
  project.provide("adminDatabaseUrl", adminUrl);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
