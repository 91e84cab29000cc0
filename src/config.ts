import path from "node:path";

/**
 * Where the service gets its PostgreSQL: a server named by URL, or one it starts itself. The embedded
 * one listens on a Unix socket in its own folder (port null), so checkouts side by side never meet;
 * EMBEDDED_PG_PORT makes it listen on that TCP port of 127.0.0.1 instead.
 */
export type DatabaseConfig = { kind: "url"; url: string } | { kind: "embedded"; dataDir: string; port: number | null };

/** The whole configuration of the service, parsed once from the environment. */
export interface Config {
  env: "development" | "production" | "test";
  /** A read replica for the request path (queries and statistics); writes, LISTEN and migrations use the primary. */
  readDatabaseUrl: string | null;
  /** While the read replica is unreachable, reads go to the primary (true) or answer 503 DATABASE_UNAVAILABLE (false). */
  readFailover: boolean;
  host: string;
  port: number;
  /** Behind a proxy: take the client's address from the last X-Forwarded-For entry. */
  trustProxy: boolean;
  database: DatabaseConfig;
  poolSize: number;
  /** Folder of the bundled dataset, loaded on first start when the database is empty. */
  dataDir: string;
  loadDatasetOnEmptyDatabase: boolean;
  /** Report the number of SQL statements each request ran in an `X-SQL-Statements` header. */
  exposeSqlStatementCount: boolean;
  /** Serve GraphiQL at /graphql to browsers (requests that accept text/html and carry no query). */
  playground: boolean;
  /** Log lines for start-up, shutdown and unexpected errors. */
  logLevel: "silent" | "info";
  /**
   * How GraphQL operations run: "sql" (the default) is compiled with compiled selections on top: a
   * query whose root fields `src/http/sql-selections.ts` writes as SQL is answered with the JSON
   * PostgreSQL builds, anything else runs as compiled (docs/compiled-selections.md). "compiled" is
   * graphql-jit with field resolvers called directly, for every query; "standard" is graphql-js
   * with type-graphql's own resolvers, as the libraries ship, the way back when a library upgrade
   * breaks the compiled path. All answer alike (test/integration/sql-execution.test.ts,
   * test/integration/execution-modes.test.ts).
   */
  execution: "compiled" | "standard" | "sql";
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    maxBodyBytes: number;
    /** PostgreSQL statement_timeout for every statement the service runs. */
    statementTimeoutMs: number;
    /** Time a client has to send a whole request (headers and body). */
    requestTimeoutMs: number;
    /** Wall-clock budget for one request's SQL; its running statements are cancelled when spent. */
    requestBudgetMs: number;
    /** Statements one request may have running at once, so no request holds the whole pool. */
    maxStatementsInFlight: number;
    /** Failed requests (unknown keys, invalid documents) per address and minute before a 429. */
    failedRequestsPerMinute: number;
    /** Open connections per client address. */
    maxConnectionsPerAddress: number;
    /** Whole time one export may take, reading and sending included; a slower one is cut off. */
    exportTimeLimitMs: number;
    /** Exports running at once (each holds a pooled connection while it streams); more get 503 OVERLOADED. */
    maxConcurrentExports: number;
    /** Operations one STIX bundle may hold (it is built in memory); a filter selecting more is a 400. */
    stixMaxOperations: number;
  };
  rateLimit: {
    anonymousPoints: number;
    keyPoints: number;
    windowSeconds: number;
    /** Redis shared by replicas for the counters; null keeps them in the process. */
    redisUrl: string | null;
    redisKeyPrefix: string;
    /** How long a Redis command may take before it counts as failed. */
    redisTimeoutMs: number;
    /** After a Redis failure, seconds of per-process limits before Redis is asked again. */
    redisBreakerSeconds: number;
  };
}

/**
 * Masks credentials in any text that may hold a URL or connection string (`scheme://user:secret@`,
 * `password=secret`), so configuration errors and logs never print a password.
 */
export function redactCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):\S*@/gi, "$1:***@").replace(/\b(password|passwd|pwd)=[^\s&;]+/gi, "$1=***");
}

/** A configuration value that cannot be used; names the variable and the value it got (credentials masked). */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got: string) {
    super(`${variable} must be ${expected} (got "${redactCredentials(got)}")`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(name, `a whole number from ${min} to ${max}`, raw);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, "true or false", raw);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(name, `one of ${values.join(", ")}`, raw);
}

function databaseUrl(raw: string, variable = "DATABASE_URL"): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, "a URL such as postgres://user@host:5432/dbname", raw);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new ConfigError(variable, "a postgres:// or postgresql:// URL", raw);
  }
  return raw;
}

function redisUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== "redis:" && url.protocol !== "rediss:"))
    throw new ConfigError("REDIS_URL", "a redis:// or rediss:// URL such as redis://127.0.0.1:6379", raw);
  return raw;
}

