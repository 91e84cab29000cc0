import pg from "pg";
import type { Pool, PoolClient } from "pg";
import type { DataSource } from "typeorm";
import { isDatabaseUnavailable } from "../common/error-status";
import { driverPools } from "./typeorm-internals";

/** The two databases the service may talk to: writes and LISTEN go to the primary, reads to the replica when one is configured. */
export type DatabaseRole = "primary" | "replica";

/** Where one request's reads come from: a connection, and the pool (server) it came from. */
export interface ReadSource {
  connect(): Promise<{ client: PoolClient; pool: Pool }>;
  /** A statement failed on `pool`: whether running it again (on another server) may answer, because the replica was lost and reads fail over. */
  retryElsewhere(pool: Pool, error: unknown): boolean;
}

/** Runs one statement on a connection of `source` (outside any request's accounting) and gives its rows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows shaped by the caller's SQL
export async function queryVia(source: ReadSource, sql: string, values?: unknown[]): Promise<any[]> {
  const { client } = await source.connect();
  let failed = false;
  try {
    return (await client.query(sql, values)).rows;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(failed);
  }
}

/** How often a database marked down is asked again whether it answers. */
const RECOVERY_PROBE_MS = 1000;
const PROBE_TIMEOUT_MS = 2000;

/** An error that says every connection of a pool is busy: the database is fine, the service saturated. */
export function isPoolSaturated(pool: Pool, error: unknown): boolean {
  return /timeout exceeded when trying to connect/i.test((error as Error)?.message ?? "") && pool.totalCount >= (pool.options.max ?? 10);
}

/**
 * Decides which database the request path reads from, and keeps track of which database is
 * reachable. Reads go to the replica (DATABASE_READ_URL) while it answers; when connecting to it
 * fails, or a statement on it loses its connection, the replica is marked down (logged once) and,
 * with READ_FAILOVER on, reads go to the primary; with it off they answer 503
 * DATABASE_UNAVAILABLE. A probe asks a database marked down again every second, in the
 * background, and marks it up (logged once) when it answers, so reads go back to the replica
 * without a request paying for the attempt. The primary's outages (a read or the readiness probe
 * failing to reach it, the revision listener losing its connection) are logged the same way.
 */
export class ReadRouting {
  private readonly down: Record<DatabaseRole, boolean> = { primary: false, replica: false };
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly primary: Pool,
    readonly replica: Pool | null,
    readonly failover = true,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Whether a database is marked unreachable now. */
  isDown(role: DatabaseRole): boolean {
    return this.down[role];
  }

  /** Where reads go now: the replica, the primary (none configured, or failed over), or nowhere (replica down, failover off). */
  readTarget(): DatabaseRole | null {
    if (!this.replica || !this.down.replica) return this.replica ? "replica" : "primary";
    return this.failover ? "primary" : null;
  }

  /** The reads of one request: from the read target, or from the primary when the client asked for it (read-your-writes). */
  source(options: { primary?: boolean } = {}): ReadSource {
    return {
      connect: () => this.connect(options.primary === true),
      retryElsewhere: (pool, error) => {
        if (pool !== this.replica || !isDatabaseUnavailable(error) || isPoolSaturated(pool, error)) return false;
        this.markDown("replica", error);
        return this.failover;
      },
    };
  }

  private async connect(toPrimary: boolean): Promise<{ client: PoolClient; pool: Pool }> {
    // Without failover the replica is asked every time: its own error is the answer (503).
    if (this.replica && !toPrimary && (!this.down.replica || !this.failover)) {
      try {
        return await this.connectTo("replica");
      } catch (error) {
        if ((error as { saturated?: boolean }).saturated || !isDatabaseUnavailable(error) || !this.failover) throw error;
      }
    }
    return this.connectTo("primary");
  }

  /**
   * A connection to one database, marking it up when it answers and down when it cannot be
   * reached. An error because every connection is busy is tagged `saturated`: the database is fine.
   */
  private async connectTo(role: DatabaseRole): Promise<{ client: PoolClient; pool: Pool }> {
    const pool = role === "primary" ? this.primary : this.replica!;
    try {
      const client = await pool.connect();
      this.markUp(role);
      return { client, pool };
    } catch (error) {
      if (isPoolSaturated(pool, error)) throw Object.assign(error as Error, { saturated: true });
      if (isDatabaseUnavailable(error)) this.markDown(role, error);
      throw error;
    }
  }

  /** Records that a database could not be reached; logs only the change from up to down. */
  markDown(role: DatabaseRole, error?: unknown): void {
    if (this.closed || (role === "replica" && !this.replica) || this.down[role]) return;
    this.down[role] = true;
    const cause = error instanceof Error ? `: ${error.message}` : "";
    const consequence =
      role === "primary" ? "writes fail until it answers" : this.failover ? "reads go to the primary until it answers" : "reads answer 503 until it answers";
    this.log(`database: the ${role} is unreachable; ${consequence}${cause}`);
    this.probeSoon();
  }

  /** Records that a database answered; logs only the change from down to up. */
  markUp(role: DatabaseRole): void {
    if (!this.down[role]) return;
    this.down[role] = false;
    this.log(`database: the ${role} answers again${role === "replica" ? "; reads go back to it" : ""}`);
  }

  private probeSoon(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => void this.probe(), RECOVERY_PROBE_MS);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    this.timer = null;
    for (const role of ["primary", "replica"] as const) {
      const pool = role === "primary" ? this.primary : this.replica;
      if (!pool || !this.down[role]) continue;
      if (await answers(pool)) this.markUp(role);
    }
    if (this.down.primary || this.down.replica) this.probeSoon();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Whether the server a pool connects to answers a statement, on a connection of its own. */
async function answers(pool: Pool): Promise<boolean> {
  const client = new pg.Client({ ...(pool.options as pg.ClientConfig), connectionTimeoutMillis: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    client.end().catch(() => undefined);
  }
}

const routings = new WeakMap<DataSource, ReadRouting>();

/** TypeORM's pools: the primary's, and the replica's when DATABASE_READ_URL names one. */
export function poolsOf(dataSource: DataSource): { primary: Pool; replica: Pool | null } {
  return driverPools(dataSource);
}

/** Sets up the read routing of a service's data source (once, at start: the failover setting and where outages are logged). */
export function configureReadRouting(dataSource: DataSource, options: { failover: boolean; log: (message: string) => void }): ReadRouting {
  const { primary, replica } = poolsOf(dataSource);
  const routing = new ReadRouting(primary, replica, options.failover, options.log);
  routings.set(dataSource, routing);
  return routing;
}

/** The read routing of a data source (with failover and no log when the service did not configure one). */
export function readRouting(dataSource: DataSource): ReadRouting {
  let routing = routings.get(dataSource);
  if (!routing) {
    const { primary, replica } = poolsOf(dataSource);
    routing = new ReadRouting(primary, replica);
    routings.set(dataSource, routing);
  }
  return routing;
}
