import { createHash } from "node:crypto";
import pg from "pg";
import type { Socket } from "node:net";
import type { Pool, PoolClient } from "pg";
import type { DataSource } from "typeorm";
import { GraphQLError } from "graphql";
import { statementObserver } from "./statement-observers";

/** How one request may use the shared connection pool. */
export interface RequestDbLimits {
  /** Statements one request may have running at once; the rest wait their turn. */
  maxStatementsInFlight: number;
  /** Wall-clock budget for all of one request's SQL; running statements are cancelled when it is spent. */
  budgetMs: number;
}

export const DEFAULT_REQUEST_DB_LIMITS: RequestDbLimits = { maxStatementsInFlight: 3, budgetMs: 10_000 };

/** The pool is busy with other requests: try again shortly (HTTP 503, not an outage). */
export class OverloadedError extends GraphQLError {
  constructor(message = "The service is busy with other requests; try again in a moment") {
    super(message, { extensions: { code: "OVERLOADED" } });
  }
}

/** The request's budget ran out while the server was busy (its statements waited on other work's locks, or for a connection), not because it asked for much. */
function busyBudgetError(budgetMs: number, waitedFor: "locks" | "a connection"): OverloadedError {
  return new OverloadedError(
    `The request's ${budgetMs} ms execution budget ran out while it waited for ${waitedFor} held by other work; try again in a moment`,
  );
}

/** The request spent its SQL budget; its running statements were cancelled. */
export class BudgetExceededError extends GraphQLError {
  constructor(budgetMs: number) {
    super(`The query ran past its ${budgetMs} ms execution budget and was cancelled; ask for less (smaller pages, fewer nested lists, a narrower filter)`, {
      extensions: { code: "QUERY_TOO_COMPLEX" },
    });
  }
}

/** Named statements one connection keeps prepared at most; beyond it statements are planned each time. */
const MAX_PREPARED_PER_CONNECTION = 500;
/** Statement names by SQL text, so a repeated shape is not hashed again (bounded; cleared when full). */
const names = new Map<string, string>();
const MAX_NAMED_TEXTS = 5000;

/**
 * The name pg sends the statement under: each connection parses and plans a statement shape once
 * and reuses the plan (the service's SQL comes in a bounded number of shapes, values always as
 * parameters). Undefined (an unnamed statement, planned each time) once the connection already
 * holds its quota of prepared shapes.
 */
function statementName(client: PoolClient, text: string): string | undefined {
  const parsed = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
  let name = names.get(text);
  if (name === undefined) {
    name = `mg_${createHash("sha1").update(text).digest("base64url")}`;
    if (names.size >= MAX_NAMED_TEXTS) names.clear();
    names.set(text, name);
  }
  if (parsed[name] === undefined && Object.keys(parsed).length >= MAX_PREPARED_PER_CONNECTION) return undefined;
  return name;
}

/**
 * Runs one statement on `client` and gives its rows. The statement goes to pg as a query object
 * built from its text (with the name set after): handed a config object instead, pg copies it
 * property by property on every call, and wraps its result in a second promise; on the request
 * path, that was a measurable share of a small query's cost.
 */
function run(client: PoolClient, text: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(text, values as unknown[], (error, result) => (error ? reject(error) : resolve(result.rows)));
    (query as unknown as { name?: string }).name = statementName(client, text);
    client.query(query);
  });
}

const ignore = () => undefined;

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * prepared (a migration altered a table it reads, under a running service): SQLSTATE 0A000,
 * "cached plan must not change result type".
 */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: string }).code === "0A000" && /cached plan must not change result type/.test((error as Error).message);
}

/**
 * Forgets every statement `client` has prepared, on the server and in pg's bookkeeping, so the
 * next use of each shape prepares it anew against the tables as they are now.
 */
async function forgetPrepared(client: PoolClient): Promise<void> {
  await client.query("DEALLOCATE ALL");
  const connection = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection;
  for (const name of Object.keys(connection.parsedStatements)) delete connection.parsedStatements[name];
}

/** TypeORM's pg pool of the primary (writes, LISTEN, readiness). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * The pool the request path reads through directly (no query runner, no entity hydration): the read
 * replica's when DATABASE_READ_URL names one, else the primary's.
 */
