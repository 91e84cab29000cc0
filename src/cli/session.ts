import type { DataSource } from "typeorm";
import { loadConfig } from "../config";
import { openDatabase } from "../app";
import { migrate } from "../db/migrate";

/**
 * Runs a command-line task against the configured database (embedded or DATABASE_URL), migrated
 * first, and always releases the pool and any embedded server afterwards.
 */
export async function withDatabase<T>(task: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = (message: string) => console.error(`[misuse-graph] ${message}`);
  const { dataSource, embedded } = await openDatabase(config, log);
  try {
    const { applied } = await migrate(dataSource);
    if (applied.length > 0) log(`applied migrations: ${applied.join(", ")}`);
    return await task(dataSource);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}
