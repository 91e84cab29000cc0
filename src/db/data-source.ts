import { DataSource } from "typeorm";
import { types } from "pg";
import { ENTITIES } from "./entities";
import { MIGRATIONS } from "../../migrations";
import { CountingLogger } from "./statement-counter";

// pg parses DATE into a local-time JS Date and bigint/numeric into strings. Dates stay strings
// (YYYY-MM-DD, no time zone games) and counts become numbers, here and only here.
types.setTypeParser(types.builtins.DATE, (value) => value);
types.setTypeParser(types.builtins.INT8, (value) => Number(value));
types.setTypeParser(types.builtins.NUMERIC, (value) => Number(value));

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  log: (message: string) => void;
  /** Cancels any statement running longer (0: no limit, as for migrations and imports). */
  statementTimeoutMs?: number;
}

/**
 * The one TypeORM DataSource of the service. The schema comes only from migrations (never
 * `synchronize`); queries are counted per request by the CountingLogger.
 */
export function createDataSource({ url, poolSize, log, statementTimeoutMs = 0 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: "postgres",
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: "migrations",
    migrationsTransactionMode: "each",
    synchronize: false,
    logging: ["query", "error", "warn", "migration"],
    logger: new CountingLogger(log),
    maxQueryExecutionTime: 2000,
    applicationName: "misuse-graph",
    poolSize,
    // Statistics group and hash millions of rows at scale; PostgreSQL's 4MB default spills to disk.
    // JIT compilation costs more than it saves on these short analytic queries.
    extra: { connectionTimeoutMillis: 3000, options: `-c work_mem=32MB -c jit=off -c statement_timeout=${statementTimeoutMs}` },
  });
}