export function readPoolOf(dataSource: DataSource): Pool {
  const driver = dataSource.driver as unknown as { master: Pool; slaves?: Pool[] };
  return driver.slaves?.[0] ?? driver.master;
}

/** How long a cancel request may take to reach the server before its socket is given up. */
const CANCEL_TIMEOUT_MS = 5000;

/**
 * Sends PostgreSQL's cancel request for the statement `client` is running, over a new socket (the
 * protocol's CancelRequest needs no pool slot and no authentication), to the server the pool
 * connects to. Written with pg's connection rather than `Client.cancel`, which reads
 * `Client.activeQuery` (deprecated in pg 8.23, warning once per process). The request arrives
 * after a connect, when the statement may have ended: the caller closes a client it cancelled
 * instead of returning it to the pool, so a late cancel cannot reach another request's statement.
 */
function cancelRunning(pool: Pool, client: PoolClient): void {
  const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
  const canceller = new pg.Client(pool.options as pg.ClientConfig) as unknown as {
    host: string;
    port: number;
    connection: {
      stream: Socket;
      on(event: string, fn: () => void): void;
      connect(port: number | string, host?: string): void;
      cancel(processID: number, secretKey: number): void;
    };
  };
  const { connection, host, port } = canceller;
  connection.on("error", ignore);
  connection.on("connect", () => connection.cancel(processID, secretKey));
  connection.stream.setTimeout(CANCEL_TIMEOUT_MS, () => connection.stream.destroy());
  connection.stream.unref();
  // A host starting with "/" is the directory of PostgreSQL's Unix socket.
  if (host?.startsWith("/")) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
}

/** A pooled client one request holds beyond a single statement (an export's cursor). */
export interface Lease {
  client: PoolClient;
  /**
   * Gives the client back, once: to the pool, or closed when `discard` is set (a connection left
   * mid-portal or whose statement failed) or when the budget's cancel was sent to it.
   */
  release(discard?: boolean): void;
}

/** How long the check of what a request's statements wait on may take (connecting included). */
const LOCK_CHECK_TIMEOUT_MS = 1000;

/**
 * Whether any of these clients' statements is waiting for a lock (pg_stat_activity), asked over a
 * connection of its own to the server the pool connects to, so that a full pool cannot hold it up.
 */
async function waitingOnLocks(pool: Pool, clients: readonly PoolClient[]): Promise<boolean> {
  if (clients.length === 0) return false;
  const pids = clients.map((client) => (client as unknown as { processID: number }).processID);
  const checker = new pg.Client({ ...(pool.options as pg.ClientConfig), connectionTimeoutMillis: LOCK_CHECK_TIMEOUT_MS, query_timeout: LOCK_CHECK_TIMEOUT_MS });
  checker.on("error", ignore);
  try {
    await checker.connect();
    const { rows } = await checker.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND wait_event_type = 'Lock'", [pids]);
    return (rows[0] as { n: number }).n > 0;
  } finally {
    checker.end().catch(ignore);
  }
}

/**
 * One request's access to the database: every read statement of the request goes through
 * `query`, which caps the statements it has in flight (so one request cannot hold the whole pool),
 * enforces the request's time budget (cancelling its running statements when spent), tells an
 * exhausted pool (OVERLOADED) from an unreachable database, and counts statements.
 */
