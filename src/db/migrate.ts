import type { DataSource } from "typeorm";
import { seedCountries } from "../modules/country/country.seed";

/**
 * Brings a database up to date: applies pending migrations (each in its own transaction) and
 * upserts the country reference data. Safe to run on every start and by several processes, since a
 * PostgreSQL advisory lock serialises concurrent runs.
 */
export async function migrate(dataSource: DataSource): Promise<{ applied: string[] }> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query("SELECT pg_advisory_lock(hashtext('misuse-graph:migrate'))");
    const applied = await dataSource.runMigrations({ transaction: "each" });
    await seedCountries(dataSource);
    return { applied: applied.map((m) => m.name) };
  } finally {
    await runner.query("SELECT pg_advisory_unlock(hashtext('misuse-graph:migrate'))").catch(() => undefined);
    await runner.release();
  }
}
