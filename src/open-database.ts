import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { createDataSource } from "./db/data-source";
import { ENTITIES } from "./entities";
import { startEmbeddedPostgres } from "./db/embedded";
import type { EmbeddedDatabase } from "./db/embedded";

/**
 * Opens the database the configuration names, starting the embedded one when no URL is given. Lives
 * below the HTTP layer so the service and the command-line tools share it without loading Apollo,
 * and above src/db and the modules, since it hands the modules' entities to the data source.
 */
export async function openDatabase(
  config: Config,
  log: (message: string) => void,
  statementTimeoutMs?: number,
  share = false,
): Promise<{ dataSource: DataSource; embedded: EmbeddedDatabase | null }> {
  const embedded =
    config.database.kind === "embedded"
      ? await startEmbeddedPostgres({ dataDir: config.database.dataDir, port: config.database.port, database: "misuse_graph", log, share })
      : null;
  const url = config.database.kind === "url" ? config.database.url : embedded!.url;
  const dataSource = createDataSource({
    url,
    entities: ENTITIES,
    readUrl: config.readDatabaseUrl,
    poolSize: config.poolSize,
    log,
    statementTimeoutMs: statementTimeoutMs ?? 0,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.discard();
    throw error;
  }
  return { dataSource, embedded };
}