export class RequestDb {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly running = new Set<PoolClient>();
  /** Clients whose statement was sent a cancel: closed, not returned to the pool (see `cancelRunning`). */
  private readonly cancelled = new Set<PoolClient>();
  private readonly deadline: number;
  private spent = false;
  /** What the request was waiting for when its budget ran out, if other work held it up. */
  private waitedFor: "locks" | "a connection" | null = null;
  /** Statements sent so far. */
  statements = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly limits: RequestDbLimits = DEFAULT_REQUEST_DB_LIMITS,
  ) {
    this.deadline = Date.now() + limits.budgetMs;
  }

  /** Runs one statement and returns its rows. */
  async query<T = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    await this.turn();
    try {
      this.checkBudget();
      const client = await this.connect();
      // A connection lost mid-statement (the server shutting down, say) fails the statement; the
      // client's own 'error' event must not become an unhandled one.
      client.on("error", ignore);
      this.running.add(client);
      this.armTimer();
      try {
        this.statements += 1;
        statementObserver(this.pool)?.(text);
        try {
          return (await run(client, text, values)) as T[];
        } catch (error) {
          if (!isStalePlan(error)) throw error;
          // A schema change made this connection's prepared statements stale: drop them, run again once.
          await forgetPrepared(client);
          return (await run(client, text, values)) as T[];
        }
      } catch (error) {
        throw this.explain(error);
      } finally {
        this.running.delete(client);
        client.removeListener("error", ignore);
        client.release(this.cancelled.delete(client));
      }
    } finally {
      this.done();
    }
  }

  /**
   * Takes one pooled client for as long as the caller needs it (an export streaming a cursor),
   * under the same accounting as `query`: it is one of the request's statements in flight, it is
   * refused (OVERLOADED) when the pool is exhausted, and when the budget is spent whatever the
   * client is running is cancelled and the client is closed on release instead of reused.
   */
  async lease(): Promise<Lease> {
    await this.turn();
    let client: PoolClient;
    try {
      this.checkBudget();
      client = await this.connect();
    } catch (error) {
      this.done();
      throw error;
    }
    client.on("error", ignore);
    this.running.add(client);
    this.armTimer();
    let released = false;
    return {
      client,
      release: (discard = false) => {
        if (released) return;
        released = true;
        this.running.delete(client);
        client.removeListener("error", ignore);
        const cancelled = this.cancelled.delete(client);
        client.release(discard || cancelled);
        this.done();
      },
    };
  }

  /** Ends one statement's (or lease's) turn: the next waiting one starts, the timer stops when nothing runs. */
  private done(): void {
    this.inFlight -= 1;
    this.waiting.shift()?.();
    if (this.running.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private turn(): Promise<void> {
    if (this.inFlight < this.limits.maxStatementsInFlight) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.inFlight += 1;
        resolve();
      }),
    );
  }

  /**
   * What a failure of this request's SQL stands for: a statement the spent budget cancelled is the
   * budget's error (OVERLOADED when it waited on locks or a connection, else QUERY_TOO_COMPLEX),
   * also for a leased client's cursor; anything else is itself.
   */
  explain(error: unknown): unknown {
    return this.spent && (error as { code?: string } | null)?.code === "57014" ? this.spentError() : error;
  }

  private checkBudget(): void {
    if (this.spent || Date.now() >= this.deadline) {
      this.spent = true;
      throw this.spentError();
    }
  }

  /**
   * What a spent budget is answered with: OVERLOADED (503, retry) when the statements were waiting
   * on locks held by other work, or for a pooled connection, since the server was busy, not the
   * query too large; else
   * QUERY_TOO_COMPLEX (ask for less).
   */
  private spentError(): GraphQLError {
    return this.waitedFor ? busyBudgetError(this.limits.budgetMs, this.waitedFor) : new BudgetExceededError(this.limits.budgetMs);
  }

  /**
   * When the budget runs out, every statement this request is running is cancelled, after a look
   * at whether they were waiting on locks (which decides the error the request gets).
   */
  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.spend(), Math.max(0, this.deadline - Date.now()));
    this.timer.unref();
  }

  private async spend(): Promise<void> {
    this.spent = true;
    if (await waitingOnLocks(this.pool, [...this.running]).catch(() => false)) this.waitedFor ??= "locks";
    // Statements that ended during the look are back in the pool: only those still running are cancelled.
    for (const client of this.running) {
      this.cancelled.add(client);
      try {
        cancelRunning(this.pool, client);
      } catch {
        // The statement then ends at the session's statement_timeout; the client is closed all the same.
      }
    }
  }

  private async connect(): Promise<PoolClient> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      // Every connection is open and busy: the database is fine, the service is saturated.
      if (/timeout exceeded when trying to connect/i.test((error as Error).message) && this.pool.totalCount >= (this.pool.options.max ?? 10)) {
        throw new OverloadedError();
      }
      throw error;
    }
    if (Date.now() >= this.deadline) {
      // The budget ran out while this request waited for a pooled connection: the pool was busy.
      client.release();
      this.spent = true;
      this.waitedFor ??= "a connection";
      throw this.spentError();
    }
    return client;
  }
}
