import type { Logger } from "typeorm";

/**
 * The TypeORM logger: reports errors, slow queries and migrations. (Statements per request are
 * counted by the request's own database access, `RequestDb`, not here.)
 */
export class ServiceLogger implements Logger {
  constructor(private readonly write: (message: string) => void) {}

  logQuery(): void {}

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
