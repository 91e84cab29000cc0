import { MigrationExecutor } from "typeorm";
import type { DataSource } from "typeorm";
import { seedCountries } from "./modules/country";

/**
 * Brings a database up to date: applies pending migrations (each in its own transaction) and
 * upserts the country reference data. Safe to run on every start and by several processes at once:
 * a PostgreSQL advisory lock, held on the same connection that migrates, serialises the runs.
 */
export async function migrate(dataSource: DataSource): Promise<{ applied: string[] }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Migrations may rewrite large tables: no statement timeout on this session while they run.
    await runner.query("SET statement_timeout = 0");
    await runner.query("SELECT pg_advisory_lock(hashtext('misuse-graph:migrate'))");
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = "each";
    const applied = await executor.executePendingMigrations();
    await seedCountries(runner);
    return { applied: applied.map((m) => m.name) };
  } finally {
    await runner.query("SELECT pg_advisory_unlock(hashtext('misuse-graph:migrate'))").catch(() => undefined);
    await runner.query("RESET statement_timeout").catch(() => undefined);
    await runner.release();
  }
}
