import type { Pool, PoolClient } from "pg";
import type { DataSource } from "typeorm";
import { GraphQLError } from "graphql";
import { cancelRunning, forgetPrepared, ignore, isStalePlan, run, waitingOnLocks } from "./pg-client";
import { isPoolSaturated, poolsOf, readRouting } from "./read-routing";
import type { ReadSource } from "./read-routing";
import { statementObserver } from "./statement-observers";
import { driverPools } from "./typeorm-internals";

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

/** TypeORM's pg pool of the primary (writes, LISTEN, readiness). */
export function poolOf(dataSource: DataSource): Pool {
  return driverPools(dataSource).primary;
}

/**
 * The pool of the read replica when DATABASE_READ_URL names one, else the primary's. The request
 * path reads through `readRouting(dataSource).source()` instead, which fails over.
 */
export function readPoolOf(dataSource: DataSource): Pool {
  const { primary, replica } = poolsOf(dataSource);
  return replica ?? primary;
}

/** The reads of one request: the replica while it answers (see ReadRouting), the primary when `primary` is set (read-your-writes). */
export function readSource(dataSource: DataSource, options: { primary?: boolean } = {}): ReadSource {
  return readRouting(dataSource).source(options);
}

async function connectTo(pool: Pool): Promise<{ client: PoolClient; pool: Pool }> {
  try {
    return { client: await pool.connect(), pool };
  } catch (error) {
    throw isPoolSaturated(pool, error) ? Object.assign(error as Error, { saturated: true }) : error;
  }
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

/**
 * One request's access to the database: every read statement of the request goes through
 * `query`, which caps the statements it has in flight (so one request cannot hold the whole pool),
 * enforces the request's time budget (cancelling its running statements when spent), tells an
 * exhausted pool (OVERLOADED) from an unreachable database, and counts statements.
 */
export class RequestDb {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Clients running a statement (or leased), each with the pool (server) it came from. */
  private readonly running = new Map<PoolClient, Pool>();
  /** Clients whose statement was sent a cancel: closed, not returned to the pool (see `cancelRunning`). */
  private readonly cancelled = new Set<PoolClient>();
  private readonly deadline: number;
  private spent = false;
  /** What the request was waiting for when its budget ran out, if other work held it up. */
  private waitedFor: "locks" | "a connection" | null = null;
  /** Statements sent so far. */
  statements = 0;
  private timer: NodeJS.Timeout | null = null;

  private readonly source: ReadSource;

  /** `source` is a pool, or the request's read routing (replica, failover to the primary). */
  constructor(
    source: Pool | ReadSource,
    private readonly limits: RequestDbLimits = DEFAULT_REQUEST_DB_LIMITS,
  ) {
    this.deadline = Date.now() + limits.budgetMs;
    this.source = "retryElsewhere" in source ? source : { connect: () => connectTo(source), retryElsewhere: () => false };
  }

  /** Runs one statement and returns its rows (once more elsewhere when the replica was lost under it and reads fail over). */
  async query<T = Record<string, unknown>>(text: string, values: readonly unknown[] = []): Promise<T[]> {
    await this.turn();
    try {
      try {
        return await this.attempt<T>(text, values);
      } catch (error) {
        if (!(error as { pool?: Pool }).pool || !this.source.retryElsewhere((error as { pool: Pool }).pool, error)) throw error;
        return await this.attempt<T>(text, values);
      }
    } finally {
      this.done();
    }
  }

  private async attempt<T>(text: string, values: readonly unknown[]): Promise<T[]> {
    this.checkBudget();
    const { client, pool } = await this.connect();
    // A connection lost mid-statement (the server shutting down, say) fails the statement; the
    // client's own 'error' event must not become an unhandled one.
    client.on("error", ignore);
    this.running.set(client, pool);
    this.armTimer();
    try {
      this.statements += 1;
      statementObserver(pool)?.(text);
      try {
        return (await run(client, text, values)) as T[];
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        // A schema change made this connection's prepared statements stale: drop them, run again once.
        await forgetPrepared(client);
        return (await run(client, text, values)) as T[];
      }
    } catch (error) {
      const explained = this.explain(error);
      // Which server failed, for the retry on another one (not enumerable: never serialised).
      if (explained === error && error instanceof Error) Object.defineProperty(error, "pool", { value: pool, configurable: true });
      throw explained;
    } finally {
      this.running.delete(client);
      client.removeListener("error", ignore);
      client.release(this.cancelled.delete(client));
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
      const connected = await this.connect();
      client = connected.client;
      this.running.set(client, connected.pool);
    } catch (error) {
      this.done();
      throw error;
    }
    client.on("error", ignore);
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
    const pools = new Set(this.running.values());
    const waiting = await Promise.all(
      [...pools].map((pool) =>
        waitingOnLocks(
          pool,
          [...this.running].filter(([, p]) => p === pool).map(([c]) => c),
        ).catch(() => false),
      ),
    );
    if (waiting.some(Boolean)) this.waitedFor ??= "locks";
    // Statements that ended during the look are back in the pool: only those still running are cancelled.
    for (const [client, pool] of this.running) {
      this.cancelled.add(client);
      try {
        cancelRunning(pool, client);
      } catch {
        // The statement then ends at the session's statement_timeout; the client is closed all the same.
      }
    }
  }

  private async connect(): Promise<{ client: PoolClient; pool: Pool }> {
    let connected: { client: PoolClient; pool: Pool };
    try {
      connected = await this.source.connect();
    } catch (error) {
      // Every connection is open and busy: the database is fine, the service is saturated.
      if ((error as { saturated?: boolean }).saturated) throw new OverloadedError();
      throw error;
    }
    if (Date.now() >= this.deadline) {
      // The budget ran out while this request waited for a pooled connection: the pool was busy.
      connected.client.release();
      this.spent = true;
      this.waitedFor ??= "a connection";
      throw this.spentError();
    }
    return connected;
  }
}
