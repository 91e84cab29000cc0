import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger, QueryRunner } from "typeorm";

/** Per-request tally of SQL statements, carried through async calls. */
export interface StatementTally {
  count: number;
}

const storage = new AsyncLocalStorage<StatementTally>();

/** Runs `fn` with a fresh tally that every SQL statement inside it increments. */
export function withStatementTally<T>(fn: () => Promise<T>): { tally: StatementTally; result: Promise<T> } {
  const tally = { count: 0 };
  return { tally, result: storage.run(tally, fn) };
}

/** Counts one statement against the current request, if any (for statements sent outside TypeORM). */
export function countStatement(): void {
  const tally = storage.getStore();
  if (tally) tally.count += 1;
}

/**
 * A TypeORM logger that counts statements per request (for the `X-SQL-Statements` header and the
 * tests that pin the number of statements a query shape runs) and reports errors and slow queries.
 */
export class CountingLogger implements Logger {
  constructor(private readonly write: (message: string) => void) {}

  logQuery(_query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    countStatement();
  }

  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    // Constraint violations are reported to clients as user errors; log only the unexpected.
    if (!/violates|duplicate key/.test(message)) this.write(`query failed: ${message}; ${query.slice(0, 200)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.write(`slow query (${time} ms): ${query.slice(0, 200)}`);
  }

  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.write(message);
  }
  log(level: "log" | "info" | "warn", message: unknown): void {
    // A server shutting down ends its sessions "due to administrator command"; /readyz reports an
    // unreachable database, so only other warnings are worth a log line.
    if (level === "warn" && !/administrator command/.test(String(message))) this.write(String(message));
  }
}