/**
 * Parses the environment into a typed Config. This is the only place that reads process.env;
 * every bad value fails start-up with a message that names the variable.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  // Unset means production: a plain `npm start` must not send stack traces; development says so.
  const nodeEnv = oneOf(env, "NODE_ENV", ["development", "production", "test"] as const, "production");
  const database: DatabaseConfig = env.DATABASE_URL
    ? { kind: "url", url: databaseUrl(env.DATABASE_URL) }
    : {
        kind: "embedded",
        dataDir: path.resolve(cwd, env.EMBEDDED_PG_DIR || ".data/postgres"),
        port: env.EMBEDDED_PG_PORT ? integer(env, "EMBEDDED_PG_PORT", 0, 1, 65535) : null,
      };
  if (env.DATABASE_READ_URL && !env.DATABASE_URL)
    throw new ConfigError("DATABASE_READ_URL", "set together with DATABASE_URL (the embedded database has no replica)", env.DATABASE_READ_URL);
  const poolSize = integer(env, "DB_POOL_SIZE", 10, 1, 200);
  return {
    env: nodeEnv,
    readDatabaseUrl: env.DATABASE_READ_URL ? databaseUrl(env.DATABASE_READ_URL, "DATABASE_READ_URL") : null,
    readFailover: boolean(env, "READ_FAILOVER", true),
    host: env.HOST || "127.0.0.1",
    port: integer(env, "PORT", 4000, 0, 65535),
    trustProxy: boolean(env, "TRUST_PROXY", false),
    database,
    poolSize,
    dataDir: path.resolve(cwd, env.DATA_DIR || "data"),
    loadDatasetOnEmptyDatabase: boolean(env, "LOAD_DATASET", true),
    exposeSqlStatementCount: boolean(env, "EXPOSE_SQL_STATEMENT_COUNT", nodeEnv !== "production"),
    playground: boolean(env, "PLAYGROUND", true),
    logLevel: oneOf(env, "LOG_LEVEL", ["silent", "info"] as const, "info"),
    execution: oneOf(env, "EXECUTION", ["compiled", "standard", "sql"] as const, "sql"),
    limits: {
      maxDepth: integer(env, "MAX_QUERY_DEPTH", 20, 1, 1000),
      maxAliases: integer(env, "MAX_QUERY_ALIASES", 15, 0, 10_000),
      maxDirectives: integer(env, "MAX_QUERY_DIRECTIVES", 50, 0, 10_000),
      maxTokens: integer(env, "MAX_QUERY_TOKENS", 2000, 100, 1_000_000),
      maxCost: integer(env, "MAX_QUERY_COST", 100_000, 1, 100_000_000),
      maxBodyBytes: integer(env, "MAX_BODY_BYTES", 1_000_000, 1000, 100_000_000),
      statementTimeoutMs: integer(env, "STATEMENT_TIMEOUT_MS", 15_000, 100, 3_600_000),
      requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000, 1000, 3_600_000),
      requestBudgetMs: integer(env, "REQUEST_BUDGET_MS", 10_000, 100, 3_600_000),
      maxStatementsInFlight: integer(env, "MAX_STATEMENTS_IN_FLIGHT", 3, 1, 100),
      failedRequestsPerMinute: integer(env, "FAILED_REQUESTS_PER_MINUTE", 60, 1, 1_000_000_000),
      maxConnectionsPerAddress: integer(env, "MAX_CONNECTIONS_PER_ADDRESS", 64, 1, 1_000_000),
      exportTimeLimitMs: integer(env, "EXPORT_TIME_LIMIT_MS", 120_000, 100, 3_600_000),
      // Half the pool by default, so exports can never hold every connection GraphQL needs.
      maxConcurrentExports: integer(env, "MAX_CONCURRENT_EXPORTS", Math.max(1, Math.floor(poolSize / 2)), 1, 1000),
      stixMaxOperations: integer(env, "STIX_MAX_OPERATIONS", 20_000, 1, 10_000_000),
    },
    rateLimit: {
      anonymousPoints: integer(env, "RATE_LIMIT_POINTS", 5_000, 1, 1_000_000_000),
      keyPoints: integer(env, "RATE_LIMIT_KEY_POINTS", 20_000, 1, 1_000_000_000),
      windowSeconds: integer(env, "RATE_LIMIT_WINDOW_SECONDS", 3600, 1, 86_400),
      redisUrl: redisUrl(env.REDIS_URL),
      redisKeyPrefix: env.REDIS_KEY_PREFIX || "misuse-graph:rate:",
      redisTimeoutMs: integer(env, "REDIS_TIMEOUT_MS", 500, 10, 60_000),
      redisBreakerSeconds: integer(env, "REDIS_BREAKER_SECONDS", 10, 1, 3600),
    },
  };
}
