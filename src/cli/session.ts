import type { DataSource } from "typeorm";
import { loadConfig, redactCredentials } from "../config";
import { openDatabase } from "../open-database";
import { migrate } from "../migrate";

/**
 * Runs a command-line task against the configured database (embedded or DATABASE_URL), migrated
 * first, and always releases the pool and any embedded server afterwards.
 */
export async function withDatabase<T>(task: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = (message: string) => console.error(`[misuse-graph] ${redactCredentials(message)}`);
  // Beside a running service, its embedded PostgreSQL is used rather than a second one started.
  const { dataSource, embedded } = await openDatabase(config, log, undefined, true);
  try {
    const { applied } = await migrate(dataSource);
    if (applied.length > 0) log(`applied migrations: ${applied.join(", ")}`);
    return await task(dataSource);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

/** Ends a command: exits with its code, or prints its error (credentials masked) and exits 1. */
export function finish(command: string, run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`${command} failed: ${redactCredentials(error.message)}`);
      process.exit(1);
    },
  );
}
