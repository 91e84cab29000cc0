import { DataSource } from "typeorm";
import type { DataSourceOptions as TypeOrmOptions } from "typeorm";
import { types } from "pg";
import { MIGRATIONS } from "../../migrations";
import { ServiceLogger } from "./logger";

// pg parses DATE into a local-time JS Date and bigint/numeric into strings. Dates stay strings
// (YYYY-MM-DD, no time zone games) and counts become numbers, here and only here.
types.setTypeParser(types.builtins.DATE, (value) => value);
types.setTypeParser(types.builtins.INT8, (value) => Number(value));
types.setTypeParser(types.builtins.NUMERIC, (value) => Number(value));

/**
 * Session settings for statistics at scale: enough work_mem that a million-row aggregate stays in
 * memory, no JIT (its compile time outweighs what it saves on these sub-second queries), and
 * parallel plans considered at a tenth of the default setup costs, so a scan of operation_facts
 * uses every core.
 */
export const SESSION_SETTINGS = "-c work_mem=32MB -c jit=off -c parallel_setup_cost=100 -c parallel_tuple_cost=0.01";

export interface DataSourceOptions {
  url: string;
  /** The TypeORM entities (src/entities.ts): passed in, because src/db sits below the modules that define them. */
  entities: NonNullable<TypeOrmOptions["entities"]>;
  poolSize: number;
  log: (message: string) => void;
  /** A read replica: queries and statistics read from it (writes, LISTEN and migrations stay on `url`). */
  readUrl?: string | null;
  /** Cancels any statement running longer (0: no limit, as for migrations and imports). */
  statementTimeoutMs?: number;
}

/**
 * The one TypeORM DataSource of the service. The schema comes only from migrations (never
 * `synchronize`); errors and slow queries are logged by the ServiceLogger.
 */
export function createDataSource({ url, entities, readUrl, poolSize, log, statementTimeoutMs = 0 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    // With a read replica, TypeORM keeps a second pool ("slave"); the request path reads from it.
    ...(readUrl ? { replication: { master: { url }, slaves: [{ url: readUrl }] } } : { url }),
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    synchronize: false,
    logging: ["error", "warn", "migration"],
    logger: new ServiceLogger(log),
    maxQueryExecutionTime: 2000,
    applicationName: "misuse-graph",
    poolSize,
    // Statistics group and hash millions of rows at scale; PostgreSQL's 4MB default spills to disk.
    extra: { connectionTimeoutMillis: 3000, options: `${SESSION_SETTINGS} -c statement_timeout=${statementTimeoutMs}` },
  });
}
