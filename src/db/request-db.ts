import pg from "pg";
import type { Pool, PoolClient } from "pg";
import type { DataSource } from "typeorm";
import { GraphQLError } from "graphql";
import { countStatement } from "./statement-counter";

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
  constructor() {
    super("The service is busy with other requests; try again in a moment", { extensions: { code: "OVERLOADED" } });
  }
}

/** The request spent its SQL budget; its running statements were cancelled. */
export class BudgetExceededError extends GraphQLError {
  constructor(budgetMs: number) {
    super(`The query ran past its ${budgetMs} ms execution budget and was cancelled; ask for less (smaller pages, fewer nested lists, a narrower filter)`, {
      extensions: { code: "QUERY_TOO_COMPLEX" },
    });
  }
}

/** TypeORM's pg pool, which the request path uses directly (no query runner, no entity hydration). */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * Sends PostgreSQL's cancel request for whatever `client` is running, over a new socket (the
 * protocol's CancelRequest needs no pool slot and no authentication).
 */
function cancelRunning(pool: Pool, client: PoolClient): void {
  const active = (client as unknown as { activeQuery?: unknown }).activeQuery;
  if (!active) return;
  const canceller = new pg.Client(pool.options as pg.ClientConfig) as unknown as { cancel(client: unknown, query: unknown): void; connection: { on(event: string, fn: () => void): void; end(): void } };
  canceller.connection.on("error", () => undefined);
  canceller.cancel(client, active);
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
  private readonly deadline: number;
  private spent = false;
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
      this.running.add(client);
      this.armTimer();
      try {
        countStatement();
        const result = await client.query(text, values as unknown[]);
        return result.rows as T[];
      } catch (error) {
        if (this.spent && (error as { code?: string }).code === "57014") throw new BudgetExceededError(this.limits.budgetMs);
        throw error;
      } finally {
        this.running.delete(client);
        client.release();
      }
    } finally {
      this.inFlight -= 1;
      this.waiting.shift()?.();
      if (this.running.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
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

  private checkBudget(): void {
    if (this.spent || Date.now() >= this.deadline) {
      this.spent = true;
      throw new BudgetExceededError(this.limits.budgetMs);
    }
  }

  /** When the budget runs out, every statement this request is running is cancelled. */
  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.spent = true;
      for (const client of this.running) cancelRunning(this.pool, client);
    }, Math.max(0, this.deadline - Date.now()));
    this.timer.unref();
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      // Every connection is open and busy: the database is fine, the service is saturated.
      if (/timeout exceeded when trying to connect/i.test((error as Error).message) && this.pool.totalCount >= (this.pool.options.max ?? 10)) {
        throw new OverloadedError();
      }
      throw error;
    }
  }
}
